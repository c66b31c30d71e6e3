"""The published datasets: their columns (the documented, stable schema) and their rows.

One definition serves the CSV and JSON files of /donnees, the API and its OpenAPI description, and the page
that explains every column. Column names and meanings never change within a version of the API: a new
column may be added at the end; renaming or removing one needs /api/v2.
"""
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guichet.content.models import Fiche
from guichet.demarches.catalogue import catalogue
from guichet.opendata.indicators import Indicators, daily
from guichet.requests.mails import local_day

LICENCE = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
IMPLICIT_NAMES = {"acceptance": "acceptation", "rejection": "rejet", "none": "aucune", "unknown": "a-preciser"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string, integer, number, date, uri
    description: str
    nullable: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]


KIND_NAMES = {"string": _l("texte"), "integer": _l("nombre entier"), "number": _l("nombre, avec un point avant les décimales"),
              "date": _l("date, au format AAAA-MM-JJ"), "uri": _l("adresse web")}
WITHHELD = _l("Vide quand le nombre est plus petit que 5 : nous ne le publions pas, pour protéger les personnes.")
DATASETS = {dataset.name: dataset for dataset in (
    Dataset("indicateurs", _l("Indicateurs mensuels par démarche"),
            _l("Pour chaque démarche et chaque mois : les demandes reçues, les décisions et leur délai, "
               "la satisfaction et les difficultés signalées. Les 12 derniers mois complets."), (
        Column("demarche", "string", _l("Le code de la démarche (voir le jeu « démarches »).")),
        Column("mois", "string", _l("Le mois, au format AAAA-MM (temps universel).")),
        Column("demandes_recues", "integer", _l("Le nombre de demandes reçues ce mois-là."), True),
        Column("decisions", "integer", _l("Le nombre de demandes décidées ce mois-là."), True),
        Column("delai_median_jours", "number",
               _l("La moitié des demandes décidées ce mois-là l'ont été en moins de ce nombre de jours, "
                  "depuis leur réception."), True),
        Column("part_dans_le_delai_legal_pct", "integer",
               _l("La part des décisions prises par le service avant la date de la décision implicite, "
                  "en pourcentage. Vide pour une démarche sans décision implicite."), True),
        Column("reponses_satisfaction", "integer", _l("Le nombre de réponses au questionnaire de satisfaction."),
               True),
        Column("satisfaction_moyenne", "number",
               _l("La note moyenne donnée, de 1 (très mal) à 5 (très bien)."), True),
        Column("signalements_recus", "integer",
               _l("Le nombre de difficultés signalées sur les pages de la démarche ce mois-là."), True),
        Column("signalements_traites", "integer", _l("Parmi elles, le nombre de difficultés traitées."), True),
    )),
    Dataset("demarches", _l("Démarches en ligne"),
            _l("Les démarches que vous pouvez faire sur ce site, leur règle de décision et le service qui les traite."), (
        Column("demarche", "string", _l("Le code de la démarche.")),
        Column("titre", "string", _l("Le titre de la démarche.")),
        Column("url", "uri", _l("L'adresse de la démarche sur ce site.")),
        Column("service", "string", _l("Le code du service qui traite les demandes (voir le jeu « services »)."), True),
        Column("service_nom", "string", _l("Le nom du service qui traite les demandes.")),
        Column("decision_implicite", "string",
               _l("Ce que veut dire l'absence de réponse du service à la date prévue : acceptation, rejet, "
                  "aucune (pas de décision implicite), ou a-preciser (le service le dit dans les 7 jours).")),
        Column("delai_decision_implicite_mois", "integer",
               _l("Le délai de la décision implicite, en mois, quand la loi le compte en mois."), True),
        Column("delai_decision_implicite_jours", "integer",
               _l("Le délai de la décision implicite, en jours, quand la loi le compte en jours."), True),
        Column("texte_de_reference", "string", _l("Le texte de loi qui fixe cette règle."), True),
        Column("duree_estimee_minutes", "integer", _l("Le temps estimé pour remplir la démarche, en minutes.")),
    )),
    Dataset("fiches", _l("Fiches d'information"),
            _l("Les pages qui expliquent vos droits et vos démarches, avec la date de leur dernière vérification."), (
        Column("fiche", "string", _l("Le code de la fiche.")),
        Column("titre", "string", _l("Le titre de la fiche.")),
        Column("url", "uri", _l("L'adresse de la fiche sur ce site.")),
        Column("verifiee_le", "date", _l("La date de la dernière vérification du contenu, au format AAAA-MM-JJ.")),
        Column("service", "string", _l("Le code du service responsable de la fiche.")),
        Column("service_nom", "string", _l("Le nom du service responsable de la fiche.")),
    )),
    Dataset("services", _l("Services"), _l("Les services de l'organisation et comment les joindre."), (
        Column("service", "string", _l("Le code du service.")),
        Column("nom", "string", _l("Le nom du service.")),
        Column("adresse", "string", _l("L'adresse postale.")),
        Column("telephone", "string", _l("Le numéro de téléphone.")),
        Column("courriel", "string", _l("L'adresse de courriel.")),
        Column("horaires", "string", _l("Les horaires d'ouverture, écrits en phrases.")),
    )),
    Dataset("lieux-d-aide", _l("Lieux d'aide aux démarches"),
            _l("Les lieux où quelqu'un vous aide à faire vos démarches."), (
        Column("nom", "string", _l("Le nom du lieu.")),
        Column("adresse", "string", _l("L'adresse postale.")),
        Column("horaires", "string", _l("Les horaires d'ouverture, écrits en phrases.")),
        Column("description", "string", _l("Ce que l'on trouve dans ce lieu.")),
        Column("telephone", "string", _l("Le numéro de téléphone, s'il est connu."), True),
        Column("latitude", "number", _l("La latitude (WGS 84), si elle est connue."), True),
        Column("longitude", "number", _l("La longitude (WGS 84), si elle est connue."), True),
        Column("accessibilite", "string",
               _l("Comment entrer et circuler dans le lieu : marches, ascenseur, fauteuil roulant, boucle "
                  "magnétique…, si c'est connu."), True),
    )),
)}


