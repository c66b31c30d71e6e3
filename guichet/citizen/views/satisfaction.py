""""Donnez votre avis": after a démarche (receipt page, receipt email) or a visit (a card's short link).

A request's questionnaire opens only for the browser that may see its receipt or its tracking page
(the same access, nothing new to prove); a card's questionnaire opens with the card's code. A second
send updates the answer. Everything works without JavaScript, with POST-redirect-GET.
"""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from guichet import db
from guichet.citizen.forms import SatisfactionForm
from guichet.demarches.catalogue import catalogue
from guichet.indicators import satisfaction
from guichet.requests.models import DemarcheRequest
from guichet.web import personal
from guichet.web.ratelimit import allow
from guichet.web.security import no_store

blueprint = Blueprint("satisfaction", __name__, url_prefix="/avis")


@blueprint.before_request
def _personal():
    no_store()


def granted_request(reference: str) -> DemarcheRequest | None:
    """The request if this browser may see its receipt or its tracking page now, else None."""
    if not any((personal.granted(key) or {}).get("reference") == reference for key in (personal.RECEIPT, personal.TRACKING)):
        return None
    return db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))


def form_for(answer) -> SatisfactionForm:
    """The form, filled with the answer already given (GET), or with what was just sent (POST)."""
    if answer is None or request.method == "POST":
        return SatisfactionForm()
    return SatisfactionForm(data={"rating": str(answer.rating), "clarity": answer.clarity,
                                  "helpers": list(answer.helpers or []), "comment": answer.comment})


def _demarche_title(slug: str | None) -> str | None:
    demarche = catalogue().get(slug) if slug else None
    return demarche.title if demarche else None


@blueprint.route("/demande/<reference>", methods=["GET", "POST"])
def for_request(reference: str):
    row = granted_request(reference)
    if row is None:
        if request.method == "POST":
            abort(403, description=_("Cette page n'est plus ouverte. Pour donner votre avis, ouvrez le lien de "
                                     "votre e-mail ou suivez votre demande avec vos deux codes."))
        return redirect(url_for("tracking.lookup"))
    session_db = db.session()
    answer = satisfaction.for_request(session_db, row)
    form = form_for(answer)
    if request.method == "POST" and form.validate():
        satisfaction.answer_request(session_db, row, form.opinion())
        session_db.commit()
        flash(_("Merci ! Votre avis est enregistré. Vous pouvez encore le modifier ici."), "satisfaction")
        return redirect(url_for(".for_request", reference=reference))
    session_db.commit()
    title = _demarche_title(row.demarche)
    return render_template("satisfaction/form.html", form=form, answered=answer is not None,
                           action=url_for(".for_request", reference=reference),
                           subject=_("Votre demande %(reference)s : %(title)s", reference=reference, title=title)
                           if title else None), 400 if form.errors else 200


@blueprint.route("/<code>", methods=["GET", "POST"])
def for_card(code: str):
    """The short link of a card given at the desk or read out on the phone."""
    session_db = db.session()
    card = satisfaction.invite(session_db, code)
    if card is None:
        limit, window = current_app.config["RATE_LIMIT_TRACKING"]
        limited = not allow(session_db, "avis", limit, window)
        session_db.commit()
        abort(429 if limited else 404, description=_("Nous ne trouvons pas ce code. Vérifiez les 8 lettres et "
                                                     "chiffres écrits sur votre carte."))
    if code != card.code:
        return redirect(url_for(".for_card", code=card.code))
    answer = satisfaction.invite_answer(session_db, card)
    form = form_for(answer)
    if request.method == "POST" and form.validate():
        satisfaction.answer_invite(session_db, card, form.opinion())
        session_db.commit()
        flash(_("Merci ! Votre avis est enregistré. Vous pouvez encore le modifier ici."), "satisfaction")
        return redirect(url_for(".for_card", code=card.code))
    session_db.commit()
    return render_template("satisfaction/form.html", form=form, answered=answer is not None,
                           action=url_for(".for_card", code=card.code),
                           subject=_demarche_title(card.demarche)), 400 if form.errors else 200
