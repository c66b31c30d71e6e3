"""The town's indicators (/gestion/indicateurs): where people give up and why, what they think, how fast
requests are processed; and the satisfaction card agents print for a visit at the desk or a phone call.

Everything is read from the worker's daily roll-ups (guichet.indicators.rollup), never from raw events.
"""
from datetime import date, timedelta

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from guichet import db
from guichet.audit import log as audit
from guichet.demarches.catalogue import catalogue
from guichet.feedback.reports import REPORT_CATEGORIES
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import IndicatorFiltersForm, SatisfactionCardForm
from guichet.indicators import dashboard, observatoire, satisfaction
from guichet.mail.links import site_url
from guichet.requests.submission import CHANNELS

blueprint = Blueprint("indicators", __name__, url_prefix="/indicateurs")
ROLES = ("superviseur", "admin")
CARD_ROLES = ("agent", "superviseur", "admin")
DEFAULT_DAYS = 90


def _filters_form() -> IndicatorFiltersForm:
    form = IndicatorFiltersForm(request.args)
    form.demarche.choices = [(item.slug, item.title) for item in catalogue().all()]
    form.canal.choices = [("", _("Tous"))] + [(key, str(label)) for key, label in CHANNELS.items()]
    return form


def _filters(form: IndicatorFiltersForm) -> dashboard.Filters:
    until = form.jusqu_au.data or date.today()
    since = form.depuis.data or until - timedelta(days=DEFAULT_DAYS)
    slug = form.demarche.data or (form.demarche.choices[0][0] if form.demarche.choices else None)
    return dashboard.Filters(since, until, slug, form.canal.data or None)


@blueprint.get("/")
@requires(*ROLES)
def index():
    form = _filters_form()
    if request.args and not form.validate():
        return render_template("gestion/indicators/index.html", form=form, has_errors=True), 400
    filters = _filters(form)
    session = db.session()
    demarche = catalogue().get(filters.demarche)
    found = dashboard.funnel(session, demarche, filters) if demarche else None
    definitions = catalogue().all()
    return render_template(
        "gestion/indicators/index.html", form=form, filters=filters, demarche=demarche, funnel=found,
        satisfaction=dashboard.satisfaction(session, filters), processing=dashboard.processing(session, filters),
        fiches=dashboard.fiches(session, filters), searches=dashboard.search_misses(session, filters),
        observatoire=observatoire.rows(session, definitions, filters), categories=REPORT_CATEGORIES,
        channels=CHANNELS, titles={item.slug: item.title for item in definitions},
        export_url=url_for(".export", **{key: value for key, value in request.args.items() if value}))


@blueprint.get("/observatoire.csv")
@requires(*ROLES)
def export():
    """The Observatoire's indicators for the chosen period, one line per démarche (audited: it leaves the app)."""
    form = _filters_form()
    if request.args and not form.validate():
        abort(400, description=_("Les dates du filtre ne sont pas valides. Corrigez-les puis réessayez."))
    filters = _filters(form)
    session = db.session()
    found = observatoire.rows(session, catalogue().all(), filters)
    audit.record(session, "export_observatoire", current_staff(), "indicateurs", None,
                 {"du": filters.since.isoformat(), "au": filters.until.isoformat()})
    session.commit()
    name = f"observatoire-{filters.since.isoformat()}-{filters.until.isoformat()}.csv"
    return Response(observatoire.to_csv(found, filters), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _card_form() -> SatisfactionCardForm:
    form = SatisfactionCardForm()
    form.canal.choices = [(key, str(label)) for key, label in satisfaction.INVITE_CHANNELS.items()]
    form.demarche.choices = [("", _("Aucune en particulier"))] + [(item.slug, item.title)
                                                                  for item in catalogue().all()]
    return form


@blueprint.route("/carte-avis", methods=["GET", "POST"])
@requires(*CARD_ROLES)
def new_card():
    form = _card_form()
    if request.method == "POST" and form.validate():
        session = db.session()
        card = satisfaction.new_invite(session, form.canal.data, form.demarche.data or None)
        audit.record(session, "carte_avis", current_staff(), "carte_avis", card.code, {"canal": card.channel})
        session.commit()
        return redirect(url_for(".card", code=card.code))
    return render_template("gestion/indicators/new_card.html", form=form,
                           has_errors=bool(form.errors)), 400 if form.errors else 200


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG: modules in currentColor (forced colours, print), a title saying the link."""
    svg = segno.make(url, error="m").svg_inline(scale=4, light=None, svgclass="carte-avis__qr",
                                                title=_("Code QR du lien %(url)s", url=url))
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1).replace('stroke="#000"', 'stroke="currentColor"'))


@blueprint.get("/carte-avis/<code>")
@requires(*CARD_ROLES)
def card(code: str):
    found = satisfaction.invite(db.session(), code)
    if found is None:
        abort(404)
    url = f"{site_url()}/avis/{found.code}"
    demarche = catalogue().get(found.demarche) if found.demarche else None
    return render_template("gestion/indicators/card.html", card=found, url=url, qr=qr_svg(url),
                           demarche=demarche, channel=satisfaction.INVITE_CHANNELS[found.channel])
