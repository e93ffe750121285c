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

import chess
from django.conf import settings

from accounts import quotas
from games import bots
from games.llm_options import LLMOptions, initial_totals
from games.models import (
    LogItem,
    MatchItem,
    TurnItem,
    commit_outcome,
    commit_pause,
    commit_ply,
    log_sk,
    now_utc,
    renew_lease,
    turn_sk,
)
from games.players import PlayerSpec
from games.rules.chess import ChessGame, Outcome, Termination, color_name
from llm import client, prompts
from llm.catalog import get_model
from llm.chess_moves import parse_reply
from llm.types import Completion, Message, ProviderError

REPLY_EXCERPT = 1500
REASONING_EXCERPT = 1000


def _excerpt(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[:limit] + "…"


class _Turn:
    """The state of one turn while it is played."""

    def __init__(self, meta: MatchItem, game: ChessGame, seat: PlayerSpec, token: str) -> None:
        assert seat.model is not None
        self.meta, self.game, self.seat, self.token = meta, game, seat, token
        self.model = get_model(seat.model)
        self.options = LLMOptions.from_dict(meta.llm_options)
        self.board = game.board
        self.side = color_name(self.board.turn)
        self.other = "black" if self.side == "white" else "white"
        self.number = game.ply_count + 1
        self.totals = copy.deepcopy(meta.totals) if meta.totals else initial_totals()
        self.attempts: list[dict[str, Any]] = []
        self.log_key = log_sk(self.number, secrets.token_hex(4))
        opponent = meta.seats[1 if self.side == "white" else 0].label
        self.messages = prompts.chess_messages(
            start_fen=meta.start_fen, moves=meta.uci_moves, protocol=self.options.protocol, opponent=opponent
        )
        self.transcript: dict[str, Any] = {"model": seat.model, "exchanges": []}

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
        who = self.side.capitalize()
        used = mine["tokens_in"] + mine["tokens_out"]
        if self.options.token_budget and used > self.options.token_budget:
            return f"{who} used {used} tokens of its {self.options.token_budget}-token budget."
        spent = self.totals["white"]["cost"] + self.totals["black"]["cost"]
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
    def play(self, move: chess.Move, *, random_move: bool = False) -> None:
        record = self.game.play(move)
        think_ms = sum(int(a.get("latency_ms") or 0) for a in self.attempts)
        commit_ply(
            self.meta,
            self.game,
            record,
            think_ms=think_ms,
            lease_token=self.token,
            detail=self.detail(random=random_move),
            log=self.log_item(),
            extra={"totals": self.totals},
        )

    def lose(self, termination: Termination, ended: str, why: str) -> None:
        winner = chess.WHITE if self.other == "white" else chess.BLACK
        commit_outcome(
            self.meta,
            Outcome(termination, winner),
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
            Outcome(Termination.ABORTED, None),
            lease_token=self.token,
            extra={"totals": self.totals, "pause_reason": error.message},
            puts=[self.turn_item("aborted", why=error.message), *puts],
        )


def play_llm_turn(meta: MatchItem, game: ChessGame, seat: PlayerSpec, token: str) -> bool:
    """Play the turn of the LLM ``seat``; return False if the match was lost to another runner."""
    turn = _Turn(meta, game, seat, token)
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
            completion = client.complete(seat.model or "", turn.messages, turn.options.call_options())
        except ProviderError as error:
            turn.provider_failed(error)
            return True
        attempt = turn.record_reply(completion)
        parsed = parse_reply(completion.text, turn.board)
        attempt.update(
            move=parsed.move.uci() if parsed.move else None,
            san=turn.board.san(parsed.move) if parsed.move else None,
            candidate=parsed.candidate,
            reason=parsed.reason,
            verdict="accepted" if parsed.move else parsed.kind,
        )
        why = turn.over_budget()
        if why is not None:
            turn.lose(Termination.BUDGET, "budget", why)
            return True
        if parsed.move is not None:
            turn.play(parsed.move)
            return True
        turn.totals[turn.side]["rejected"] += 1
        turn.messages = [
            *turn.messages,
            Message("assistant", completion.text),
            prompts.chess_retry(board=turn.board, reason=parsed.reason or "no move found"),
        ]
    if turn.options.on_exhausted == "random":
        turn.totals[turn.side]["random_moves"] += 1
        turn.play(bots.random_move(turn.board, random.Random()), random_move=True)
        return True
    turn.lose(
        Termination.FORFEIT,
        "forfeit",
        f"No legal move in {turn.options.attempts} attempt(s); {turn.side.capitalize()} forfeits.",
    )
    return True
