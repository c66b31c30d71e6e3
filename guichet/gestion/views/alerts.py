""""Mes alertes": how each agent or supervisor hears of new requests and of implicit decisions coming, per service.

The emails themselves are sent by the worker (guichet/alerts/digests.py)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from guichet import db
from guichet.alerts import digests
from guichet.audit import log as audit
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import alert_preferences_form
from guichet.staff.roles import REQUEST_ROLES
from guichet.web.ratelimit import client_key

blueprint = Blueprint("alerts", __name__)
ROLES = REQUEST_ROLES


def _service_names(choices: dict) -> dict[str, str]:
    settings = current_app.config["SETTINGS"]["services"]
    return {key: (settings.get(key) or {}).get("name", key) for key in choices}


@blueprint.route("/mes-alertes", methods=["GET", "POST"])
@requires(*ROLES)
def preferences():
    member = current_staff()
    choices = digests.preferences(db.session(), member)
    names = _service_names(choices)
    saved = {**{f"nouvelles-{key}": choice.new_requests for key, choice in choices.items()},
             **{f"echeances-{key}": choice.deadlines for key, choice in choices.items()}}
    form = alert_preferences_form(names, formdata=request.form if request.method == "POST" else None, data=saved)
    if request.method == "POST":
        if not form.validate():
            return _page(form, names, has_errors=True), 400
        digests.save_preferences(db.session(), member, {
            key: digests.Choice(form[f"nouvelles-{key}"].data, bool(form[f"echeances-{key}"].data)) for key in names})
        audit.record(db.session(), "alertes", member, "staff", member.id, None, client_key())
        db.session().commit()
        flash(_("Vos choix sont enregistrés."), "gestion")
        return redirect(url_for(".preferences"))
    return _page(form, names)


def _page(form, names: dict[str, str], has_errors: bool = False) -> str:
    return render_template("gestion/alerts/preferences.html", form=form, names=names, has_errors=has_errors)
