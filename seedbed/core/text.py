"""Text rules shared by every app's input validation."""

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def single_line(value: str) -> str:
    """A title or name as one clean line: control and format characters (line breaks, NUL,
    bidi overrides) dropped or turned into spaces, runs of whitespace collapsed. Titles end up
    in e-mail subjects, calendar files and HTTP headers, where a line break is an injection."""
    kept = (
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in value
        if unicodedata.category(ch) != "Cf" or ch in "\u200d"
    )
    return _WHITESPACE.sub(" ", "".join(kept)).strip()
