"""Material for MkDocs specifics: the colour scheme a page starts in.

Material starts every page in the first palette's scheme and only applies "follow the
system" once its bundle has run, at the end of the page: in between, a dark-scheme
reader's browser fetches the light images at the top of the page as well. The script
made here runs as the body opens, before any image, and picks the scheme the bundle
will pick.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["early_scheme_script", "insert_after_body"]

_BODY = re.compile(r"<body\b[^>]*>")
_DARK = "(prefers-color-scheme: dark)"


def early_scheme_script(palettes: Sequence[Any]) -> str | None:
    """The script that sets the dark scheme as the body opens; None without a dark
    palette that follows the system. ``palettes`` is the theme's ``palette`` setting."""
    dark = next((p for p in palettes if isinstance(p, dict) and p.get("media") == _DARK), None)
    if dark is None:
        return None
    scheme = json.dumps(dark.get("scheme") or "default")  # Material's own default
    return (
        f'<script>if(!__md_get("__palette")&&matchMedia({json.dumps(_DARK)}).matches)'
        f'document.body.setAttribute("data-md-color-scheme",{scheme})'
        "</script>"
    )


def insert_after_body(output: str, script: str) -> str:
    """``output`` with ``script`` right after its ``<body>`` tag, if it is a Material page
    (one that defines ``__md_get`` in its head); otherwise unchanged."""
    body = _BODY.search(output)
    if body is None or "__md_get" not in output[: body.start()]:
        return output
    return output[: body.end()] + script + output[body.end() :]
