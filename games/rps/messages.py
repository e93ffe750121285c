"""The messages of an LLM turn, from the seat's point of view (prompts/*.txt).

Everything here is built from a :class:`State`, which holds revealed rounds only: whether the
opponent has chosen in the current round, let alone what, cannot reach a prompt.
"""

from __future__ import annotations

from games.core.prompts import prompt_template
from games.rps.rules import CHOICES, SEAT_LABELS, State, other_seat
from llm.types import Message

PROTOCOLS = ("strict", "assisted")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def history_table(state: State, seat: str) -> str:
    """The revealed rounds as a Markdown table, the seat's own choice first."""
    if not state.rounds:
        return "(none yet: this is the first round)"
    lines = ["| Round | You | Opponent | Winner |", "|---|---|---|---|"]
    for n, played in enumerate(state.rounds, start=1):
        winner = played.winner
        result = "draw (replayed)" if winner is None else ("you" if winner == seat else "opponent")
        lines.append(f"| {n} | {played.choice(seat)} | {played.choice(other_seat(seat))} | {result} |")
    return "\n".join(lines)


def _standing(state: State, seat: str) -> str:
    you_need = state.wins_needed - state.wins(seat)
    they_need = state.wins_needed - state.wins(other_seat(seat))
    return (
        f"You need {_plural(you_need, 'more round win')}, your opponent {they_need}; "
        f"at most {_plural(state.rounds_left, 'round')} left before the round limit."
    )


def _values(state: State, seat: str, opponent: str) -> dict[str, str | int]:
    return {
        "seat_label": SEAT_LABELS[seat],
        "opponent": opponent,
        "best_of": state.best_of,
        "wins_needed": state.wins_needed,
        "round_cap": state.round_cap,
        "round": len(state.rounds) + 1,
        "history": history_table(state, seat),
        "your_wins": state.wins(seat),
        "their_wins": state.wins(other_seat(seat)),
        "standing": _standing(state, seat),
        "legal": ", ".join(CHOICES),
    }


def prompt_messages(state: State, seat: str, *, protocol: str, opponent: str) -> list[Message]:
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown prompt protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    values = _values(state, seat, opponent)
    return [
        Message("system", prompt_template(__file__, "system").substitute(values)),
        Message("user", prompt_template(__file__, protocol).substitute(values)),
    ]


def retry_message(state: State, seat: str, reason: str) -> Message:
    values = {"reason": reason, "round": len(state.rounds) + 1, "seat_label": SEAT_LABELS[seat]}
    return Message("user", prompt_template(__file__, "retry").substitute(values))
