"""Content pages: home, life events, fiches, help and the site's informative pages."""
from email.utils import parseaddr

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from guichet import db
from guichet.citizen import nearby
from guichet.citizen.forms import FeedbackForm, PostalCodeForm
from guichet.content import queries
from guichet.demarches.catalogue import catalogue
from guichet.web.pagecache import cached_page

blueprint = Blueprint("pages", __name__)


def _lang() -> str:
    return str(get_locale())


@blueprint.get("/")
@cached_page()
def home():
    return render_template("pages/home.html", events=queries.events(db.session(), _lang()),
                           popular=catalogue().popular())


@blueprint.get("/evenements")
@cached_page()
def events():
    return render_template("pages/events.html", events=queries.events(db.session(), _lang()))


@blueprint.get("/evenements/<slug>")
@cached_page()
def event(slug: str):
    life_event = queries.event(db.session(), slug, _lang())
    if life_event is None:
        abort(404)
    titles = queries.fiche_titles(db.session(), _lang())
    return render_template("pages/event.html", event=life_event, fiche_titles=titles, demarches=catalogue())


@blueprint.get("/fiches")
@cached_page()
def fiches():
    return render_template("pages/fiches.html", fiches=queries.fiches(db.session(), _lang()))


@blueprint.get("/fiches/<slug>")
@cached_page()
def fiche(slug: str):
    session = db.session()
    page = queries.fiche(session, slug, _lang())
    if page is None:
        abort(404)
    events = [queries.event(session, event_slug, _lang()) for event_slug in page.meta.get("life_events") or []]
    archiving = queries.archiving(session, slug)
    if archiving is not None:
        return _archived(archiving, [e for e in events if e])
    related = [queries.fiche(session, other, _lang()) for other in page.meta.get("related_fiches") or []
               if queries.archiving(session, other) is None]
    demarches = [catalogue().get(other) for other in page.meta.get("related_demarches") or []]
    service = current_app.config["SETTINGS"]["services"][page.meta["owner_service"]]
    return render_template("pages/fiche.html", fiche=page, events=[e for e in events if e],
                           related=[r for r in related if r], demarches=[d for d in demarches if d],
                           service=service, feedback_form=FeedbackForm(page=f"/fiches/{slug}"))


def _archived(archiving: dict, events: list):
    """An archived fiche's address: 301 to its replacement, else 410 with its life events and search."""
    if archiving.get("replacement"):
        return redirect(url_for(".fiche", slug=archiving["replacement"]), 301)
    return render_template("pages/fiche_archived.html", events=events), 410


@blueprint.get("/demarches")
@cached_page()
def demarches():
    return render_template("pages/demarches.html", demarches=catalogue().all())


@blueprint.get("/aide")
@cached_page()
def help_page():
    return render_template("pages/help.html")


@blueprint.get("/aide/lieux")
@cached_page()
def help_points():
    """The help points, nearest first when a postal code of the area is given (JS off: a GET form)."""
    settings = current_app.config["SETTINGS"]
    form = PostalCodeForm(request.args if request.args else None)
    origin = None
    if request.args and form.validate():
        code = form.code_postal.data.strip()
        origin = (settings.get("postal_codes") or {}).get(code)
        if origin is None:
            form.code_postal.errors = [_("Nous ne connaissons pas ce code postal. Voici tous les lieux d'aide.")]
    places = nearby.nearest_first(settings.get("help_points") or [], origin)
    status = 400 if form.code_postal.errors else 200
    return render_template("pages/help_points.html", form=form, places=places, sorted_by_distance=origin is not None,
                           rounded_km=nearby.rounded_km, has_errors=status == 400), status


@blueprint.get("/ecrire")
def write():
    """The general electronic request is a démarche like the others (site/forms/ecrire.yaml): a short address."""
    return redirect(url_for("demarches.start", slug="ecrire"))


@blueprint.get("/modalites-teleservices")
@cached_page()
def teleservices():
    """Decree 2015-1404, art. 3: the téléservices, the addresses, how to reach the town, incomplete requests."""
    return render_template("pages/teleservices.html", demarches=catalogue().all(),
                           mail_from=parseaddr(current_app.config["MAIL_FROM"])[1])


@blueprint.get("/accessibilite")
@cached_page()
def accessibility():
    return render_template("pages/accessibility.html")


@blueprint.get("/donnees-personnelles")
@cached_page()
def privacy():
    return render_template("pages/privacy.html")


@blueprint.get("/plan-du-site")
@cached_page()
def site_map():
    session = db.session()
    return render_template("pages/site_map.html", events=queries.events(session, _lang()),
                           fiches=queries.fiches(session, _lang()), demarches=catalogue().all())
