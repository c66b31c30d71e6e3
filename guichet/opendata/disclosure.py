"""Statistical secrecy: what may be published about few people."""

SMALL_COUNT = 5  # a count under this could point at someone: it is never published


def publishable(count: int) -> int | None:
    """The count as published, or None ("non publié"); a figure derived from it is withheld with it."""
    return count if count >= SMALL_COUNT else None


def withheld_in_table(counts: dict, lines: list[tuple[list, object]]) -> set:
    """The cells of an additive table to withhold: each count under 5, then more, until no line (its cells
    and their total) has exactly one withheld: that one would be found by subtraction from the others.

    `counts` maps every cell and every total to its count; `lines` lists each line as (cells, total). The
    cell added is the line's smallest count still shown (its total only if nothing else is left), so as
    little as possible is lost; ties go by key, so the same table always gives the same answer.
    """
    withheld = {key for key, count in counts.items() if count < SMALL_COUNT}
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if sum(key in withheld for key in (*cells, total)) != 1:
                continue
            shown = sorted((counts[key], str(key), key) for key in cells if key not in withheld)
            withheld.add(shown[0][2] if shown else total)
            changed = True
    return withheld
