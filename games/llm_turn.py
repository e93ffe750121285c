"""One turn of an LLM side: ask, check, re-ask with the reason, and keep every attempt.

Runs inside a runner task holding the match's lease (never in a web request). Everything the
model said, every rejected attempt and why, tokens, cost and latency are stored with the ply
(excerpts, for the match page) and in a LOG item (in full, on demand). A turn that ends without
a move (forfeit, budget, provider trouble) is stored as a TURN item, so its cost stays visible.
"""

from __future__ import annotations

import copy
import random
import secrets
import time
from dataclasses import asdict
from typing import Any

from django.conf import settings

from accounts import quotas
from games.core import ABORTED, BUDGET, FORFEIT, Outcome
from games.llm_options import LLMOptions, initial_totals
from games.models import LogItem, MatchItem, TurnItem, log_sk, now_utc, turn_sk
from games.store import commit_move, commit_outcome, commit_pause, renew_lease
from llm import client
from llm.catalog import get_model
from llm.types import Completion, Message, ProviderError

REPLY_EXCERPT = 1500
REASONING_EXCERPT = 1000


def _excerpt(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[:limit] + "…"


class _Turn:
    """The state of one turn while it is played."""

    def __init__(self, meta: MatchItem, state: Any, side: str, token: str) -> None:
        self.meta, self.state, self.side, self.token = meta, state, side, token
        self.rules = meta.rules
        self.seat = meta.seat(side)
        assert self.seat.model is not None
        self.model = get_model(self.seat.model)
        self.options = LLMOptions.from_dict(meta.llm_options)
        self.number = len(meta.record) + 1
        self.totals = copy.deepcopy(meta.totals) if meta.totals else initial_totals(self.rules.seats)
        self.totals.setdefault(side, initial_totals((side,))[side])
        self.attempts: list[dict[str, Any]] = []
        self.log_key = log_sk(self.number, secrets.token_hex(4))
        opponent = " and ".join(
            seat.label for name, seat in zip(meta.seat_names, meta.seats, strict=True) if name != side
        )
        self.messages = self.rules.prompt(state, side, protocol=self.options.protocol, opponent=opponent)
        self.transcript: dict[str, Any] = {"model": self.seat.model, "game": meta.game, "exchanges": []}

    # --- bookkeeping ------------------------------------------------------------------
    def record_reply(self, completion: Completion) -> dict[str, Any]:
        usage = completion.usage
        cost = self.model.cost(usage)
        mine = self.totals[self.side]
        mine["calls"] += 1
        mine["latency_ms"] += completion.latency_ms
        if usage is not None:
            mine["tokens_in"] += usage.input_tokens
            mine["tokens_out"] += usage.output_tokens
            mine["cached_tokens"] += usage.cached_input_tokens
            mine["reasoning_tokens"] += usage.reasoning_tokens or 0
        if cost is None:
            mine["unpriced_calls"] += 1
        else:
            mine["cost"] = round(mine["cost"] + cost, 8)
        attempt = {
            "n": len(self.attempts) + 1,
            "reply": _excerpt(completion.text, REPLY_EXCERPT),
            "reply_chars": len(completion.text),
            "reasoning": _excerpt(completion.reasoning, REASONING_EXCERPT),
            "usage": usage.to_dict() if usage else None,
            "cost": cost,
            "latency_ms": completion.latency_ms,
            "model": completion.model,
        }
        self.attempts.append(attempt)
        self.transcript["exchanges"].append(
            {
                "sent": [asdict(m) for m in self.messages],
                "reply": completion.text,
                "reasoning": completion.reasoning,
                "finish_reason": completion.finish_reason,
            }
        )
        return attempt

    def over_budget(self) -> str | None:
        mine = self.totals[self.side]
        who = self.rules.seat_label(self.side)
        used = mine["tokens_in"] + mine["tokens_out"]
        if self.options.token_budget and used > self.options.token_budget:
            return f"{who} used {used} tokens of its {self.options.token_budget}-token budget."
        spent = sum(seat["cost"] for seat in self.totals.values())
        if self.options.dollar_budget and spent > self.options.dollar_budget:
            limit = self.options.dollar_budget
            return f"The match cost ${spent:.4f}, over its ${limit:.2f} budget; {who}'s call crossed it."
        return None

    def detail(self, **more: Any) -> dict[str, Any]:
        return {"model": self.seat.model, "attempts": self.attempts, "log": self.log_key, **more}

    def log_item(self) -> LogItem:
        return LogItem(
            self.meta.pk, self.log_key, number=self.number, transcript=self.transcript, created_at=now_utc()
        )

    def turn_item(self, ended: str, **more: Any) -> TurnItem:
        return TurnItem(
            self.meta.pk,
            turn_sk(self.number, self.log_key.rsplit("#", 1)[-1]),
            number=self.number,
            side=self.side,
            player=self.seat.to_ref(),
            ended=ended,
            detail=self.detail(**more),
            created_at=now_utc(),
        )

    # --- endings ----------------------------------------------------------------------
    def play(self, move: str, *, random_move: bool = False) -> None:
        think_ms = sum(int(a.get("latency_ms") or 0) for a in self.attempts)
        commit_move(
            self.meta,
            self.state,
            self.side,
            move,
            think_ms=think_ms,
            lease_token=self.token,
            detail=self.detail(random=random_move),
            log=self.log_item(),
            extra={"totals": self.totals},
        )

    def lose(self, termination: str, ended: str, why: str) -> None:
        commit_outcome(
            self.meta,
            Outcome.loss(self.rules.seats, self.side, termination),
            lease_token=self.token,
            extra={"totals": self.totals, "pause_reason": why},
            puts=[self.turn_item(ended, why=why), self.log_item()],
        )

    def wait_for_quota(self, why: str) -> None:
        """The owner spent their daily dollars: pause until the next UTC day. Not counted as a
        provider pause (which would end in an abort); the turn starts afresh then."""
        resume = quotas.next_day_starts()
        puts = [self.turn_item("paused", why=why), self.log_item()] if self.attempts else []
        commit_pause(
            self.meta,
            reason=f"{why} The match waits for the quota to reset.",
            resume_at=resume.timestamp(),
            lease_token=self.token,
            extra={"totals": self.totals},
            puts=puts,
            counted=False,
        )

    def provider_failed(self, error: ProviderError) -> None:
        self.attempts.append({"n": len(self.attempts) + 1, "error": error.message, "kind": str(error.kind)})
        self.transcript["exchanges"].append(
            {"sent": [asdict(m) for m in self.messages], "error": error.message}
        )
        pauses = int(self.meta.pauses or 0)
        puts = [self.log_item()]
        limit = settings.ARENA_LLM_MAX_PAUSES
        if error.retryable and pauses < limit:
            delay = settings.ARENA_LLM_PAUSE_SECONDS * 2**pauses
            commit_pause(
                self.meta,
                reason=f"{error.message} Resuming automatically (pause {pauses + 1} of {limit}).",
                resume_at=time.time() + delay,
                lease_token=self.token,
                extra={"totals": self.totals},
                puts=[self.turn_item("paused", why=error.message), *puts],
            )
            return
        commit_outcome(
            self.meta,
            Outcome.no_result(self.rules.seats, ABORTED),
            lease_token=self.token,
            extra={"totals": self.totals, "pause_reason": error.message},
            puts=[self.turn_item("aborted", why=error.message), *puts],
        )


def play_llm_turn(meta: MatchItem, state: Any, side: str, token: str) -> bool:
    """Play the turn of the LLM seat ``side``; return False if the match was lost to another
    runner."""
    turn = _Turn(meta, state, side, token)
    rules = turn.rules
    for _ in range(turn.options.attempts):
        # The owner's daily dollars are checked before every call: a quota is only a
        # protection if a long game cannot run past it.
        over = quotas.over_dollars(meta.owner)
        if over is not None:
            turn.wait_for_quota(over)
            return True
        if not renew_lease(meta, token, until=time.time() + turn.options.lease_seconds):
            return False
        try:
            completion = client.complete(turn.seat.model or "", turn.messages, turn.options.call_options())
        except ProviderError as error:
            turn.provider_failed(error)
            return True
        attempt = turn.record_reply(completion)
        reading = rules.read_reply(state, side, completion.text)
        attempt.update(
            move=reading.move,
            # The move as the move list shows it: a sealed choice's label would tell it, so
            # attempts of a simultaneous game keep the move only (shown once revealed).
            san=_label(rules, state, side, reading.move),
            candidate=reading.candidate,
            reason=reading.reason,
            verdict="accepted" if reading.ok else reading.kind,
        )
        why = turn.over_budget()
        if why is not None:
            turn.lose(BUDGET, "budget", why)
            return True
        if reading.move is not None:
            turn.play(reading.move)
            return True
        turn.totals[side]["rejected"] += 1
        turn.messages = [
            *turn.messages,
            Message("assistant", completion.text),
            rules.retry(state, side, reading.reason or "no move found"),
        ]
    if turn.options.on_exhausted == "random":
        turn.totals[side]["random_moves"] += 1
        turn.play(random.Random().choice(rules.legal(state, side)), random_move=True)
        return True
    who = rules.seat_label(side)
    turn.lose(FORFEIT, "forfeit", f"No legal move in {turn.options.attempts} attempt(s); {who} forfeits.")
    return True


def _label(rules: Any, state: Any, side: str, move: str | None) -> str | None:
    if move is None:
        return None
    if rules.simultaneous:
        return move
    return str(rules.apply(state, {side: move}).label)
