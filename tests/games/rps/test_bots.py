from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from games.rps import GAME
from games.rps.bots import counter_most_frequent
from games.rps.rules import Choice, Round, State

Thrower = Callable[[State, str, random.Random], str]


def duel(p1: Thrower, p2: Thrower, rounds: int, seed: int = 1) -> dict[str, int]:
    """Round wins over a long run of rounds, outside any match (whose cap would stop it)."""
    rng = random.Random(seed)
    state = State(best_of=15)
    for _ in range(rounds):
        choices = (Choice(p1(state, "p1", rng)), Choice(p2(state, "p2", rng)))
        state = State(state.best_of, (*state.rounds, Round(*choices)))
    return {"p1": state.wins("p1"), "p2": state.wins("p2"), "draws": state.draws}


def always_rock(state: State, seat: str, rng: random.Random) -> str:
    return "rock"


def mostly_rock(state: State, seat: str, rng: random.Random) -> str:
    roll = rng.random()
    return "rock" if roll < 0.7 else ("paper" if roll < 0.85 else "scissors")


def frequency() -> Thrower:
    bot = GAME.bot("frequency")
    assert bot is not None
    return bot.choose


def test_the_frequency_counter_beats_an_opponent_who_always_plays_rock() -> None:
    score = duel(frequency(), always_rock, rounds=200)

    # Only the first round, with no history, is a guess; paper wins every round after it.
    assert score["p1"] >= 199
    assert score["p2"] == 0


def test_the_frequency_counter_beats_a_70_percent_rock_opponent_significantly() -> None:
    for seed in range(5):
        score = duel(mostly_rock, frequency(), rounds=200, seed=seed)

        # Paper against it wins ~70% and loses ~15% of rounds; a fair coin would give 50/50
        # of the decided rounds. 2:1 is far outside chance over 200 rounds.
        assert score["p2"] > 2 * score["p1"], (seed, score)


def test_the_frequency_counter_plays_from_the_opponents_seat_not_its_own() -> None:
    # p1 always threw scissors, p2 always rock: p2 counters p1's scissors with rock.
    state = State(5, (Round(Choice.SCISSORS, Choice.ROCK),) * 2)

    assert frequency()(state, "p2", random.Random(0)) == "rock"
    assert frequency()(state, "p1", random.Random(0)) == "paper"


def test_the_frequency_counter_is_random_on_an_empty_history_or_a_tie() -> None:
    tie = [Choice.ROCK, Choice.PAPER, Choice.ROCK, Choice.PAPER]

    assert {counter_most_frequent([], random.Random(seed)) for seed in range(30)} == set(Choice)
    assert {counter_most_frequent(tie, random.Random(seed)) for seed in range(30)} == set(Choice)
    assert counter_most_frequent([*tie, Choice.PAPER], random.Random(0)) == Choice.SCISSORS


@pytest.mark.parametrize("ref", ["random", "frequency"])
def test_every_bot_throws_a_legal_choice_and_is_reproducible_from_its_seed(ref: str) -> None:
    bot = GAME.bot(ref)
    assert bot is not None
    state = GAME.replay("best_of=5", ["rock paper", "scissors scissors"])

    throws = [bot.choose(state, "p1", random.Random(seed)) for seed in range(40)]

    assert set(throws) <= set(GAME.legal(state, "p1"))
    assert throws == [bot.choose(state, "p1", random.Random(seed)) for seed in range(40)]


def test_the_random_thrower_uses_every_choice() -> None:
    bot = GAME.bot("random")
    assert bot is not None
    rng = random.Random(3)

    assert {bot.choose(State(), "p2", rng) for _ in range(60)} == {"rock", "paper", "scissors"}
