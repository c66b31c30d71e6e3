"""Word-level differences between two texts, for people: what was removed, what was added."""
import difflib
import re
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same" | "added" | "removed"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """Pieces in reading order; a replaced word shows as removed, then added."""
    before, after = tokens(old), tokens(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(Piece("same", "".join(before[old_start:old_end])))
            continue
        if old_end > old_start:
            pieces.append(Piece("removed", "".join(before[old_start:old_end])))
        if new_end > new_start:
            pieces.append(Piece("added", "".join(after[new_start:new_end])))
    return pieces


def changed(pieces: list[Piece]) -> int:
    """How many pieces differ (0: the texts are the same)."""
    return sum(1 for piece in pieces if piece.kind != "same")
