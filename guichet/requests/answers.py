"""A request's answers as the person saw them: labels from the démarche definition, grouped by page,
and what changed between two versions (the person corrected the request).

Only the running definition is loaded; answers that no question of it knows are still shown, under their
key, so nothing the person sent is ever hidden from the agent.
"""
from dataclasses import dataclass

from guichet.demarches import flow
from guichet.demarches.definitions import Demarche, Question


@dataclass(frozen=True)
class Row:
    key: str
    question: Question | None
    value: object


@dataclass(frozen=True)
class Section:
    title: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    question: Question | None
    before: object
    after: object


OTHER_ANSWERS = "Autres réponses"


def merged(answers: dict, identity: dict) -> dict:
    return {**(answers or {}), **(identity or {})}


def snapshot(demarche: Demarche | None, answers: dict, identity: dict) -> list[Section]:
    """Sections in the order of the démarche's pages; repeated pages give one section per item."""
    values = merged(answers, identity)
    sections, shown = [], set()
    for page in flow.applicable_pages(demarche, values) if demarche else []:
        if page.repeat:
            shown.add(page.repeat.id)
            for number, item in enumerate(values.get(page.repeat.id) or [], start=1):
                item = item if isinstance(item, dict) else {}
                sections.append(Section(f"{page.repeat.item_label} {number}",
                                        tuple(Row(q.id, q, item.get(q.id)) for q in page.questions)))
            continue
        rows = tuple(Row(q.id, q, values.get(q.id)) for q in page.questions if q.id in values)
        shown |= {row.key for row in rows}
        if rows:
            sections.append(Section(page.title, rows))
    leftovers = tuple(Row(key, None, value) for key, value in values.items() if key not in shown)
    if leftovers:
        sections.append(Section(OTHER_ANSWERS, leftovers))
    return sections


def without(sections: list[Section], keys: frozenset[str]) -> list[Section]:
    """The same sections without the rows of `keys` (shown elsewhere on the page), and without empty sections."""
    kept = [Section(section.title, tuple(row for row in section.rows if row.key not in keys)) for section in sections]
    return [section for section in kept if section.rows]


def questions_by_key(demarche: Demarche | None) -> dict[str, tuple[str, Question | None]]:
    """Each answer key with its label, and its question when the value is a single answer."""
    found: dict[str, tuple[str, Question | None]] = {}
    for page in flow.all_pages(demarche) if demarche else ():
        if page.repeat:
            found[page.repeat.id] = (page.repeat.item_label, None)
        for question in page.questions:
            found.setdefault(question.id, (question.label, None if page.repeat else question))
    return found


def changes(demarche: Demarche | None, before: dict, after: dict) -> list[Change]:
    """Per question, before → after, in the démarche's order (unknown keys last, sorted)."""
    known = questions_by_key(demarche)
    order = {key: position for position, key in enumerate(known)}
    keys = sorted((key for key in set(before) | set(after) if before.get(key) != after.get(key)),
                  key=lambda key: (order.get(key, len(order)), key))
    return [Change(key, known.get(key, (key, None))[0], known.get(key, (key, None))[1],
                   before.get(key), after.get(key)) for key in keys]


def version_changes(demarche: Demarche | None, versions: list) -> list[tuple[object, list[Change]]]:
    """Each correction (version 2 and later) with what changed since the version before it."""
    found = []
    for previous, current in zip(versions, versions[1:]):
        found.append((current, changes(demarche, merged(previous.answers, previous.identity),
                                       merged(current.answers, current.identity))))
    return found


def display_name(identity: dict) -> str:
    """The person or organisation as the back office lists it: "Prénom Nom", or the organisation's name."""
    person = " ".join(str(identity.get(key) or "").strip() for key in ("identite_prenom", "identite_nom")).strip()
    organisation = identity.get("identite_raison_sociale") or identity.get("identite_nom_association")
    return f"{organisation} ({person})" if organisation and person else (organisation or person)
