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


class Coordinates(Strict):
    """Un point sur la carte, en degrés décimaux (WGS 84, comme un GPS)."""

    latitude: float = Field(ge=-90, le=90, description="Latitude, par exemple 47.0021.")
    longitude: float = Field(ge=-180, le=180, description="Longitude, par exemple 2.0043.")


PostalCode = Annotated[str, Field(pattern=r"^[0-9]{5}$")]


class HelpPoint(Strict):
    """Un lieu où quelqu'un aide à faire ses démarches."""

    name: Text
    address: Text
    hours: Text = Field(description="Les horaires d'ouverture, en phrases.")
    what: Text = Field(description="Ce que l'on y trouve, en une ou deux phrases.")
    phone: Text | None = Field(None, description="Le numéro de téléphone du lieu.")
    accessibility: Text | None = Field(None, description="L'accès au lieu : fauteuil roulant, marches, boucle "
                                                         "magnétique, en phrases.")
    coordinates: Coordinates | None = Field(None, description="Où est le lieu, pour montrer d'abord les plus proches.")


class Service(Strict):
    """Un service de l'organisation, nommé par sa clé dans les démarches et les fiches."""

    name: Text
    address: Text
    email: Text
    phone: Text
    hours: Text
    signatory_title: Text | None = Field(None, description=(
        "La fonction écrite sous le nom de l'agent qui signe une décision de ce service (CRPA L212-1), "
        "par exemple « Pour le maire et par délégation, officier de l'état civil ». Sans elle : "
        "decisions.signatory_title."))
    hierarchical_appeal: Text | None = Field(None, description=(
        "À qui faire un recours hiérarchique contre une décision de ce service, quand il existe : par exemple "
        "« au préfet du département, 2 rue de la Préfecture, 99000 Préfecture-sur-Loire ». Sans lui, les "
        "courriers de décision n'en parlent pas."))


class Tribunal(Strict):
    """Le tribunal administratif compétent (recours contentieux, code de justice administrative R421-1)."""

    name: Text = Field(description="Par exemple « Tribunal administratif d'Admiville ».")
    address: Text


class Decisions(Strict):
    """Ce que disent les courriers de décision : qui décide, qui signe, et les voies de recours (CRPA, CJA R421-5)."""

    authority: Text = Field(description="Qui décide, et reçoit le recours gracieux : par exemple « le maire d'Admiville ».")
    authority_address: Text = Field(description="L'adresse où écrire pour un recours gracieux.")
    signatory_title: Text = Field(description=(
        "La fonction écrite sous le nom de l'agent qui signe, par défaut : « Pour le maire et par délégation »."))
    tribunal: Tribunal


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
    postal_codes: dict[PostalCode, Coordinates] = Field(
        {}, description="Les codes postaux du territoire et leur centre, pour trier les lieux d'aide du plus proche "
                        "au plus loin (page « Lieux d'aide »).")
    deadlines: Deadlines = Field(Deadlines(), description="Comment compter les délais légaux.")
    services: dict[ServiceKey, Service] = Field(
        description="Les services, par clé (lettres minuscules et tirets) : etat-civil, voirie…")
    data_protection: DataProtection = Field(default_factory=DataProtection,
                                            description="Protection des données : durées de conservation.")
    decisions: Decisions = Field(description="Les courriers de décision : autorité, signature, voies de recours.")
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
