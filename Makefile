# LLM Duel Arena: `make run` serves the app locally, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The venv Zappa packages from: run-time requirements + Zappa only (requirements-deploy.txt).
DEPLOY_VENV ?= .venv-deploy
DEPLOY_STAMP := $(DEPLOY_VENV)/.installed-stamp

.PHONY: install run test test-fast lint fmt typecheck bench static clean deploy-venv deploy update

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	./bin/run-local

$(DEPLOY_STAMP): requirements.txt requirements-deploy.txt
	@test -x $(DEPLOY_VENV)/bin/python || $(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEPLOY_VENV)/bin/python -m pip install --quiet -r requirements-deploy.txt
	@touch $(DEPLOY_STAMP)

deploy-venv: $(DEPLOY_STAMP)

# The suite includes the deploy rehearsal, which packages from the deploy venv.
test: $(STAMP) $(DEPLOY_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The inner loop: no browser, no deploy rehearsal, nothing marked slow.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not e2e" --ignore=tests/deploy $(PYTEST_ARGS)

# make deploy STAGE=dev (the first time), make update STAGE=dev (afterwards): Zappa with the
# stage's AWS credentials, packaging from the lean deploy venv.
deploy: $(DEPLOY_STAMP)
	@test -n "$(STAGE)" || { echo "usage: make deploy STAGE=dev" >&2; exit 2; }
	VIRTUAL_ENV=$(abspath $(DEPLOY_VENV)) PATH=$(abspath $(DEPLOY_VENV))/bin:$$PATH zappa deploy $(STAGE)

update: $(DEPLOY_STAMP)
	@test -n "$(STAGE)" || { echo "usage: make update STAGE=dev" >&2; exit 2; }
	VIRTUAL_ENV=$(abspath $(DEPLOY_VENV)) PATH=$(abspath $(DEPLOY_VENV))/bin:$$PATH zappa update $(STAGE)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy arena_site games accounts llm

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP) $(DEPLOY_STAMP)
	$(PY) bench/requests_and_timings.py
	$(PY) bench/lambda_package.py

# Static files of a deployed stage (S3 + CloudFront), with its AWS credentials: make static STAGE=dev.
# Settings insist on a secret key and allowed hosts outside local mode; deploy_static serves
# and signs nothing, so stand-ins do when the shell has none.
static: $(STAMP)
	@test -n "$(STAGE)" || { echo "usage: make static STAGE=dev (with that stage's AWS credentials)" >&2; exit 2; }
	ARENA_ENV=$(STAGE) ARENA_SECRET_KEY=$${ARENA_SECRET_KEY:-unused-by-deploy-static} \
		ARENA_ALLOWED_HOSTS=$${ARENA_ALLOWED_HOSTS:-unused.invalid} \
		$(PY) manage.py deploy_static --stage $(STAGE)

clean:
	rm -rf $(VENV) $(DEPLOY_VENV) .local staticfiles
