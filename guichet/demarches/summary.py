"""The answers of a démarche grouped into sections, for "Vérifiez vos réponses", the receipt and tracking.

Sections follow the order in which the person met them:
- every single-question page of the démarche goes into one section, "Votre demande";
- a page that groups questions under a title is its own section, headed by that title, because its
  labels ("Quel est son nom ?") only make sense with it;
- each item of a repeated page is a section ("Enfant 1", "Enfant 2");
- the identity pages the engine adds form the last section, "Vos coordonnées"; when a helper acts for the
  person, the helper's pages come before it ("La personne qui aide") and it is "Les coordonnées de la personne".
"""
from dataclasses import dataclass, field, replace

from guichet.demarches import flow, intermediary
from guichet.demarches.definitions import RESERVED_PREFIX, Demarche, Page, Question


@dataclass(frozen=True)
class Row:
    """One answer; `page_id` and `item` say which page changes it, `href` is set by the view that links it."""

    question: Question
    value: object
    page_id: str
    item: int | None = None
    item_label: str | None = None
    href: str | None = None

    @property
    def key(self) -> str:
        return self.question.label


@dataclass
class Section:
    """`kind` is "answers" (Votre demande), "identity" (Vos coordonnées), "person" (Les coordonnées de la
    personne), "intermediary" (La personne qui aide), "page" or "item" (titled)."""

    kind: str
    title: str | None = None
    rows: list[Row] = field(default_factory=list)


def sections(demarche: Demarche, answers: dict) -> list[Section]:
    """The answered questions of the pages that apply, grouped as the module docstring says."""
    found: dict[tuple, Section] = {}
    for page in flow.applicable_pages(demarche, answers):
        if page.repeat:
            for number, entry in enumerate(answers.get(page.repeat.id) or [], start=1):
                label = f"{page.repeat.item_label} {number}"
                found[("item", label)] = Section("item", label, [
                    Row(question, entry.get(question.id), page.id, number, label) for question in page.questions])
            continue
        kind, title = _section_of(page, intermediary.for_someone_else(answers))
        section = found.setdefault((kind, title), Section(kind, title))
        section.rows += [Row(question, answers.get(question.id), page.id) for question in page.questions]
    return sorted(found.values(), key=lambda section: LAST_SECTIONS.index(section.kind)
                  if section.kind in LAST_SECTIONS else -1)


LAST_SECTIONS = ("intermediary", "person", "identity")  # after the démarche's own answers, in this order


def _section_of(page: Page, for_someone_else: bool) -> tuple[str, str | None]:
    if page.id in intermediary.PAGE_IDS and for_someone_else:
        return "intermediary", None
    if page.id.startswith(RESERVED_PREFIX):
        return ("person" if for_someone_else else "identity"), None
    return ("page", page.title) if page.title else ("answers", None)


def with_links(found: list[Section], link) -> list[Section]:
    """The same sections, each row with `href=link(row)`: the check page's "Modifier" links."""
    return [Section(section.kind, section.title, [replace(row, href=link(row)) for row in section.rows])
            for section in found]


def request_summary(demarche: Demarche, request_row) -> dict:
    """What a request holds, as summary sections, its files and who acted for the person if someone did,
    for the receipt and the tracking page."""
    answers = {**request_row.answers, **request_row.identity}
    return {"sections": sections(demarche, answers), "files": {file.id: file for file in request_row.files},
            "helper": intermediary.helper_of(request_row.identity)}
