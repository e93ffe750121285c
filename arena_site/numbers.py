"""Strict readers of numbers typed into URLs: ASCII digits only, and not too many of them.

``str.isdigit()`` accepts superscripts ("²") and other scripts' digits that ``int()`` then
refuses, and ``int()`` of thousands of digits is refused too: either would be a 500.
"""

from __future__ import annotations

import re

_COUNT_RE = re.compile(r"[0-9]{1,9}")


def parse_count(text: str) -> int | None:
    """A non-negative integer of at most 9 ASCII digits, or None for anything else."""
    return int(text) if _COUNT_RE.fullmatch(text) else None
