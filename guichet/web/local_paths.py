"""Paths a visitor asks to be sent back to: a report's page, a language switch, "suivant".

Such a path becomes a `Location` header, so it must stay on this site and be a valid header:
no space or control character (a newline breaks the header), no scheme or host, no backslash
(browsers read `/\\evil.example` as `//evil.example`). Werkzeug percent-encodes the rest.
Checked with `fullmatch`: `$` would also match before a final newline.
"""
import re

_CHAR = r"[^\s\x00-\x1f\x7f-\x9f\ud800-\udfff\\#?]"
PATH_RE = re.compile(rf"/(?!/){_CHAR}{{0,299}}")
PATH_AND_QUERY_RE = re.compile(rf"/(?!/){_CHAR}{{0,299}}(?:\?(?:{_CHAR}|\?){{0,500}})?")


def is_local_path(value: str | None, *, query: bool = False) -> bool:
    """True for a path of this site; with `query`, a query string may follow."""
    pattern = PATH_AND_QUERY_RE if query else PATH_RE
    return isinstance(value, str) and pattern.fullmatch(value) is not None
