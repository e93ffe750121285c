from __future__ import annotations

import dataclasses
import random
import time

import pytest

from games.connect4 import GAME, bots
from games.connect4.rules import State
from tests.games.connect4.helpers import DRAWN_GAME, forces_win, threat_columns, winning_columns, wins_within

LEVELS = ["search:1", "search:2", "search:3", "solver"]
ALL_BOTS = ["random", *LEVELS]

# Yellow to move wins in three of its own moves, and only with column 3 (found by random play,
# checked below by exhaustive search):
#   . . . . . . .
#   . . . . . . .
#   . . . . . . .
#   R . . Y . . .
#   R Y Y R . . .
#   Y R R R Y Y R
WIN_IN_THREE = "4631432514127"


def play(moves: str) -> State:
    return GAME.replay("", list(moves))


def choose(ref: str, state: State, seed: int = 0) -> str:
    bot = GAME.bot(ref)
    assert bot is not None
    return bot.choose(state, state.turn.value, random.Random(seed))


def test_the_game_lists_a_random_mover_three_search_levels_and_a_solver() -> None:
    assert [(bot.ref, bot.label) for bot in GAME.bots()] == [
        ("random", "Random mover"),
        ("search:1", "Search 1 (quick)"),
        ("search:2", "Search 2 (careful)"),
        ("search:3", "Search 3 (deep)"),
        ("solver", "Solver (finds forced wins)"),
    ]
    assert all(bot.available for bot in GAME.bots())
    assert GAME.bot("nobody") is None


def test_the_levels_think_longer_as_they_go_up() -> None:
    budgets = [bots.LEVELS[ref].time_budget for ref in LEVELS]
    depths = [bots.LEVELS[ref].max_depth for ref in LEVELS]
    assert budgets == sorted(budgets)
    assert len(set(budgets)) == 4
    assert depths == sorted(depths)
    assert bots.LEVELS["solver"].time_budget == bots.SOLVER_BUDGET


@pytest.mark.parametrize(
    ("moves", "wins"),
    [
        pytest.param("112233", {"4"}, id="across"),
        pytest.param("121212", {"1"}, id="up"),
        pytest.param("1223343447", {"4"}, id="rising diagonal"),
        # Yellow threatens 5 on top of its three: winning beats blocking.
        pytest.param("152535", {"4"}, id="rather than block"),
    ],
)
@pytest.mark.parametrize("ref", LEVELS)
def test_every_search_level_takes_an_immediate_win(ref: str, moves: str, wins: set[str]) -> None:
    state = play(moves)
    assert {str(c + 1) for c in winning_columns(state)} == wins  # the position is what it claims
    for seed in range(3):
        assert choose(ref, state, seed) in wins


@pytest.mark.parametrize(
    ("moves", "block"),
    [
        pytest.param("11223", "4", id="across"),
        pytest.param("12121", "1", id="up"),
        pytest.param("124433244", "3", id="rising diagonal"),
        pytest.param("224352433", "2", id="falling diagonal"),
    ],
)
@pytest.mark.parametrize("ref", LEVELS)
def test_every_search_level_blocks_an_immediate_threat(ref: str, moves: str, block: str) -> None:
    state = play(moves)
    assert winning_columns(state) == []
    assert [str(c + 1) for c in threat_columns(state)] == [block]
    for seed in range(3):
        assert choose(ref, state, seed) == block


def test_the_win_in_three_position_needs_exactly_three_moves_and_one_column() -> None:
    state = play(WIN_IN_THREE)
    assert state.turn.value == "yellow"
    assert not wins_within(state, 2)
    assert wins_within(state, 3)
    winners = [c for c in state.legal_columns() if forces_win(state.play(c), 2)]
    assert winners == [2]


@pytest.mark.parametrize("seed", range(3))
def test_the_solver_plays_the_forced_win_in_three(seed: int) -> None:
    state = play(WIN_IN_THREE)
    move = choose("solver", state, seed)
    assert forces_win(state.play(int(move) - 1), 2)
    decision = bots.decide(state, bots.LEVELS["solver"], random.Random(seed))
    assert decision.proven_win