@dataclass(frozen=True)
class Table:
    dataset: Dataset
    rows: list[dict]
    updated: date


def table(session: Session, name: str) -> Table:
    """The rows of one dataset, and the day its data last changed."""
    dataset = DATASETS[name]
    rows, updated = BUILDERS[name](session)
    return Table(dataset, rows, updated)


def _site_url() -> str:
    return current_app.config["SETTINGS"]["organisation"]["site_url"].rstrip("/")


def _settings() -> dict:
    return current_app.config["SETTINGS"]


def _today() -> date:
    return local_day(datetime.now(timezone.utc))


def _file_day(*paths: str) -> date:
    """The day the newest of these source files changed (démarche definitions, the settings file)."""
    newest = max(os.stat(path).st_mtime for path in paths)
    return local_day(datetime.fromtimestamp(newest, timezone.utc))


def indicator_rows(indicators: Indicators) -> list[dict]:
    rows = []
    for slug, months in sorted(indicators.monthly.items()):
        for month, figures in months.items():
            rows.append({"demarche": slug, "mois": month, "demandes_recues": figures.received,
                         "decisions": figures.decided, "delai_median_jours": figures.median_days,
                         "part_dans_le_delai_legal_pct": figures.on_time_percent,
                         "reponses_satisfaction": figures.ratings, "satisfaction_moyenne": figures.rating_average,
                         "signalements_recus": figures.reports, "signalements_traites": figures.reports_treated})
    return rows


def _indicators(session: Session) -> tuple[list[dict], date]:
    indicators = daily(session, catalogue())
    return indicator_rows(indicators), indicators.computed_on


def _demarches(_session: Session) -> tuple[list[dict], date]:
    demarches = sorted(catalogue().all(), key=lambda demarche: demarche.slug)
    rows = [{"demarche": demarche.slug, "titre": demarche.title, "url": f"{_site_url()}/demarches/{demarche.slug}",
             "service": demarche.service.key, "service_nom": demarche.service.designation,
             "decision_implicite": IMPLICIT_NAMES[demarche.legal.implicit],
             "delai_decision_implicite_mois": demarche.legal.duration_months,
             "delai_decision_implicite_jours": demarche.legal.duration_days,
             "texte_de_reference": demarche.legal.reference, "duree_estimee_minutes": demarche.estimated_minutes}
            for demarche in demarches]
    return rows, _file_day(*(demarche.path for demarche in demarches)) if demarches else _today()


def _fiches(session: Session) -> tuple[list[dict], date]:
    """The French fiches (every fiche has one), read column by column: never their bodies."""
    services = _settings()["services"]
    found = session.execute(select(Fiche.slug, Fiche.title, Fiche.verified, Fiche.meta)
                            .where(Fiche.lang == "fr").order_by(Fiche.slug))
    rows = [{"fiche": slug, "titre": title, "url": f"{_site_url()}/fiches/{slug}", "verifiee_le": verified,
             "service": meta["owner_service"], "service_nom": services[meta["owner_service"]]["name"]}
            for slug, title, verified, meta in found]
    updated = session.scalar(select(func.max(Fiche.updated_at)))
    return rows, local_day(updated) if updated else _today()


def _services(_session: Session) -> tuple[list[dict], date]:
    rows = [{"service": key, "nom": service["name"], "adresse": service["address"], "telephone": service["phone"],
             "courriel": service["email"], "horaires": service["hours"]}
            for key, service in sorted(_settings()["services"].items())]
    return rows, _file_day(current_app.config["GUICHET_SETTINGS"])


def coordinates(point: dict) -> tuple[float | None, float | None]:
    """A help point's position when the settings give one: `latitude`/`longitude`, at the top or in `coordinates`."""
    place = point.get("coordinates") if isinstance(point.get("coordinates"), dict) else point
    latitude, longitude = place.get("latitude"), place.get("longitude")
    if isinstance(latitude, (int, float)) and isinstance(longitude, (int, float)):
        return float(latitude), float(longitude)
    return None, None


def _help_points(_session: Session) -> tuple[list[dict], date]:
    rows = []
    for point in _settings().get("help_points") or []:
        latitude, longitude = coordinates(point)
        rows.append({"nom": point["name"], "adresse": point["address"], "horaires": point["hours"],
                     "description": point["what"], "telephone": point.get("phone"),
                     "latitude": latitude, "longitude": longitude, "accessibilite": point.get("accessibility")})
    return rows, _file_day(current_app.config["GUICHET_SETTINGS"])


BUILDERS = {"indicateurs": _indicators, "demarches": _demarches, "fiches": _fiches, "services": _services,
            "lieux-d-aide": _help_points}

