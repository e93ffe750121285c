"""Stand-ins for Django's ``static`` and ``url`` tags, so the board partial renders in a plain
template engine with no settings and no URLconf (these tests run without Django's setup)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def static(path: str) -> str:
    return f"/static/{path}"


@register.simple_tag
def url(name: str, *args: object) -> str:
    return f"/url/{name}/" + "/".join(str(arg) for arg in args)
