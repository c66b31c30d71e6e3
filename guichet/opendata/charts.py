"""The monthly charts of /statistiques (drawn by guichet/web/charts.py and components/bar_chart.html) and
their figures written for people.

A withheld value (under 5, or one that would give such a count away by subtraction, see disclosure) gets no
bar but a dotted outline, and "non publié" in the table.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal, gettext

from guichet.opendata.indicators import Figures
from guichet.web import charts
from guichet.web.charts import Chart, Value


def month_date(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def month_name(month: str) -> str:
    """"2026-03" → "mars 2026" (in the page's language)."""
    return format_date(month_date(month), "MMMM y")


def bar_chart(slug: str, title: str, summary: str, column: str, values: dict[str, float | None],
              shown, withheld: str, ceiling: float | None = None) -> Chart:
    """`values`: month → value (None: withheld), oldest first; `shown(value)` writes a value for people;
    `withheld` is what the table says instead of a withheld value; `ceiling`: the top of the scale (100 %),
    else the highest value."""
    highest = ceiling or max((value for value in values.values() if value is not None), default=0) or 1
    maximum = shown(highest) if any(value is not None for value in values.values()) else ""
    return charts.columns(slug, title, summary, gettext("Mois"), column,
                          [Value(month_name(month), value, withheld if value is None else shown(value),
                                 short=format_date(month_date(month), "MMMMM"))
                           for month, value in values.items()], highest, maximum)


def number(value: float) -> str:
    return format_decimal(value, format="#,##0.#")


def _count(value: float) -> str:
    return number(value)


def _days(value: float) -> str:
    return gettext("%(days)s jours", days=number(value))


def _percent(value: float) -> str:
    return gettext("%(percent)s %%", percent=number(value))


def received_chart(slug: str, monthly: dict[str, Figures], total: Figures) -> Chart:
    values = {month: figures.received for month, figures in monthly.items()}
    published = {month: value for month, value in values.items() if value is not None}
    if total.received is None:
        summary = gettext("Pour protéger les personnes, nous ne publions pas le nombre de demandes de ces 12 mois.")
    elif not published:
        summary = gettext("En 12 mois, il y a eu %(count)s demandes. Pour protéger les personnes, nous ne publions "
                          "pas le nombre de chaque mois.",
                          count=number(total.received))
    else:
        busiest = max(published, key=lambda month: published[month])
        summary = gettext("En 12 mois, il y a eu %(count)s demandes, le plus en %(month)s : %(most)s demandes.",
                          count=number(total.received),
                          month=month_name(busiest), most=number(published[busiest]))
    return bar_chart(f"{slug}-demandes", gettext("Demandes reçues chaque mois"), summary,
                     gettext("Demandes reçues"), values, _count, gettext("non publié"))


def delay_chart(slug: str, monthly: dict[str, Figures], total: Figures) -> Chart:
    if total.median_days is None:
        summary = gettext("Pour protéger les personnes, nous ne publions pas le délai de ces 12 mois : trop peu de "
                          "décisions.")
    else:
        summary = gettext("En 12 mois, la moitié des demandes ont reçu une décision en moins de %(days)s.",
                          days=_days(total.median_days))
    return bar_chart(f"{slug}-delai", gettext("Délai de décision chaque mois (médiane)"), summary,
                     gettext("Délai médian depuis la réception"),
                     {month: figures.median_days for month, figures in monthly.items()}, _days,
                     gettext("non publié"))


def on_time_chart(slug: str, monthly: dict[str, Figures], total: Figures) -> Chart:
    if total.on_time_percent is None:
        summary = gettext("Pour protéger les personnes, nous ne publions pas la part de ces 12 mois : trop peu de "
                          "décisions.")
    else:
        summary = gettext("En 12 mois, le service a répondu avant la date fixée par la loi pour %(percent)s "
                          "des demandes.", percent=_percent(total.on_time_percent))
    return bar_chart(f"{slug}-dans-le-delai", gettext("Réponses dans le délai légal chaque mois"), summary,
                     gettext("Part des décisions dans le délai légal"),
                     {month: figures.on_time_percent for month, figures in monthly.items()}, _percent,
                     gettext("non publié"), ceiling=100)


@dataclass(frozen=True)
class Written:
    """A démarche's figures over the period, written for people."""

    received: str
    delay: str
    on_time: str
    satisfaction: str
    reports: str
    reports_treated: str


def written(figures: Figures, legal_delay: bool) -> Written:
    def count(value: int | None) -> str:
        return gettext("non publié") if value is None else number(value)

    if not legal_delay:
        on_time = gettext("sans objet : pas de délai légal")
    elif figures.on_time_percent is None:
        on_time = gettext("non publié")
    else:
        on_time = _percent(figures.on_time_percent)
    satisfaction = gettext("non publié") if figures.rating_average is None else gettext(
        "%(average)s sur 5 (%(count)s réponses)", average=number(figures.rating_average), count=number(figures.ratings))
    return Written(count(figures.received),
                   gettext("non publié") if figures.median_days is None
                   else _days(figures.median_days),
                   on_time, satisfaction, count(figures.reports), count(figures.reports_treated))
