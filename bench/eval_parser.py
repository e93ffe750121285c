"""Score games.chess.reply.read_reply on real LLM chess replies.

Usage: python bench/eval_parser.py [path]   (default: ../shared/data/llm_chess_replies.jsonl)

The data (one JSON object per line, see that folder's README) is used only for evaluation; the
project's own test corpus is in tests/games/chess/test_reply.py. A record passes when:

- ``legal: true``   -> read_reply returns exactly ``intended_uci``;
- ``legal: false``  -> read_reply rejects it (we also count how often the reason names the move
  that was meant, so that the model can be told what was wrong with it);
- ``intended_uci: null`` -> read_reply rejects it as naming no move (kind "no_move"), unless
  the record says the named move is illegal (``legal: false``), which any rejection satisfies.

Prints accuracy per ``kind`` and overall, then the first failures. Exits 0 when the file is absent.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import chess

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from games.chess.reply import read_reply  # noqa: E402
from llm.answers import Reading  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "data" / "llm_chess_replies.jsonl"
SHOW_FAILURES = 30


@dataclass
class Verdict:
    passed: bool
    names_move: bool | None  # for rejected illegal moves: does the reason name the meant move?
    why: str


def judge(record: dict, result: Reading, board: chess.Board) -> Verdict:
    intended = record.get("intended_uci")
    legal = record.get("legal")
    got = result.move
    if legal is True:
        ok = got == intended
        return Verdict(ok, None, f"want {intended}, got {got or result.kind}")
    if legal is False:
        names = _names_move(result, intended, board) if intended else None
        return Verdict(result.move is None, names, f"want a rejection, got {got}")
    # intended_uci null and no verdict: the reply names no move
    ok = result.move is None and result.kind in ("no_move", "unparseable")
    return Verdict(ok, None, f"want no_move, got {got or result.kind}")


def _names_move(result: Reading, intended: str, board: chess.Board) -> bool:
    """Does the rejection reason name the move the reply meant (in UCI or as the reply wrote it)?"""
    reason = result.reason or ""
    if intended in reason:
        return True
    cand = result.candidate
    if not cand or cand not in reason:
        return False
    # The candidate must be the intended move written another way: same destination square.
    return intended[2:4] in cand


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    if not path.exists():
        print(f"eval_parser: {path} not found; nothing to evaluate.")
        return 0
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_kind: Counter[str] = Counter()
    per_kind_ok: Counter[str] = Counter()
    result_kinds: Counter[str] = Counter()
    failures: list[str] = []
    illegal_rejected = illegal_named = 0
    started = time.perf_counter()
    for rec in records:
        board = chess.Board(rec["fen"])
        result = read_reply(rec["reply"], board)
        verdict = judge(rec, result, board)
        kind = rec.get("kind", "?")
        per_kind[kind] += 1
        per_kind_ok[kind] += verdict.passed
        result_kinds[result.kind] += 1
        if rec.get("legal") is False and rec.get("intended_uci") and result.move is None:
            illegal_rejected += 1
            illegal_named += bool(verdict.names_move)
        if not verdict.passed:
            tail = rec["reply"][-160:].replace("\n", "\\n")
            failures.append(
                f"{rec.get('id')} [{kind}] {verdict.why}; reason={result.reason!r}\n    ...{tail}"
            )
    elapsed = time.perf_counter() - started

    total = sum(per_kind.values())
    passed = sum(per_kind_ok.values())
    print(f"{path}: {total} replies, parsed in {elapsed * 1000:.0f} ms")
    print(f"{'kind':<24}{'pass':>6}{'total':>7}{'acc':>8}")
    for kind in sorted(per_kind):
        acc = per_kind_ok[kind] / per_kind[kind]
        print(f"{kind:<24}{per_kind_ok[kind]:>6}{per_kind[kind]:>7}{acc:>8.1%}")
    print(f"{'overall':<24}{passed:>6}{total:>7}{passed / total:>8.1%}")
    if illegal_rejected:
        print(
            f"illegal replies rejected with a reason naming the meant move: "
            f"{illegal_named}/{illegal_rejected}"
        )
    print("parser verdicts: " + ", ".join(f"{k}={v}" for k, v in sorted(result_kinds.items())))
    if failures:
        print(f"\nfailures ({len(failures)}, first {min(len(failures), SHOW_FAILURES)}):")
        for line in failures[:SHOW_FAILURES]:
            print(" - " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
