"""A person plays the engine in a real Chromium: clicks, typed moves, promotion, mate, replay."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MATE_IN_ONE = "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1"
PROMOTION = "8/4P1k1/8/8/8/8/8/4K3 w - - 0 1"


def _start(page, *, black: str, fen: str = "") -> None:
    page.goto("/matches/new")
    page.select_option("select[name=white]", "human")
    page.select_option("select[name=black]", black)
    page.fill("input[name=fen]", fen)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/matches/[a-z0-9]{10}/$"))


def _click_squares(page, *squares: str) -> None:
    for square in squares:
        page.click(f"[data-board] rect.square.{square}")


def test_a_person_plays_the_engine_by_clicking_and_typing(browser_page):
    page = browser_page
    _start(page, black="engine:1")
    expect(page.locator("[data-status]")).to_have_text("You are to move (White).")
    _click_squares(page, "e2")
    expect(page.locator("rect.square.e4.target")).to_have_count(1)  # legal targets are shown
    _click_squares(page, "e4")
    # The engine answers on the server; the page learns it by polling.
    expect(page.locator("ol.moves a")).to_have_count(2)
    expect(page.locator("ol.moves a").first).to_have_text("e4")
    expect(page.locator("[data-status]")).to_have_text("You are to move (White).")
    page.fill("#move-input", "Nf3")
    page.press("#move-input", "Enter")
    expect(page.locator("ol.moves a")).to_have_count(4)
    # A bad typed move is refused in place, with the reason.
    page.fill("#move-input", "Ke3")
    page.press("#move-input", "Enter")
    expect(page.locator("[data-move-error]")).to_contain_text("not a legal move")
    expect(page.locator("ol.moves a")).to_have_count(4)


def test_a_promotion_asks_for_the_piece(browser_page):
    page = browser_page
    _start(page, black="engine:1", fen=PROMOTION)
    _click_squares(page, "e7", "e8")
    chooser = page.locator("[data-promotion]")
    expect(chooser).to_be_visible()
    chooser.get_by_role("button", name="Knight").click()
    expect(page.locator("ol.moves a").first).to_have_text("e8=N+")


def test_a_finished_game_shows_its_result_and_replays(browser_page):
    page = browser_page
    _start(page, black="engine:2", fen=MATE_IN_ONE)
    _click_squares(page, "d1", "d8")
    expect(page.locator("[data-status]")).to_have_text("White wins by checkmate (1-0).")
    expect(page.locator("p.result")).to_have_text("1-0")
    expect(page.locator("form[data-move-form]")).to_have_count(0)
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".replay-note")).to_contain_text("position after ply 0 of 1")
    page.keyboard.press("End")
    expect(page.locator(".ply-counter")).to_have_text("1 / 1")


def test_resigning_ends_the_game(browser_page):
    page = browser_page
    _start(page, black="engine:1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.danger")
    expect(page.locator("[data-status]")).to_have_text("Black wins by resignation (0-1).")
