from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Engine

from games.connect4 import GAME

PACKAGE = Path(__file__).resolve().parents[3] / "games" / "connect4"
TEMPLATE = PACKAGE / "templates" / "games" / "connect4" / "_board.html"
CSS = PACKAGE / "static" / "games" / "connect4" / "board.css"
# A plain engine with stand-in static and url tags: no settings, no URLconf needed.
ENGINE = Engine(
    dirs=[str(PACKAGE / "templates")],
    libraries={"static": "tests.games.connect4.template_tags"},
    builtins=["tests.games.connect4.template_tags"],
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def render(moves: str, *, playable: list[str], last: str | None) -> list[tuple[str, dict[str, Any]]]:
    state = GAME.replay("", list(moves))
    board = GAME.board(state, viewer=["red"], playable=playable, last=last)
    html = ENGINE.get_template(GAME.board_template).render(
        Context({"board": board, "page": {"match_id": "m1"}, "csrf_token": "token"})
    )
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def classes(attrs: dict[str, Any]) -> set[str]:
    return set((attrs.get("class") or "").split())


def test_the_partial_has_no_inline_style_or_script() -> None:
    text = TEMPLATE.read_text()
    assert "style=" not in text
    assert "<script" not in text
    assert "{% static 'games/connect4/board.css' %}" in text


def test_the_css_fits_a_phone_screen() -> None:
    css = CSS.read_text()
    assert "width: min(100%, 420px)" in css
    assert "aspect-ratio" in css
    assert "grid-template-columns: repeat(7, 1fr)" in css


def test_a_playable_board_has_one_form_with_a_button_per_open_column() -> None:
    tags = render("444444", playable=["red"], last="4")
    forms = [attrs for tag, attrs in tags if tag == "form"]
    assert len(forms) == 1
    form = forms[0]
    assert form["method"] == "post"
    assert form["action"] == form["hx-post"] == "/url/games:move/m1"
    assert (form["hx-target"], form["hx-swap"]) == ("#live", "outerHTML")
    assert ("input", {"type": "hidden", "name": "csrfmiddlewaretoken", "value": "token"}) in tags
    buttons = [attrs for tag, attrs in tags if tag == "button"]
    assert [b["value"] for b in buttons] == ["1", "2", "3", "4", "5", "6", "7"]
    assert all(b["name"] == "move" and b["type"] == "submit" for b in buttons)
    assert buttons[3]["aria-label"] == "Drop in column 4"
    assert ["disabled" in b for b in buttons] == [False, False, False, True, False, False, False]


@pytest.mark.parametrize("playable", [[], ["yellow"]])
def test_a_board_the_viewer_cannot_play_has_no_form(playable: list[str]) -> None:
    tags = render("45", playable=playable, last="5")  # Red to move
    assert not [tag for tag, _ in tags if tag in ("form", "button")]


def test_the_grid_shows_42_cells_top_row_first_with_the_last_disc_and_the_winning_four() -> None:
    tags = render("1122334", playable=["yellow"], last="4")
    cells = [attrs for tag, attrs in tags if tag == "div" and "c4-cell" in classes(attrs)]
    assert len(cells) == 42
    bottom = cells[-7:]
    assert [("c4-red" in classes(c), "c4-winning" in classes(c)) for c in bottom[:5]] == [
        (True, True), (True, True), (True, True), (True, True), (False, False),
    ]  # fmt: skip
    assert "c4-yellow" in classes(cells[-14])  # Yellow's 1 in the second row from the bottom
    assert [c for c in cells if "c4-last" in classes(c)] == [bottom[3]]
    assert bottom[3]["aria-label"] == "column 4, row 1: Red, last disc, in the winning four"
