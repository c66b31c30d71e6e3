"""The front matter of fiches and life events (site/content/<lang>/…/*.md), as pydantic models.

These models say what the YAML header of a Markdown file may contain; they are published as
site/content/schema.json. What points outside the file (services, démarches, other fiches,
image files, links in the text) and the sections of the body are checked by loader.py.
Descriptions are in French: content editors read them in their editor.
"""
from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, model_validator

from lexicon.datafiles import Slug, SlugList, Strict, Text, plain_pattern, problem, unique_list

AUDIENCES = ("particulier", "famille", "jeune", "senior", "handicap", "professionnel", "association")
PHASES = ("avant", "jour_j", "apres")
STEP_KINDS = ("fiche", "demarche")
MAX_DEADLINE_LENGTH = 90
MAX_SUMMARY_SENTENCES = 3
HTTPS_URL = plain_pattern(r"^https://\S+$", "une adresse web qui commence par https://")


class Source(Strict):
    """Un texte de loi ou une page officielle qui appuie la fiche."""

    title: Text = Field(description="Le nom de la source.")
    url: str = Field(pattern=HTTPS_URL, description="L'adresse de la source, en https://.")


class Image(Strict):
    """Une image ou un pictogramme de site/content/images/."""

    file: Text = Field(description="Le nom du fichier dans site/content/images/ (15 Ko au plus).")
    alt: Text | None = Field(None, description="Ce que montre l'image, en une phrase.")
    decorative: StrictBool = Field(False, description="true : image décorative, sans texte alternatif.")

    @model_validator(mode="after")
    def _described(self) -> Image:
        if not self.decorative and self.alt is None:
            raise problem(f"l'image « {self.file} » n'a pas de texte alternatif "
                          "(ajoutez « alt » ou « decorative: true »)", "alt")
        return self


class Archived(Strict):
    """Une fiche archivée : son adresse renvoie vers la fiche qui la remplace, ou dit qu'elle n'existe plus."""

    replacement: Annotated[Slug, Field(max_length=80)] | None = Field(
        None, description="La fiche qui la remplace ; vide : la page répond « Cette page n'existe plus ».")
    reason: Annotated[Text, Field(max_length=2000)] = Field(description="Pourquoi la fiche est archivée.")


class Fiche(Strict):
    """L'en-tête d'une fiche : site/content/<langue>/<slug>.md. Guide : site/content/README.md."""

    model_config = Strict.model_config | {"title": "Fiche Guichet (en-tête)"}

    slug: Annotated[Slug, Field(max_length=80)] = Field(description="Identique au nom du fichier, sans « .md ».")
    title: Annotated[Text, Field(max_length=120)] = Field(description="Le titre de la fiche.")
    summary: Annotated[Text, Field(max_length=400)] = Field(description="« En bref » : 1 à 3 phrases courtes.")
    life_events: SlugList = Field([], description="Les événements de vie (fichiers de fr/evenements/).")
    audience: unique_list(Literal[AUDIENCES]) = Field([], description="Les publics concernés.")
    owner_service: Annotated[Slug, Field(max_length=80)] = Field(
        description="Le service responsable : une clé de « services » du fichier de réglages.")
    source: Annotated[list[Source], Field(min_length=1)] = Field(
        description="Au moins une source : loi ou page officielle.")
    verified: datetime.date = Field(description="La date de la dernière vérification, au format AAAA-MM-JJ.")
    related_demarches: SlugList = Field([], description="Les démarches liées (fichiers de site/forms/).")
    related_fiches: SlugList = Field([], description="Les autres fiches liées.")
    keywords: list[Text] = Field([], description="Des mots en plus pour la recherche.")
    images: Annotated[list[Image], Field(min_length=1)] = Field(description="Au moins une image ou un pictogramme.")
    archived: Archived | None = Field(None, description="Présent quand la fiche est archivée (depuis l'espace de gestion).")

    @model_validator(mode="after")
    def _short_summary(self) -> Fiche:
        if len(re.findall(r"[.!?](?:\s|$)", self.summary)) > MAX_SUMMARY_SENTENCES:
            raise problem(f"« En bref » doit tenir en {MAX_SUMMARY_SENTENCES} phrases courtes au plus", "summary")
        return self


def _deadline(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_DEADLINE_LENGTH:
        raise problem(f"le délai est une phrase courte ({MAX_DEADLINE_LENGTH} caractères au plus), "
                      "par exemple « Dans les 5 jours après la naissance »")
    return value.strip()


def _mandatory(value: Any) -> Any:
    if not isinstance(value, bool):
        raise problem("écrivez « obligatoire: true » ou « obligatoire: false »")
    return value


class PhaseItem(Strict):
    """Une fiche ou une démarche à faire pendant cette phase, avec le délai que fixe la loi s'il y en a un."""

    fiche: Slug | None = Field(None, description="Le slug d'une fiche.")
    demarche: Slug | None = Field(None, description="Le slug d'une démarche.")
    delai: Annotated[str, BeforeValidator(_deadline), Field(min_length=1, max_length=MAX_DEADLINE_LENGTH)] | None = (
        Field(None, description="Le délai, en une phrase courte : « Dans les 5 jours après la naissance »."))
    obligatoire: Annotated[bool, BeforeValidator(_mandatory)] = Field(
        False, description="true : la loi oblige à faire cette étape dans le délai (« delai » est alors obligatoire).")

    @model_validator(mode="before")
    @classmethod
    def _known_keys_only(cls, data: Any) -> Any:
        """One target, then only the deadline keys; the sentence shows the whole shape of a step."""
        kinds = [kind for kind in STEP_KINDS if isinstance(data, dict) and kind in data]
        if len(kinds) != 1 or set(data) - {kinds[0], "delai", "obligatoire"}:
            raise problem("écrivez « - fiche: slug » ou « - demarche: slug », "
                          "suivi au besoin de « delai: » et « obligatoire: »")
        return data

    @model_validator(mode="after")
    def _mandatory_has_deadline(self) -> PhaseItem:
        if self.obligatoire and self.delai is None:
            raise problem("une étape obligatoire doit dire son délai avec « delai: »", "obligatoire")
        return self

    @property
    def kind(self) -> str:
        return "fiche" if self.fiche is not None else "demarche"

    @property
    def slug(self) -> str:
        return self.fiche if self.fiche is not None else self.demarche

    def step(self) -> dict:
        """What the store and the templates read: kind, slug, and the deadline keys when set."""
        step = {"kind": self.kind, "slug": self.slug}
        if self.delai is not None:
            step["delai"] = self.delai
        if self.obligatoire:
            step["obligatoire"] = True
        return step


class Phases(Strict):
    """Ce qu'il faut faire avant, le jour même et après."""

    avant: list[PhaseItem] = Field([], description="Avant l'événement.")
    jour_j: list[PhaseItem] = Field([], description="Le jour même.")
    apres: list[PhaseItem] = Field([], description="Après l'événement.")


class Event(Strict):
    """L'en-tête d'un événement de vie : site/content/<langue>/evenements/<slug>.md."""

    model_config = Strict.model_config | {"title": "Événement de vie Guichet (en-tête)"}

    slug: Annotated[Slug, Field(max_length=80)] = Field(description="Identique au nom du fichier, sans « .md ».")
    title: Annotated[Text, Field(max_length=120)] = Field(description="Le titre : « Je déménage ».")
    pictogram: Annotated[Text, Field(max_length=120)] = Field(description="Un fichier de site/content/images/.")
    order: StrictInt = Field(description="La place de l'événement dans la liste : 1 est le premier.")
    phases: Phases = Field(Phases(), description="Les fiches et démarches, par phase.")