def test_the_solver_converts_a_forced_win_to_the_end() -> None:
    """From the win-in-three position the solver wins against every defence it is offered."""
    rng = random.Random(5)
    for _ in range(5):
        state = play(WIN_IN_THREE)
        while not state.is_over():
            if state.turn.value == "yellow":
                state = state.play(int(choose("solver", state, rng.randrange(100))) - 1)
            else:
                state = state.play(rng.choice(state.legal_columns()))
        assert state.winner() is not None
        assert state.winner().value == "yellow"
        assert len(state.history) <= len(WIN_IN_THREE) + 5


def test_a_lost_position_is_scored_as_a_proven_loss() -> None:
    # Red has two threats on the bottom row (columns 1 and 5): Yellow can block only one.
    state = play("27374")  # Red 2, 3, 4 on the bottom row: open at 1 and 5
    decision = bots.decide(state, bots.LEVELS["search:2"], random.Random(0))
    assert decision.score <= -bots.PROVEN
    assert str(decision.column + 1) in {"1", "5"}


@pytest.mark.parametrize("ref", ALL_BOTS)
def test_every_bot_plays_only_legal_moves_in_varied_positions(ref: str) -> None:
    rng = random.Random(11)
    # Late positions of a real game, with full columns, so the deep levels answer quickly.
    for moves in [DRAWN_GAME[:20], DRAWN_GAME[:27], DRAWN_GAME[:35]]:
        state = play(moves)
        assert choose(ref, state, rng.randrange(100)) in GAME.legal(state, state.turn.value)
    assert not play(DRAWN_GAME[:35]).can_play(3)


def test_the_rng_varies_the_choice_among_equally_good_moves() -> None:
    # The random mover and the quick level vary from the empty grid; a forced choice never does.
    assert len({choose("random", play(""), seed) for seed in range(20)}) > 3
    assert len({choose("search:1", play(""), seed) for seed in range(20)}) > 1
    assert {choose("search:3", play("11223"), seed) for seed in range(5)} == {"4"}


@pytest.mark.parametrize("ref", LEVELS)
def test_a_search_keeps_to_its_time_budget(ref: str) -> None:
    level = bots.LEVELS[ref]
    # The empty grid and an open middle game: no forced result cuts the thinking short.
    for moves in ["", DRAWN_GAME[:12]]:
        started = time.perf_counter()
        choose(ref, play(moves))
        elapsed = time.perf_counter() - started
        assert elapsed < 2 * level.time_budget + 0.5, f"{ref} thought {elapsed:.2f}s on {moves!r}"


def test_search_3_beats_the_random_mover_in_10_of_10_games_on_a_short_clock() -> None:
    # The level's depth and ordering with a twentieth of its clock, to keep the suite fast; the
    # slow test below plays the real bot.
    level = dataclasses.replace(bots.LEVELS["search:3"], time_budget=0.05)
    assert _match_wins(lambda state, rng: bots.decide(state, level, rng).column) == 10


@pytest.mark.slow
def test_search_3_beats_the_random_mover_in_10_of_10_games() -> None:
    bot = GAME.bot("search:3")
    assert bot is not None
    assert _match_wins(lambda state, rng: int(bot.choose(state, state.turn.value, rng)) - 1) == 10


def _match_wins(search: object) -> int:
    """Games of 10 (seeded, the search Red in half of them) the search wins against random."""
    assert callable(search)
    wins = 0
    for seed in range(10):
        rng = random.Random(seed)
        search_seat = "red" if seed % 2 == 0 else "yellow"
        state = State()
        while not state.is_over():
            if state.turn.value == search_seat:
                state = state.play(search(state, rng))
            else:
                state = state.play(bots.random_column(state, rng))
        winner = state.winner()
        wins += winner is not None and winner.value == search_seat
    return wins
