""""Être rappelé par un agent": its own page, reached by a plain link from the help page, every fiche and
every démarche step, so the answers typed in a démarche stay in its draft."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from guichet import db
from guichet.callbacks import service as callbacks
from guichet.callbacks.models import CallbackRequest
from guichet.citizen.forms import CallbackForm
from guichet.feedback.page_titles import page_title, site_titles
from guichet.mail import outbox
from guichet.web.local_paths import is_local_path
from guichet.web.ratelimit import allow
from guichet.web.security import no_store

blueprint = Blueprint("callbacks", __name__, url_prefix="/rappel")


def _origin(value: str | None) -> str | None:
    return value if is_local_path(value) else None


@blueprint.get("/")
def new():
    origin = _origin(request.args.get("depuis"))
    form = CallbackForm(formdata=None, depuis=origin, objet=_subject(origin))
    return render_template("callbacks/new.html", form=form, origin=origin)


def _subject(origin: str | None) -> str | None:
    """The page the person came from, in words: they can change it."""
    if not origin or origin in ("/", "/aide"):
        return None
    return page_title(origin, site_titles(db.session(), str(get_locale()))).text


@blueprint.post("/")
def create():
    form = CallbackForm()
    session = db.session()
    no_store()  # the page shows back what the person typed
    origin = _origin(form.depuis.data)
    if not form.validate():
        return render_template("callbacks/new.html", form=form, origin=origin, has_errors=True), 400
    if not allow(session, "rappel", *current_app.config["RATE_LIMIT_CALLBACKS"]):
        session.commit()
        return render_template("callbacks/new.html", form=form, origin=origin, has_errors=True, problem=gettext(
            "Vous avez déjà demandé plusieurs rappels. Réessayez dans une heure, ou appelez-nous.")), 429
    services = current_app.config["SETTINGS"]["services"]
    lang = str(get_locale())
    callbacks.create(session, CallbackRequest(
        service=callbacks.service_for_page(session, origin, services, lang), name=form.nom.data.strip(),
        phone=form.telephone.data.strip(), email=(form.email.data or "").strip() or None,
        days=list(form.jours.data or []), periods=list(form.moments.data or []), subject=form.objet.data.strip(),
        origin=origin, message=(form.message.data or "").strip(), lang=lang))
    session.commit()
    outbox.send_after_response()
    return redirect(url_for(".sent", depuis=origin, courriel="1" if form.email.data else None))


@blueprint.get("/envoye")
def sent():
    return render_template("callbacks/sent.html", origin=_origin(request.args.get("depuis")),
                           by_email=request.args.get("courriel") == "1")
