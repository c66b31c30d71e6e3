"""What a person typed on a step but did not submit yet, kept in the draft.

Used when they send a difficulty report from a step (without JS the page reloads) and when they
choose "Enregistrer et reprendre plus tard" on a page that is not complete: every time the step
is shown, it shows exactly what was typed, until the step is sent and its answers are saved
(then the typed values are dropped). Kept apart from the answers, not saved as answers, because
they were never checked: a half-typed date must not count as an answer, nor reach the request.
"""
import re

from werkzeug.datastructures import MultiDict

from guichet.demarches.models import Draft

TYPED_KEY = "_saisie"
STEP_PATH_RE = re.compile(r"/demarches/(?P<slug>[a-z0-9-]+)/etape/(?P<page>[a-z][a-z0-9_]*)(?:/(?P<item>[0-9]+))?")
IGNORED_FIELDS = {"csrf_token", "action"}


def key(page_id: str, item: int | None) -> str:
    return f"{page_id}/{item or 0}"


def step_of_path(path: str) -> tuple[str, str, int | None] | None:
    """(démarche slug, page id, item) when a path is a démarche step."""
    match = STEP_PATH_RE.fullmatch(path or "")
    if not match:
        return None
    return match["slug"], match["page"], int(match["item"]) if match["item"] else None


def keep(draft: Draft, page_id: str, item: int | None, formdata) -> None:
    """Keep the step's own fields only: the report's fields (`signalement-…`) are not answers. A post
    without any of them (a report sent from the report page) leaves what was typed before."""
    values = {name: formdata.getlist(name) for name in formdata
              if name not in IGNORED_FIELDS and not name.startswith(("signalement-", "avis-"))}
    if not values:
        return
    typed = dict(draft.answers.get(TYPED_KEY) or {})
    typed[key(page_id, item)] = values
    draft.answers = {**draft.answers, TYPED_KEY: typed}


def typed_values(draft: Draft, page_id: str, item: int | None) -> MultiDict | None:
    """The typed values of a step, left in the draft: a reload shows them again."""
    values = (draft.answers.get(TYPED_KEY) or {}).get(key(page_id, item))
    if values is None:
        return None
    return MultiDict([(name, value) for name, items in values.items() for value in items])


def without_step(answers: dict, page_id: str, item: int | None) -> dict:
    """The answers without the typed values of a step that has just been sent."""
    typed = {name: values for name, values in (answers.get(TYPED_KEY) or {}).items() if name != key(page_id, item)}
    kept = {name: value for name, value in answers.items() if name != TYPED_KEY}
    return {**kept, TYPED_KEY: typed} if typed else kept


def without_item(answers: dict, page_id: str, removed: int) -> dict:
    """The typed values after item `removed` of a repeated page is taken out of its list: the removed
    item's are dropped and every later item's move down one number with it, so each item keeps its own."""
    moved = {}
    for name, values in (answers.get(TYPED_KEY) or {}).items():
        typed_page, _slash, number = name.rpartition("/")
        if typed_page != page_id or int(number) < removed:
            moved[name] = values
        elif int(number) > removed:
            moved[key(page_id, int(number) - 1)] = values
    kept = {name: value for name, value in answers.items() if name != TYPED_KEY}
    return {**kept, TYPED_KEY: moved} if moved else kept
