"""The national "Observatoire de la qualité des démarches en ligne" indicators, per démarche, as far as the
town's own data allows; the CSV is in that shape so the town can send it.

What Guichet cannot measure itself (availability and load time of the service, measured from outside)
is written "non mesuré", never a guess.
"""
import csv
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from guichet.demarches.definitions import Demarche
from guichet.indicators import dashboard

COLUMNS = ("demarche", "intitule", "periode_debut", "periode_fin", "volumetrie", "part_en_ligne_pct",
           "disponible_en_ligne", "satisfaction_sur_10", "nombre_avis", "clarte_pct", "aide_sollicitee_pct",
           "autonomie_pct", "disponibilite", "temps_de_reponse")
NOT_MEASURED = "non mesuré"


@dataclass(frozen=True)
class Row:
    slug: str
    title: str
    volume: int
    online_share: float | None
    satisfaction: float | None
    answers: int
    clarity: float | None
    help_reached: float | None
    autonomy: float | None


def _share(part: int, total: int) -> float | None:
    return round(100 * part / total, 1) if total else None


def rows(db: Session, demarches: list[Demarche], filters: dashboard.Filters) -> list[Row]:
    volumes = dashboard.requests_per_demarche(db, filters)
    opinions: dict = {}
    for entry in dashboard.satisfaction(db, dashboard.Filters(filters.since, filters.until)):
        opinions.setdefault(entry.demarche, []).append(entry)
    result = []
    for demarche in demarches:
        total, online = volumes.get(demarche.slug, (0, 0))
        said = opinions.get(demarche.slug, [])
        answers = sum(entry.answers for entry in said)
        average = sum(entry.average * entry.answers for entry in said) / answers if answers else None
        result.append(Row(demarche.slug, demarche.title, total, _share(online, total),
                          round((average - 1) / 4 * 10, 1) if average is not None else None, answers,
                          _share(sum(entry.clear for entry in said), answers),
                          _share(sum(entry.helped for entry in said), answers),
                          _share(sum(entry.alone for entry in said), answers)))
    return result


def to_csv(found: list[Row], filters: dashboard.Filters) -> str:
    """UTF-8 CSV, one line per démarche, empty cells where there is no data yet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    blank = lambda value: "" if value is None else value
    for row in found:
        writer.writerow([row.slug, row.title, filters.since.isoformat(), filters.until.isoformat(), row.volume,
                         blank(row.online_share), "oui", blank(row.satisfaction), row.answers, blank(row.clarity),
                         blank(row.help_reached), blank(row.autonomy), NOT_MEASURED, NOT_MEASURED])
    return out.getvalue()
