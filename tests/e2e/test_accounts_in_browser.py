"""A newcomer signs up, plays, logs out and in again, and finds their games and stats."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MATE_IN_ONE = "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1"
PASSWORD = "rook-lift-to-h3-and-mate"


def test_a_newcomer_keeps_the_game_won_as_a_guest_and_finds_it_after_logging_in_again(browser_page):
    page = browser_page
    name = "newcomer" + secrets.token_hex(3)

    # As a guest: mate the engine.
    page.goto("/matches/new")
    page.select_option("select[name=white]", "human")
    page.select_option("select[name=black]", "engine:1")
    page.fill("input[name=fen]", MATE_IN_ONE)
    page.get_by_role("button", name="Start the match").click()
    expect(page).to_have_url(re.compile(r"/matches/[a-z0-9]{10}/$"))
    match_url = page.url
    page.fill("#move-input", "Rd8#")
    page.press("#move-input", "Enter")
    expect(page.locator("[data-status]")).to_have_text("White wins by checkmate (1-0).")

    # Sign up: the game comes along.
    page.get_by_role("link", name="Sign up").click()
    page.fill("input[name=username]", name)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {name}!")
    expect(page.locator("[data-user]")).to_have_text(name)
    expect(page.locator("[data-my-games] li")).to_have_count(1)
    expect(page.locator("[data-outcome]")).to_have_text("you won")

    # Log out, then back in.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/me/games")
    expect(page.locator("[data-my-games] li")).to_have_count(0)
    page.get_by_role("link", name="Log in").first.click()
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[role=alert]")).to_contain_text("Wrong username or password.")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-user]")).to_have_text(name)

    # My games (filtered to wins) and the profile.
    page.select_option("select[name=result]", "won")
    page.get_by_role("button", name="Filter").click()
    games = page.locator("[data-my-games] li a")
    expect(games).to_have_count(1)
    games.first.click()
    expect(page).to_have_url(match_url)
    expect(page.locator(".match-title")).to_contain_text(f"{name} (you)")
    page.locator("[data-user]").click()
    expect(page.locator("[data-record='chess-white'] [data-won]")).to_have_text("1")
    expect(page.locator("[data-played]")).to_have_text("1")
