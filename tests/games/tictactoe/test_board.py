"""The board partial, rendered by a bare Django template engine: no app registry, no database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.template import Context, Engine
from django.urls import set_urlconf

import games.tictactoe
from games.tictactoe import GAME
from games.tictactoe.rules import Board

PACKAGE = Path(games.tictactoe.__file__).parent
TEMPLATE = PACKAGE / "templates" / "games" / "tictactoe" / "_board.html"
CSS = PACKAGE / "static" / "games" / "tictactoe" / "board.css"


@pytest.fixture(autouse=True)
def _urls() -> Iterator[None]:
    if not settings.configured:  # alone (pytest -p no:django); the site's settings otherwise
        settings.configure(INSTALLED_APPS=[], STATIC_URL="/static/", USE_I18N=False)
    django.setup()  # a no-op once the apps are loaded
    set_urlconf("tests.games.tictactoe.urls")
    yield
    set_urlconf(None)


class Page(HTMLParser):
    """What a user sees: the elements with their attributes and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def labels(self) -> list[str | None]:
        return [a.get("aria-label") for _, a in self.tags if "ttt-cell" in (a.get("class") or "")]


def render(
    state: Board, *, playable: Sequence[str], last: str | None, viewer: Sequence[str] = ("x",)
) -> Page:
    board = GAME.board(state, viewer=viewer, playable=playable, last=last)
    engine = Engine(dirs=[str(PACKAGE / "templates")], libraries={"static": "django.templatetags.static"})
    html = engine.get_template(GAME.board_template).render(
        Context({"board": board, "page": {"match_id": "m1"}, "csrf_token": "tok"})
    )
    page = Page()
    page.feed(html)
    return page


def test_on_the_viewers_turn_each_empty_square_is_a_button_of_one_form() -> None:
    page = render(GAME.replay("", ["b2", "a1"]), playable=["x"], last="a1")
    forms = page.all("form", method="post", action="/matches/m1/move")
    assert len(forms) == 1
    assert forms[0]["hx-post"] == "/matches/m1/move"
    assert (forms[0]["hx-target"], forms[0]["hx-swap"]) == ("#live", "outerHTML")
    assert page.all("input", type="hidden", name="csrfmiddlewaretoken", value="tok")
    buttons = page.all("button", type="submit", name="move")
    assert [b["value"] for b in buttons] == ["a3", "b3", "c3", "a2", "c2", "b1", "c1"]
    assert buttons[0]["aria-label"] == "a3, empty"


def test_the_cells_read_top_row_first_with_marks_and_the_last_move() -> None:
    page = render(GAME.replay("", ["b2", "a1"]), playable=["x"], last="a1")
    assert page.labels() == [
        "a3, empty",
        "b3, empty",
        "c3, empty",
        "a2, empty",
        "b2, X",
        "c2, empty",
        "a1, O, last move",
        "b1, empty",
        "c1, empty",
    ]
    assert page.text == ["X", "O"]
    (last,) = [a for _, a in page.tags if "ttt-last" in (a.get("class") or "")]
    assert last["aria-label"] == "a1, O, last move"


def test_off_turn_the_board_has_no_form_and_no_button() -> None:
    for playable in ([], ["o"]):
        page = render(GAME.replay("", ["b2", "a1"]), playable=playable, last="a1")
        assert page.all("form") == []
        assert page.all("button") == []
        assert len(page.labels()) == 9


def test_a_finished_board_shows_the_winning_line_and_takes_no_clicks() -> None:
    page = render(GAME.replay("", ["a1", "a2", "b1", "b2", "c1"]), playable=["o"], last="c1")
    assert page.all("button") == []
    assert page.labels()[-3:] == [
        "a1, X, winning line",
        "b1, X, winning line",
        "c1, X, last move, winning line",
    ]


def test_the_partial_links_its_stylesheet_and_has_no_inline_style_or_script() -> None:
    assert GAME.board_template == "games/tictactoe/_board.html"
    source = TEMPLATE.read_text()
    assert "style=" not in source
    assert "<script" not in source
    page = render(Board(), playable=["x"], last=None)
    assert page.all("link", rel="stylesheet", href="/static/games/tictactoe/board.css")
    assert not any("style" in attrs for _, attrs in page.tags)


def test_the_board_fits_a_phone_screen() -> None:
    css = CSS.read_text()
    assert "width: min(100%, 360px)" in css
    assert "aspect-ratio: 1" in css
