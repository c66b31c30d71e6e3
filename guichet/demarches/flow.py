"""Walking a démarche: which pages apply, in which order, and which one comes next.

Pure functions over a definition and the answers so far; the views only ask questions of them.
Answers map question ids to values; a repeatable page stores a list of per-item answer maps
under its repeat id.
"""
from dataclasses import dataclass

from guichet.demarches import intermediary, wording
from guichet.demarches.definitions import Demarche, Page
from guichet.demarches.identity import identity_pages

CHECK_STEP = "verifier"


@dataclass(frozen=True)
class Step:
    """One page of the walk, with its position among the pages that apply to these answers."""

    page: Page
    number: int
    total: int

    @property
    def id(self) -> str:
        return self.page.id


def all_pages(demarche: Demarche, answers: dict | None = None) -> tuple[Page, ...]:
    """"For you or for someone else?" and the helper's pages, the démarche's own pages, then the identity
    pages required by decree 2015-1404 art. 2; with `answers` of a helper, asked about the person."""
    pages = intermediary.PAGES + demarche.pages + identity_pages(demarche.identity)
    if answers is not None and intermediary.for_someone_else(answers):
        return tuple(wording.for_someone_else(page) for page in pages)
    return pages


def applicable_pages(demarche: Demarche, answers: dict) -> list[Page]:
    """Pages whose condition holds; a page after a skipped one sees that answer as missing."""
    pages = []
    for page in all_pages(demarche, answers):
        if page.when is None or page.when.matches(answers):
            pages.append(page)
    return pages


def question_ids(page: Page) -> list[str]:
    return [question.id for question in page.questions]


def is_complete(page: Page, answers: dict) -> bool:
    """A page is complete once it has been answered (optional questions store an empty answer)."""
    if page.repeat:
        items = answers.get(page.repeat.id) or []
        return len(items) >= page.repeat.min and all(_item_complete(page, item) for item in items)
    return all(question_id in answers for question_id in question_ids(page))


def _item_complete(page: Page, item: dict) -> bool:
    return all(question_id in item for question_id in question_ids(page))


def first_incomplete(demarche: Demarche, answers: dict) -> Page | None:
    for page in applicable_pages(demarche, answers):
        if not is_complete(page, answers):
            return page
    return None


def step(demarche: Demarche, answers: dict, page_id: str) -> Step | None:
    """The step for page_id if it applies to these answers, else None."""
    pages = applicable_pages(demarche, answers)
    for index, page in enumerate(pages):
        if page.id == page_id:
            return Step(page, index + 1, len(pages) + 1)
    return None


def may_visit(demarche: Demarche, answers: dict, page_id: str) -> bool:
    """A page may be shown once every page before it is complete: no skipping ahead by URL."""
    for page in applicable_pages(demarche, answers):
        if page.id == page_id:
            return True
        if not is_complete(page, answers):
            return False
    return False


def next_page(demarche: Demarche, answers: dict, page_id: str) -> Page | None:
    """The page after page_id, or None when the next thing is the check page."""
    pages = applicable_pages(demarche, answers)
    ids = [page.id for page in pages]
    position = ids.index(page_id)
    return pages[position + 1] if position + 1 < len(pages) else None


def previous_page(demarche: Demarche, answers: dict, page_id: str) -> Page | None:
    pages = applicable_pages(demarche, answers)
    ids = [page.id for page in pages]
    if page_id == CHECK_STEP:
        return pages[-1] if pages else None
    position = ids.index(page_id) if page_id in ids else 0
    return pages[position - 1] if position > 0 else None


def total_steps(demarche: Demarche, answers: dict) -> int:
    """Pages that apply plus the check page."""
    return len(applicable_pages(demarche, answers)) + 1


def relevant_answers(demarche: Demarche, answers: dict) -> dict:
    """Drop answers of pages that no longer apply (an earlier answer changed): they are not submitted."""
    kept = {}
    for page in applicable_pages(demarche, answers):
        keys = [page.repeat.id] if page.repeat else question_ids(page)
        for key in keys:
            if key in answers:
                kept[key] = answers[key]
    return kept


def follow_ups(demarche: Demarche, page: Page, answers: dict | None = None) -> list[Page]:
    """Pages right after `page` that depend on one of its answers: with htmx they appear in place.

    Only simple pages of the démarche qualify (no file, no repeat), so the page's own form can carry their
    answers; they are worded like the rest of the walk (`answers`).
    """
    own = set(question_ids(page))
    found = []
    ids = [candidate.id for candidate in demarche.pages]
    worded = [candidate for candidate in all_pages(demarche, answers) if candidate.id in ids]
    position = ids.index(page.id) if page.id in ids else -1
    for candidate in worded[position + 1:] if position >= 0 else ():
        simple = candidate.repeat is None and all(question.type != "file" for question in candidate.questions)
        if not (candidate.when and candidate.when.question in own and simple):
            break
        found.append(candidate)
    return found
