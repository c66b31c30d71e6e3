"""French typography, applied once to every rendered page: no punctuation or half-number left alone
at the start of a line.

Spaces that the text already has become non-breaking where French typography wants them: a narrow
one before ; ! ? and inside numbers, a normal one before : and inside « », between the parts of
"8 h 30", before units and in phone numbers. Nothing is inserted where the text has no space, so
English text, addresses like https://… and times like 10:30 are left as they are. Tags, attribute
values, and the content of <pre>, <code>, <textarea>, <script> and <style> are never touched.
"""
import re

NBSP = "\u00a0"
NNBSP = "\u202f"
TAG_RE = re.compile(r"(<[^>]*>)")
RAW_TAGS = {"pre", "code", "textarea", "script", "style"}
TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
# Every rule needs a space next to one of these: a text without any is left alone at once (most are).
NEEDS_RULES_RE = re.compile(r"[;!?:«»\d]")
RULES = (
    (re.compile(r" ([;!?])"), NNBSP + r"\1"),
    (re.compile(r" (:)(?=\s|$|<)"), NBSP + r"\1"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
    (re.compile(r"\b0\d(?: \d\d){4}\b"), lambda match: match.group(0).replace(" ", NBSP)),
    (re.compile(r"(?<![\d,.])(\d{1,3})((?: \d{3})+)(?![\d,])"), lambda match: match.group(1) + match.group(2).replace(" ", NNBSP)),
    (re.compile(r"\b(\d{1,2}) h (\d\d)\b"), r"\1" + NBSP + "h" + NBSP + r"\2"),
    (re.compile(r"(\d) (€|%|h|min|km|kg|m²|ans?|jours?|mois|semaines?|heures?|minutes?|euros?)\b"), r"\1" + NBSP + r"\2"),
    (re.compile(r"(\d) (€|%)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b(n°|N°|art\.|p\.) (\d)"), r"\1" + NBSP + r"\2"),
)


def french_spacing_text(text: str) -> str:
    """The rules on plain text (no markup)."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def french_spacing(html: str) -> str:
    """The rules on the text between tags of an HTML document or fragment."""
    if " " not in html:
        return html
    pieces, raw_depth = [], 0
    for piece in TAG_RE.split(html):
        if piece.startswith("<"):
            match = TAG_NAME_RE.match(piece)
            if match and match.group(2).lower() in RAW_TAGS and not piece.endswith("/>"):
                raw_depth = max(0, raw_depth + (-1 if match.group(1) else 1))
            pieces.append(piece)
        elif raw_depth or " " not in piece or not NEEDS_RULES_RE.search(piece):
            pieces.append(piece)
        else:
            pieces.append(french_spacing_text(piece))
    return "".join(pieces)
