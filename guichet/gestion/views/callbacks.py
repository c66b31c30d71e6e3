"""Call-back tasks: the people who asked to be called, per service; the agent records the outcome and a note.

Agents and supervisors see their services' call-backs; another service's call-back is not found (404).
Every look at the list and every outcome is in the audit trail (a call-back holds a phone number).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from guichet import db
from guichet.audit import log as audit
from guichet.callbacks import service as callbacks
from guichet.callbacks.models import CallbackRequest
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import CallbackOutcomeForm
from guichet.staff.roles import REQUEST_ROLES, services_for

blueprint = Blueprint("callbacks", __name__, url_prefix="/rappels")
ROLES = REQUEST_ROLES


def _mine() -> set[str]:
    return services_for(current_staff(), *ROLES)


@blueprint.get("/")
@requires(*ROLES)
def index():
    return _page(request.args.get("tous") == "1")


def _form(callback_id: int, formdata=None) -> CallbackOutcomeForm:
    """One form per call-back on the page: the prefix keeps their fields' ids apart."""
    return CallbackOutcomeForm(formdata=formdata, prefix=f"rappel-{callback_id}")


def _page(show_all: bool, failed: CallbackOutcomeForm | None = None, failed_id: int | None = None,
          status: int = 200):
    session = db.session()
    rows = callbacks.queue(session, _mine(), show_all)
    forms = {row.id: failed if row.id == failed_id else _form(row.id) for row in rows}
    audit.record(session, "consultation_rappels", current_staff(), "rappels", None,
                 {"tous": show_all, "lignes": len(rows)})
    session.commit()
    return render_template("gestion/callbacks/index.html", rows=rows, show_all=show_all, forms=forms,
                           failed=failed, days=callbacks.CALLBACK_DAYS, periods=callbacks.CALLBACK_PERIODS,
                           statuses=callbacks.STATUS_LABELS, services=current_app.config["SETTINGS"]["services"],
                           has_errors=failed is not None), status


@blueprint.post("/<int:callback_id>")
@requires(*ROLES)
def outcome(callback_id: int):
    session = db.session()
    callback = session.get(CallbackRequest, callback_id)
    if callback is None or callback.service not in _mine():
        abort(404)
    form = _form(callback.id, request.form)
    if not form.validate():
        return _page(False, form, callback.id, 400)
    callbacks.record_outcome(callback, form.outcome.data, form.note.data or "", current_staff().id)
    audit.record(session, "rappel_traite", current_staff(), "rappel", callback.id,
                 {"resultat": callback.status, "note": bool((form.note.data or "").strip())})
    session.commit()
    flash(_("Appel enregistré pour %(name)s.", name=callback.name), "gestion")
    return redirect(url_for(".index"))
