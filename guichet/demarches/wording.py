"""Questions asked to a helper about the person they act for ("pour une autre personne").

A démarche speaks to the person ("Quelle est votre adresse ?"). When a relative, a social worker or a
guardian acts for someone, the same question is asked about that person ("Quelle est l'adresse de la
personne ?"). The wording comes from the definition (`for_someone_else`) or, when it has none, from the
rewrite rules below, written once for every démarche. The loader refuses a label or a title that would
still speak to the person after them (`speaks_to_person`), so no question is left half rewritten.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # definitions imports this module to word its questions
    from guichet.demarches.definitions import Page, Question

# "Quel est votre numéro ?" → "Quel est le numéro de la personne ?": only a short noun phrase (no "de",
# "à", "avec"…), so that "de la personne" always lands on the right noun.
QUESTION_RULE = re.compile(
    r"(?P<ask>Quel|Quelle|Quels|Quelles) (?P<verb>est|était|sont|étaient) (?P<own>votre|vos) "
    r"(?P<thing>(?:(?!\b(?:de|du|des|à|au|aux|avec|pour|par|sur|dans|en)\b)[^?])+?) \?(?P<rest>.*)")
ARTICLES = {"Quel": "le", "Quelle": "la", "Quels": "les", "Quelles": "les"}
VOWELS = tuple("aeiouyhâàéèêîôûAEIOUYHÉ")

# Words that speak to the person; "-vous" after these verbs speaks to whoever fills the form, helper included.
TO_THE_PERSON = re.compile(r"(?<![-\w])(?:votre|vos|vous)\b|\b(?!(?:voulez|pouvez|souhaitez|faites)-vous)\w+-vous\b",
                           re.IGNORECASE)


def rewritten(text: str) -> str | None:
    """The question about "la personne", by the rule; None when the rule does not apply."""
    match = QUESTION_RULE.fullmatch(text)
    if match is None:
        return None
    thing = match["thing"]
    article = ARTICLES[match["ask"]]
    if article != "les" and thing.startswith(VOWELS):
        article = "l'"
    spaced = article if article.endswith("'") else f"{article} "
    return f"{match['ask']} {match['verb']} {spaced}{thing} de la personne ?{match['rest']}"


def speaks_to_person(text: str) -> bool:
    """Whether a text still addresses the person ("votre", "vos", "vous", "avez-vous"…)."""
    return TO_THE_PERSON.search(text) is not None


# A choice written in the first person ("Je suis son enfant", "C'est mon acte") is the person speaking.
FIRST_PERSON = re.compile(r"(?<![-\w])(?:(?:je|mon|ma|mes|moi)(?![\w-])|j['’])", re.IGNORECASE)


def speaks_as_person(text: str) -> bool:
    """Whether a choice still speaks as the person ("je", "mon"…) or to them ("votre"…)."""
    return FIRST_PERSON.search(text) is not None or speaks_to_person(text)


def other_text(explicit: str | None, text: str | None) -> str | None:
    """The definition's own wording, else the rule's, else None (the same words fit a helper)."""
    if explicit is not None:
        return explicit
    return rewritten(text) if text else None


@cache
def for_someone_else(page: Page) -> Page:
    """The page as a helper sees it: every text that has another wording uses it."""
    return replace(page, title=page.other_title or page.title,
                   questions=tuple(_question(question) for question in page.questions))


def _question(question: Question) -> Question:
    return replace(question, label=question.other_label or question.label, hint=question.other_hint or question.hint,
                   options=tuple(replace(option, label=option.other_label or option.label)
                                 for option in question.options))
