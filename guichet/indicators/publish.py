"""Small counts are never published: a count under 5 could point at a person."""
MIN_PUBLIC_COUNT = 5


def public_count(count: int | None) -> int | None:
    """The count if it may be shown to everyone, else None (shown as "moins de 5")."""
    return count if count is not None and count >= MIN_PUBLIC_COUNT else None


def public_share(part: int, total: int) -> float | None:
    """A share computed on at least 5 cases (and never revealing a part under 5 either), else None."""
    if public_count(total) is None or (0 < part < MIN_PUBLIC_COUNT) or (0 < total - part < MIN_PUBLIC_COUNT):
        return None
    return part / total
