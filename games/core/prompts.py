"""Prompt templates of a game package: ``<package>/prompts/<name>.txt``, ``string.Template``
syntax ($name), read once per process."""

from __future__ import annotations

import functools
from pathlib import Path
from string import Template


@functools.cache
def prompt_template(package_file: str, name: str) -> Template:
    """``prompt_template(__file__, "strict")`` from any module of the game package."""
    return Template(Path(package_file).with_name("prompts").joinpath(f"{name}.txt").read_text().strip())
