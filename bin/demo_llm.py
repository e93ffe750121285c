"""A stand-in LLM for `make run`: an OpenAI-compatible Chat Completions server on loopback.

It knows no game: it reads the last line of the prompt that lists choices ("Your legal moves:
...", "Columns with room: ...") and answers "Final answer: <one of them>" at random, after a
short think. So it plays any game of the arena under the *assisted* protocol, with no API key
and no internet, and every reply, token count and latency shows on the match page like a real
model's. Under the strict protocol it finds no list and says so (and the arena re-asks it).

    python bin/demo_llm.py --port 8002 --parent-pid PID
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_LIST_RE = re.compile(r"^[^:\n]{3,60}:\s*(\S.*)$", re.MULTILINE)


def choose(messages: list[dict[str, str]], rng: random.Random) -> str:
    prompt = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
    lists = _LIST_RE.findall(prompt)
    if not lists:
        return "I see no list of legal moves (the demo model needs the assisted protocol)."
    options = [option for option in re.split(r"[,\s]+", lists[-1]) if option]
    pick = rng.choice(options)
    return f"There are {len(options)} choices; I will pick one at random.\nFinal answer: {pick}"


class Handler(BaseHTTPRequestHandler):
    rng = random.Random()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        text = choose(body.get("messages") or [], self.rng)
        time.sleep(0.3)
        reply = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "demo"),
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
            ],
            "usage": {"prompt_tokens": len(json.dumps(body)) // 4, "completion_tokens": len(text) // 4,
                      "total_tokens": (len(json.dumps(body)) + len(text)) // 4},
        }  # fmt: skip
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _exit_with(parent: int) -> None:
    while True:
        time.sleep(2)
        try:
            os.kill(parent, 0)
        except OSError:
            os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--parent-pid", type=int, default=0)
    args = parser.parse_args()
    if args.parent_pid:
        threading.Thread(target=_exit_with, args=(args.parent_pid,), daemon=True).start()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
