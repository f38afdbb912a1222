"""Label text for the diagram: what may appear in SVG, how wide it is, where it wraps.

Widths are estimated per character class (CJK is wide), so labels fit without a font at hand.
"""
from __future__ import annotations

import re
import unicodedata

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TOKEN = re.compile(r"\s+|[^\s\-]*-|[^\s\-]+")


def clean(text: str) -> str:
    """lxml escapes <, & and quotes itself; this only drops characters XML cannot hold."""
    return _INVALID_XML.sub("", text)


def _char_width(ch: str) -> float:
    """Rough advance widths in em, erring wide (DejaVu Sans is the widest common fallback)."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch in "iljtfrI.,;:'|!() ":
        return 0.34
    if ch in "<>=+~&%@#mwMW":
        return 0.84
    return 0.72 if ch.isupper() else 0.6


def text_width(text: str, size: float) -> float:
    return sum(_char_width(ch) for ch in text) * size


def _tokens(paragraph: str) -> list[str]:
    """Words (breakable after a hyphen) and single CJK characters, which may break anywhere."""
    out: list[str] = []
    for tok in _TOKEN.findall(paragraph):
        if any(unicodedata.east_asian_width(c) in "WF" for c in tok):
            out.extend(re.findall(r"[^\x00-\u2e7f]|[\x00-\u2e7f]+", tok))
        else:
            out.append(tok)
    return out


def wrap(text: str, max_width: float, size: float, max_lines: int = 99) -> list[str]:
    """Greedy line breaking by estimated width; overflow ends in an ellipsis."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for tok in _tokens(paragraph):
            if tok.isspace():
                line += " " if line else ""
                continue
            if text_width(line + tok, size) <= max_width:
                line += tok
                continue
            if line.strip():
                lines.append(line.rstrip())
            while len(tok) > 1 and text_width(tok, size) > max_width:  # a word wider than the box
                cut = max([i for i in range(1, len(tok)) if text_width(tok[:i], size) <= max_width] or [1])
                lines.append(tok[:cut])
                tok = tok[cut:]
            line = tok
        lines.append(line.rstrip())
    lines = [ln for ln in lines if ln]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > max_width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines
