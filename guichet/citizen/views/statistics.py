"""/statistiques: how requests are processed, per démarche, for everyone (never a count under 5, nor one that reveals it).

Not in the shared page store: its pages live as long as the content version, the figures change daily.
The figures themselves are computed once a day (guichet/opendata/indicators.py).
"""
from flask import Blueprint, abort, render_template

from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.opendata import charts
from guichet.opendata.indicators import daily

blueprint = Blueprint("statistics", __name__)


@blueprint.get("/statistiques")
def overview():
    indicators = daily(db.session(), catalogue())
    demarches = [(demarche, charts.written(indicators.totals[demarche.slug], demarche.legal.implicit != "none"))
                 for demarche in catalogue().all()]
    return render_template("statistics/overview.html", indicators=indicators, demarches=demarches,
                           chart=charts.received_chart("site", indicators.site_monthly, indicators.site_total),
                           site=charts.written(indicators.site_total, False), **_period(indicators))


@blueprint.get("/statistiques/<slug>")
def demarche(slug: str):
    found = catalogue().get(slug)
    if found is None:
        abort(404)
    indicators = daily(db.session(), catalogue())
    monthly, total = indicators.monthly[slug], indicators.totals[slug]
    shown = [charts.received_chart(slug, monthly, total), charts.delay_chart(slug, monthly, total)]
    if found.legal.implicit != "none":
        shown.append(charts.on_time_chart(slug, monthly, total))
    return render_template("statistics/demarche.html", demarche=found, indicators=indicators, charts=shown,
                           figures=charts.written(total, found.legal.implicit != "none"), **_period(indicators))


def _period(indicators) -> dict:
    return {"first_month": charts.month_name(indicators.period.months[0]),
            "last_month": charts.month_name(indicators.period.months[-1])}
