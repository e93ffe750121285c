"""How a game ended, by seat: the one thing ratings and statistics read.

Scores are 1 (win), 0.5 (draw) or 0 (loss) per seat; an outcome without scores (aborted,
abandoned) has no result and counts for nobody. The arena's own terminations (resignation,
forfeit, budget, aborted, abandoned) live here, so no game has to know about them; a game adds
its own (checkmate, a full board, a line of four ...) with their labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RESIGNATION = "resignation"
# No acceptable move within the allowed attempts (an LLM), so the side loses.
FORFEIT = "forfeit"
# A token or dollar budget used up.
BUDGET = "budget"
# A provider kept failing: no result (ratings ignore it).
ABORTED = "aborted"
# Nobody moved for too long: no result.
ABANDONED = "abandoned"

CORE_TERMINATIONS: Mapping[str, str] = {
    RESIGNATION: "resignation",
    FORFEIT: "forfeit (no legal move in the allowed attempts)",
    BUDGET: "budget (tokens or dollars used up)",
    ABORTED: "provider error",
    ABANDONED: "abandonment",
}
_NO_RESULT = (ABORTED, ABANDONED)


def _score_text(score: float) -> str:
    return "1/2" if score == 0.5 else str(int(score))


@dataclass(frozen=True)
class Outcome:
    """``scores``: {seat: 1 | 0.5 | 0} for every seat, or empty when the game has no result.

    >>> Outcome.win(("x", "o"), "o", "line").result
    '0-1'
    """

    termination: str
    scores: Mapping[str, float] = field(default_factory=dict)
    # The order of the seats in the result string (the game's seat order).
    seats: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scores and set(self.scores) != set(self.seats):
            raise ValueError(f"scores {dict(self.scores)} must name every seat of {self.seats}")
        if any(score not in (0, 0.5, 1) for score in self.scores.values()):
            raise ValueError(f"scores must be 1, 0.5 or 0: {dict(self.scores)}")
        if self.scores and sum(self.scores.values()) != len(self.seats) / 2:
            raise ValueError(f"scores must add up to half the seats: {dict(self.scores)}")

    @classmethod
    def win(cls, seats: Sequence[str], winner: str, termination: str) -> Outcome:
        if winner not in seats:
            raise ValueError(f"{winner!r} is not a seat of {tuple(seats)}")
        return cls(termination, {seat: 1.0 if seat == winner else 0.0 for seat in seats}, tuple(seats))

    @classmethod
    def loss(cls, seats: Sequence[str], loser: str, termination: str) -> Outcome:
        """``loser`` loses (resigned, forfeited ...); with two seats the other one wins."""
        others = [seat for seat in seats if seat != loser]
        if len(others) != 1:
            raise ValueError(f"{loser!r} must be one of two seats {tuple(seats)}")
        return cls.win(seats, others[0], termination)

    @classmethod
    def draw(cls, seats: Sequence[str], termination: str) -> Outcome:
        return cls(termination, {seat: 0.5 for seat in seats}, tuple(seats))

    @classmethod
    def no_result(cls, seats: Sequence[str], termination: str = ABORTED) -> Outcome:
        return cls(termination, {}, tuple(seats))

    @property
    def has_result(self) -> bool:
        return bool(self.scores)

    @property
    def winner(self) -> str | None:
        """The one seat that scored 1, if any."""
        winners = [seat for seat, score in self.scores.items() if score == 1]
        return winners[0] if len(winners) == 1 else None

    @property
    def is_draw(self) -> bool:
        return self.has_result and self.winner is None

    @property
    def result(self) -> str:
        """ "1-0", "0-1", "1/2-1/2" (scores in seat order), or "*" without a result."""
        if not self.scores:
            return "*"
        return "-".join(_score_text(self.scores[seat]) for seat in self.seats)

    def score(self, seat: str) -> float | None:
        return self.scores.get(seat)

    def to_dict(self) -> dict[str, Any]:
        return {
            "termination": self.termination,
            "winner": self.winner,
            "result": self.result,
            "scores": dict(self.scores),
        }

    @classmethod
    def from_stored(
        cls, seats: Sequence[str], *, termination: str, winner: str | None, result: str | None
    ) -> Outcome:
        """Back from what a match stores (termination, winner, result), matches stored before
        this type existed included: a winner takes 1, "*" is no result, anything else a draw."""
        if result == "*" or termination in _NO_RESULT:
            return cls.no_result(seats, termination)
        if winner is not None:
            return cls.win(seats, winner, termination)
        return cls.draw(seats, termination)
