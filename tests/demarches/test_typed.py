"""Typed values kept in a draft: removing an item of a repeated page moves later items' values down."""
import pytest

from guichet.demarches import typed


def typed_of(*names: str) -> dict:
    """Typed values whose content names the key they were typed under, to follow where they move."""
    return {name: {"prenom_enfant": [f"typed under {name}"]} for name in names}


@pytest.mark.parametrize("before, removed, after", [
    # removed in the middle: later items move down with their values
    (["enfants/1", "enfants/2", "enfants/3"], 2, {"enfants/1": "enfants/1", "enfants/2": "enfants/3"}),
    # removed first: every item moves down
    (["enfants/1", "enfants/2", "enfants/3"], 1, {"enfants/1": "enfants/2", "enfants/2": "enfants/3"}),
    # removed last: nothing moves
    (["enfants/1", "enfants/2", "enfants/3"], 3, {"enfants/1": "enfants/1", "enfants/2": "enfants/2"}),
    # an item being added (4, never saved) moves down too; a gap stays a gap
    (["enfants/1", "enfants/4"], 2, {"enfants/1": "enfants/1", "enfants/3": "enfants/4"}),
    # other pages' typed values never move, even when their item number is higher
    (["motif/0", "animaux/3", "enfants/3"], 1, {"motif/0": "motif/0", "animaux/3": "animaux/3",
                                                "enfants/2": "enfants/3"}),
    # the only typed values were the removed item's: the typed key disappears
    (["enfants/2"], 2, {}),
    ([], 1, {}),
])
def test_removing_an_item_moves_later_typed_values_down_with_it(before, removed, after):
    answers = {"enfants": [{"prenom_enfant": "Alice"}], **({typed.TYPED_KEY: typed_of(*before)} if before else {})}
    result = typed.without_item(answers, "enfants", removed)
    assert result["enfants"] == [{"prenom_enfant": "Alice"}], "answers themselves are left to the caller"
    moved = {name: values["prenom_enfant"][0].removeprefix("typed under ")
             for name, values in (result.get(typed.TYPED_KEY) or {}).items()}
    assert moved == after
    assert (typed.TYPED_KEY in result) is bool(after)
