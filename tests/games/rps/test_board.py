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

import games.rps
from games.rps import GAME
from games.rps.rules import State

PACKAGE = Path(games.rps.__file__).parent
TEMPLATE = PACKAGE / "templates" / "games" / "rps" / "_board.html"


@pytest.fixture(autouse=True)
def _urls() -> Iterator[None]:
    if not settings.configured:  # alone (pytest -p no:django); the site's settings otherwise
        settings.configure(INSTALLED_APPS=[], STATIC_URL="/static/", USE_I18N=False)
    django.setup()  # a no-op once the apps are loaded
    set_urlconf("tests.games.rps.urls")
    yield
    set_urlconf(None)


class Page(HTMLParser):
    """What a user sees: the elements with their attributes, the text, the table's rows."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.text.append(text)
            if self.rows and self.tags[-1][0] in ("td", "th"):
                self.rows[-1].append(text)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def render(
    state: State, *, playable: Sequence[str], viewer: Sequence[str] = ("p1", "p2"), chosen: Sequence[str] = ()
) -> Page:
    board = GAME.board(state, viewer=viewer, playable=playable, last=None)
    board["chosen"] = list(chosen)  # what the arena fills in
    engine = Engine(dirs=[str(PACKAGE / "templates")], libraries={"static": "django.templatetags.static"})
    html = engine.get_template(GAME.board_template).render(
        Context({"board": board, "page": {"match_id": "m1"}, "csrf_token": "tok"})
    )
    page = Page()
    page.feed(html)
    return page


def test_each_playable_seat_gets_a_form_of_three_choices_posting_to_the_move_url() -> None:
    page = render(GAME.replay("best_of=5", ["rock paper"]), playable=["p1", "p2"])

    forms = page.all("form", method="post", action="/matches/m1/move")
    assert len(forms) == 2
    assert all(form["hx-post"] == "/matches/m1/move" for form in forms)
    assert all(form["hx-target"] == "#live" and form["hx-swap"] == "outerHTML" for form in forms)
    assert [i["value"] for i in page.all("input", type="hidden", name="seat")] == ["p1", "p2"]
    buttons = page.all("button", type="submit", name="move")
    assert [b["value"] for b in buttons] == ["rock", "paper", "scissors"] * 2
    assert buttons[4]["aria-label"] == "Play paper as Player 2"
    assert len(page.all("input", name="csrfmiddlewaretoken", value="tok")) == 2
    assert "Player 1: choose for round 2" in page.text


def test_a_seat_that_may_not_play_gets_no_form() -> None:
    page = render(GAME.replay("best_of=5", []), playable=[])

    assert page.all("form") == []
    assert "No rounds played yet." in page.text


def test_a_seat_that_has_chosen_is_named_without_its_choice() -> None:
    page = render(State(), playable=["p2"], viewer=["p2"], chosen=["Player 1"])

    assert "Player 1 has chosen." in page.text
    assert [i["value"] for i in page.all("input", type="hidden", name="seat")] == ["p2"]
    # Nothing is revealed yet: the only choices on the page are p2's own buttons.
    buttons = page.text[page.text.index("Your choice for round 1") + 1 :]
    assert buttons == [
        "\u270a",
        "Rock",
        "\u270b",
        "Paper",
        "\u270c\ufe0f",
        "Scissors",
        "No rounds played yet.",
    ]


def test_the_score_and_the_revealed_rounds_are_shown() -> None:
    page = render(GAME.replay("best_of=3", ["rock paper", "paper paper"]), playable=[], viewer=["p1"])

    assert page.text[:5] == ["Player 1 (you)", "0", "\u2013", "Player 2", "1"]
    assert (
        "Best of 3: first to 2 round wins. Drawn rounds are replayed. Round 3, at most 7 rounds left."
        in page.text
    )
    assert page.rows == [
        ["#", "Player 1", "Player 2", "Winner"],
        ["1", "rock", "paper", "Player 2"],
        ["2", "paper", "paper", "Draw"],
    ]


def test_the_partial_links_its_stylesheet_and_has_no_inline_style_or_script() -> None:
    page = render(State(), playable=["p1"])

    assert page.all("link", rel="stylesheet", href="/static/games/rps/board.css")
    assert (PACKAGE / "static" / "games" / "rps" / "board.css").is_file()
    assert page.all("script") == []
    assert page.all("style") == []
    assert not [
        attrs for _, attrs in page.tags if "style" in attrs or any(key.startswith("on") for key in attrs)
    ]
