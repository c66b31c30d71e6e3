"""Organisation settings (site/settings/*.yaml): their format, and the loader that checks it.

A town re-brands Guichet by copying the settings file; a typo there would break every page or
inject bad CSS, so the file is checked at start-up and the app refuses to start with a
message naming the file and the key. The models are published as site/settings/schema.json.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field, StrictInt, ValidationError

from lexicon.datafiles import SLUG_PATTERN, Strict, Text, plain_errors, plain_pattern

TOKEN_NAME_PATTERN = plain_pattern(r"^[a-z][a-z0-9_]*$", "lettres minuscules sans accent, chiffres et « _ »")
# A CSS value without anything that could end the declaration or the style sheet.
TOKEN_VALUE_PATTERN = plain_pattern(r"^[#%(),.\- a-zA-Z0-9]+$",
                                    "une valeur CSS simple : couleur (#1d4e89), taille (4px)…")


TokenName = Annotated[str, Field(pattern=TOKEN_NAME_PATTERN)]
TokenValue = Annotated[str, Field(pattern=TOKEN_VALUE_PATTERN)]
ServiceKey = Annotated[str, Field(pattern=SLUG_PATTERN)]


class SettingsError(Exception):
    """A problem in the settings file, worded for the person who has to fix it."""

    def __init__(self, path: str, key: str, problem: str):
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"{path}: {key}: {problem}")


class Organisation(Strict):
    """L'organisation qui publie le site."""

    name: Text = Field(description="Le nom complet, par exemple « Ville d'Admiville ».")
    short_name: Text = Field(description="Le nom court, par exemple « Admiville ».")
    logo: Text = Field(description="Le fichier du logo dans site/static/img/.")
    site_url: str = Field(pattern=plain_pattern(r"^https://\S+$", "une adresse web qui commence par https://"),
                          description="L'adresse publique du site, en https://.")
    reference_prefix: str = Field("REF", pattern=plain_pattern(r"^[A-Z]{2,6}$", "2 à 6 lettres majuscules"),
                                  description="Le début des numéros de demande : ADM donne ADM-2026-000123.")
    tokens: dict[TokenName, TokenValue] = Field(
        {}, description="Les couleurs et tailles du site, en propriétés CSS : brand, brand_dark, accent, radius…")


class Reception(Strict):
    """L'accueil physique, montré sur les pages d'aide."""

    name: Text
    address: Text
    hours: Text


class Phone(Strict):
    """Le numéro d'aide par téléphone."""

    number: Text
    hours: Text


class WrittenContact(Strict):
    """Pour les personnes qui ne peuvent pas téléphoner (sourdes, malentendantes…) : dans chaque bloc de contact."""

    sms: Text = Field(description="Un numéro qui reçoit les SMS.")
    email: Text = Field(description="Une adresse de courriel.")
    relay: Text = Field(description="Comment joindre l'organisation par un service de relais téléphonique (LSF, écrit).")


class HelpPoint(Strict):
    """Un lieu où quelqu'un aide à faire ses démarches."""

    name: Text
    address: Text
    hours: Text
    what: Text = Field(description="Ce que l'on y trouve, en une ou deux phrases.")


class Service(Strict):
    """Un service de l'organisation, nommé par sa clé dans les démarches et les fiches."""

    name: Text
    address: Text
    email: Text
    phone: Text
    hours: Text


class Deadlines(Strict):
    """Comment compter les délais légaux des demandes (guichet/requests/deadlines.py)."""

    postpone_to_working_day: bool = Field(False, description=(
        "Une décision implicite qui tombe un samedi, un dimanche ou un jour férié est reportée au jour ouvré "
        "suivant. La règle n'est pas la même pour toutes les procédures : l'organisation choisit."))
    alsace_moselle: bool = Field(False, description="Ajouter le Vendredi saint et le 26 décembre aux jours fériés.")


class DataProtection(Strict):
    """Les durées de conservation qui ne dépendent pas d'une démarche."""

    report_contact_months: StrictInt = Field(
        12, ge=1, le=120, description="Après combien de mois l'adresse de contact d'un signalement est effacée (12 par défaut).")


class Editorial(Strict):
    """Les rappels envoyés aux services responsables des fiches."""

    confusion_reports_threshold: StrictInt = Field(
        5, ge=1, le=1000, description="À partir de combien de signalements « Je ne comprends pas » en 30 jours "
                                      "le service responsable d'une fiche reçoit un rappel (5 par défaut).")


class Settings(Strict):
    """Les réglages d'une organisation qui utilise Guichet. Guide : README.md, « Configuration »."""

    model_config = Strict.model_config | {"title": "Réglages Guichet"}

    organisation: Organisation
    reception: Reception
    phone: Phone
    written_contact: WrittenContact
    help_points: list[HelpPoint] = Field([], description="Les lieux d'aide aux démarches.")
    deadlines: Deadlines = Field(Deadlines(), description="Comment compter les délais légaux.")
    services: dict[ServiceKey, Service] = Field(
        description="Les services, par clé (lettres minuscules et tirets) : etat-civil, voirie…")
    data_protection: DataProtection = Field(default_factory=DataProtection,
                                            description="Protection des données : durées de conservation.")
    editorial: Editorial = Field(default_factory=Editorial, description="Fiches : rappels aux services.")


def load_settings(path: Path) -> dict:
    """Read and check the organisation settings file (name, tokens, contacts, services)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SettingsError(str(path), "(fichier)", f"fichier illisible : {error}") from error
    try:
        Settings.model_validate(raw)
    except ValidationError as error:
        key, problem = plain_errors(error)[0]
        raise SettingsError(str(path), key or "(fichier)", problem) from None
    return raw
