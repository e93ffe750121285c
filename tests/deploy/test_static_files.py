"""Static files on S3 behind CloudFront: `manage.py deploy_static`, the storage, the template.

moto 5.2.5 cannot create deploy/static-site.yaml: its CloudFormation knows AWS::S3::Bucket
(honouring BucketEncryption and Tags, silently ignoring PublicAccessBlockConfiguration and
OwnershipControls) but neither AWS::S3::BucketPolicy nor any AWS::CloudFront::* type, and
create_stack fails with an AttributeError at the first !GetAtt of one. So the command runs here
against a stand-in built from the real template: its Parameters, its bucket and its outputs, the
two CloudFront outputs as fixed values. The real template is checked by cfn-lint against
CloudFormation's resource schemas, and its security properties are asserted one by one.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import boto3
import botocore.client
import botocore.session
import pytest
import yaml
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from arena_site.management.commands.deploy_static import OUTPUTS, stack_name
from arena_site.security import STATIC_DIRECTIVES
from arena_site.static_urls import PackagedManifestStorage
from arena_site.storage import IMMUTABLE, SHORT_LIVED, StaticFilesS3Storage

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "static-site.yaml"
CDN_HOST = "d111111abcdef8.cloudfront.net"
CDN = f"https://{CDN_HOST}/static/"
DISTRIBUTION_ID = "E2QWRUHEXAMPLE"
HASHED = r"\.[0-9a-f]{12}\."
PAGE_FILES = ("css/arena.css", "django_htmx/htmx-2.min.js", "js/arena.js")


# --- Helpers -------------------------------------------------------------------------------


class CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !GetAtt, !Sub ...) read as their long forms."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


def load_template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(), Loader=CloudFormationLoader)


class Call(NamedTuple):
    service: str
    operation: str
    key: str


@contextmanager
def aws_activity() -> Iterator[tuple[list[Call], list[str]]]:
    """Every AWS request made (service, operation, S3 key) and every client created (service)."""
    calls: list[Call] = []
    clients: list[str] = []
    make_api_call = botocore.client.BaseClient._make_api_call
    create_client = botocore.session.Session.create_client

    def recording_call(self: Any, operation: str, params: dict[str, Any]) -> Any:
        calls.append(Call(self.meta.service_model.service_name, operation, str(params.get("Key", ""))))
        return make_api_call(self, operation, params)

    def recording_create(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        clients.append(service_name)
        return create_client(self, service_name, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.client.BaseClient, "_make_api_call", recording_call)
        patch.setattr(botocore.session.Session, "create_client", recording_create)
        yield calls, clients


def deploy(stage: str, *options: str) -> str:
    out = io.StringIO()
    call_command("deploy_static", "--stage", stage, *options, stdout=out)
    return out.getvalue()


def stack(stage: str) -> dict[str, Any]:
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    found: dict[str, Any] = cloudformation.describe_stacks(StackName=stack_name(stage))["Stacks"][0]
    found["outputs"] = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    return found


def bucket_contents(bucket: str) -> dict[str, str]:
    """Key → ETag of every object in the bucket."""
    listing = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=bucket)
    return {item["Key"]: item["ETag"] for item in listing.get("Contents", [])}


def deployed_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """arena_site/settings.py as a dev-stage process with this environment reads it (a fresh
    module: the test run's own settings are untouched)."""
    base = {"ARENA_ENV": "dev", "ARENA_SECRET_KEY": "s" * 50, "ARENA_ALLOWED_HOSTS": "testserver"}
    for name in ("ARENA_STATIC_BUCKET", "ARENA_STATIC_URL", "ARENA_SECRETS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**base, **env}.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("deployed_settings", ROOT / "arena_site" / "settings.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


# --- Fixtures ------------------------------------------------------------------------------


class Deployed(NamedTuple):
    stage: str
    out: str
    bucket: str
    manifest: Path
    template: Path


def new_stage() -> str:
    """A fresh stage name: moto's S3 and CloudFormation live as long as the test session."""
    return f"t{uuid.uuid4().hex[:8]}"


def write_standin(folder: Path) -> Path:
    """The real template minus what moto's CloudFormation cannot create (see the docstring)."""
    template = load_template()
    template["Resources"] = {"StaticBucket": template["Resources"]["StaticBucket"]}
    template["Outputs"]["DistributionDomainName"]["Value"] = CDN_HOST
    template["Outputs"]["DistributionId"]["Value"] = DISTRIBUTION_ID
    path = folder / "static-site-for-moto.json"
    path.write_text(json.dumps(template))
    return path


@pytest.fixture(scope="module")
def deployed(_aws: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    """One `deploy_static` run for the module (it uploads about 40 files and their hashed
    copies), its manifest written to a temporary folder instead of arena_site/static_manifest."""
    folder = tmp_path_factory.mktemp("static")
    stage, template = new_stage(), write_standin(folder)
    with override_settings(ARENA_STATIC_MANIFEST_DIR=folder / "static_manifest"):
        out = deploy(stage, "--template", str(template))
        bucket = stack(stage)["outputs"]["BucketName"]
        yield Deployed(stage, out, bucket, folder / "static_manifest" / f"{stage}.json", template)


# --- deploy_static -------------------------------------------------------------------------


def test_deploy_static_creates_the_stack_uploads_hashed_files_and_writes_the_manifest(
    deployed: Deployed,
):
    created = stack(deployed.stage)
    assert created["StackStatus"] == "CREATE_COMPLETE"
    assert {"Key": "stage", "Value": deployed.stage} in created["Tags"]
    assert created["outputs"]["BucketName"].startswith(f"{stack_name(deployed.stage)}-staticbucket-")
    s3 = boto3.client("s3", region_name="us-east-1")
    encryption = s3.get_bucket_encryption(Bucket=deployed.bucket)["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"

    local = json.loads(deployed.manifest.read_text())
    paths = local["paths"]
    assert re.fullmatch(rf"css/arena{HASHED}css", paths["css/arena.css"])
    assert re.fullmatch(rf"js/arena{HASHED}js", paths["js/arena.js"])
    assert re.fullmatch(rf"django_htmx/htmx-2\.min{HASHED}js", paths["django_htmx/htmx-2.min.js"])
    keys = bucket_contents(deployed.bucket)
    for name in PAGE_FILES:
        assert f"static/{paths[name]}" in keys
    # The bucket's copy of the manifest is the packaged one (the app only reads the latter).
    in_s3 = s3.get_object(Bucket=deployed.bucket, Key="static/staticfiles.json")["Body"].read()
    assert json.loads(in_s3) == local

    css = s3.get_object(Bucket=deployed.bucket, Key=f"static/{paths['css/arena.css']}")
    assert css["Body"].read() == (ROOT / "static" / "css" / "arena.css").read_bytes()
    assert css["ContentType"] == "text/css"
    assert css["CacheControl"] == IMMUTABLE
    original = s3.head_object(Bucket=deployed.bucket, Key="static/css/arena.css")
    assert original["CacheControl"] == SHORT_LIVED

    assert f"ARENA_STATIC_URL={CDN}\n" in deployed.out
    assert f"ARENA_STATIC_BUCKET={deployed.bucket}\n" in deployed.out
    assert "zappa update" in deployed.out


def test_running_it_again_changes_nothing_and_never_deletes_a_hashed_file(deployed: Deployed):
    manifest, contents = deployed.manifest.read_bytes(), bucket_contents(deployed.bucket)

    with aws_activity() as (calls, _), override_settings(ARENA_STATIC_MANIFEST_DIR=deployed.manifest.parent):
        again = deploy(deployed.stage, "--template", str(deployed.template))

    assert f"Stack {stack_name(deployed.stage)} is up to date" in again
    assert [c.operation for c in calls if c.service == "cloudformation"] == [
        "DescribeStacks",
        "UpdateStack",  # answered "No updates are to be performed"
        "DescribeStacks",
    ]
    assert f"ARENA_STATIC_URL={CDN}\n" in again
    assert [c for c in calls if c.operation == "DeleteObject"] == []
    assert bucket_contents(deployed.bucket) == contents
    assert deployed.manifest.read_bytes() == manifest
    assert stack(deployed.stage)["StackStatus"] == "CREATE_COMPLETE"


@pytest.mark.usefixtures("_aws")
def test_skip_stack_only_reads_the_stack_and_needs_one():
    with aws_activity() as (calls, _), pytest.raises(CommandError, match="run without --skip-stack first"):
        deploy(new_stage(), "--skip-stack")
    assert [(c.service, c.operation) for c in calls] == [("cloudformation", "DescribeStacks")]


# --- A deployed page -----------------------------------------------------------------------


def test_a_deployed_page_links_hashed_files_on_cloudfront_without_any_aws_request_for_them(
    dynamodb: None, deployed: Deployed, settings: Any, monkeypatch: pytest.MonkeyPatch
):
    process = deployed_settings(
        monkeypatch, ARENA_STATIC_BUCKET=deployed.bucket, ARENA_STATIC_URL=CDN, ARENA_STAGE=deployed.stage
    )
    options = process.STORAGES["staticfiles"]["OPTIONS"]
    assert options["manifest_path"] == ROOT / "arena_site" / "static_manifest" / f"{deployed.stage}.json"
    # The one difference from a deployed process: the manifest this module wrote, not the repo's.
    storages = copy.deepcopy(process.STORAGES)
    storages["staticfiles"]["OPTIONS"]["manifest_path"] = deployed.manifest
    settings.STORAGES = storages
    settings.STATIC_URL = process.STATIC_URL

    with aws_activity() as (calls, clients):
        response = Client().get("/")  # a new client loads the middleware, and so the CSP, afresh

    assert response.status_code == 200
    html = response.content.decode()
    paths = json.loads(deployed.manifest.read_text())["paths"]
    keys = bucket_contents(deployed.bucket)
    assert re.search(rf'<link rel="stylesheet" href="{CDN}css/arena{HASHED}css">', html)
    for name in PAGE_FILES:
        assert f'"{CDN}{paths[name]}"' in html
        assert f"static/{paths[name]}" in keys  # the page links what deploy_static uploaded
    assert '"/static/' not in html
    # Rendering asked S3 for nothing and did not even create a client for it.
    assert [c for c in calls if c.service != "dynamodb"] == []
    assert "s3" not in clients
    assert isinstance(staticfiles_storage._wrapped, PackagedManifestStorage)

    policy = _policy(response["Content-Security-Policy"])
    for directive in STATIC_DIRECTIVES:
        assert [s for s in policy[directive] if s not in ("'self'", "data:")] == [f"https://{CDN_HOST}"]
    for directive in set(policy) - set(STATIC_DIRECTIVES):
        assert not [s for s in policy[directive] if "cloudfront" in s]


def test_without_a_bucket_static_files_stay_on_the_app(monkeypatch: pytest.MonkeyPatch):
    local = deployed_settings(monkeypatch, ARENA_ENV="local")
    assert local.STATIC_URL == "/static/"
    assert local.STORAGES["staticfiles"] == {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    assert local.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.parametrize(
    "static_url",
    ["/static/", f"http://{CDN_HOST}/static/", f"https://{CDN_HOST}/assets/", f"https://{CDN_HOST}/"],
)
def test_a_bucket_needs_a_cloudfront_static_url_ending_in_static(
    monkeypatch: pytest.MonkeyPatch, static_url: str
):
    with pytest.raises(ImproperlyConfigured, match="ARENA_STATIC_URL=https://<CloudFront domain>/static/"):
        deployed_settings(monkeypatch, ARENA_STATIC_BUCKET="some-bucket", ARENA_STATIC_URL=static_url)


def test_the_storage_refuses_to_serve_without_its_packaged_manifest(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match=r"dev\.json is missing: run `make static"):
        StaticFilesS3Storage(bucket_name="b", custom_domain=CDN_HOST, manifest_path=tmp_path / "dev.json")


# --- The template --------------------------------------------------------------------------


def test_the_template_has_the_outputs_the_command_reads_and_locks_the_bucket_to_cloudfront():
    template = load_template()
    assert set(template["Parameters"]) == {"Stage"}
    assert set(template["Outputs"]) == set(OUTPUTS)
    resources = template["Resources"]
    types = {name: resource["Type"] for name, resource in resources.items()}
    assert sorted(types.values()) == [
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
    ]

    bucket = resources["StaticBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]

    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    assert (config["PriceClass"], config["HttpVersion"], config["Enabled"]) == (
        "PriceClass_100",
        "http2and3",
        True,
    )
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["Compress"] is True
    assert behaviour["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # CachingOptimized
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "ResponseHeadersPolicy"}
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["OriginAccessControl", "Id"]}
    assert origin["DomainName"] == {"Fn::GetAtt": ["StaticBucket", "RegionalDomainName"]}

    statements = resources["StaticBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    [allow] = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${Distribution}")

    headers = resources["ResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    assert headers["SecurityHeadersConfig"]["ContentTypeOptions"] == {"Override": True}
    [cache] = headers["CustomHeadersConfig"]["Items"]
    assert (cache["Header"], cache["Value"], cache["Override"]) == ("Cache-Control", IMMUTABLE, False)
    assert headers["CorsConfig"]["AccessControlAllowMethods"]["Items"] == ["GET", "HEAD"]


@pytest.mark.slow
def test_the_template_passes_cfn_lint():
    """cfn-lint (installed with moto[server]) checks every property against CloudFormation's
    resource schemas: what moto cannot create is at least spelled right. About 3 s."""
    from cfnlint.api import lint  # a heavy import, only for this test

    assert [str(match) for match in lint(TEMPLATE.read_text())] == []
