"""Statistical secrecy: what may be published about few people."""

SMALL_COUNT = 5  # a count under this could point at someone: it is never published


def publishable(count: int) -> int | None:
    """The count as published, or None ("moins de 5"); a figure derived from it is withheld with it."""
    return count if count >= SMALL_COUNT else None
