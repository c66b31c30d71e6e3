"""Moving a request along from the back office: one POST per workflow action, and the missing-documents form.

Every route takes a reference and answers 404 for a request of a service the member does not work for,
exactly as for one that does not exist, so other services' references are not revealed. A refused action
or bad input re-shows the form with a French message and a 4xx, and changes nothing. Success redirects
back to the request page (POST-redirect-GET).
"""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template
from flask_babel import gettext as _

from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import Demarche
from guichet.gestion.access import current_staff, requires, visible_request
from guichet.gestion.forms import MissingDocumentsForm, TransitionForm
from guichet.mail import outbox
from guichet.requests import missing, workflow
from guichet.requests.models import DemarcheRequest
from guichet.staff.roles import REQUEST_ROLES

blueprint = Blueprint("workflow", __name__)


def request_of_my_services(reference: str) -> tuple[DemarcheRequest, Demarche]:
    """The request (404 unless it belongs to one of the member's services) and its démarche."""
    row = visible_request(reference)
    demarche = catalogue().get(row.demarche)
    if demarche is None:
        abort(404)
    return row, demarche


def _page(reference: str):
    return redirect(f"/gestion/demandes/{reference}")


@blueprint.app_template_global()
def workflow_actions(request_row: DemarcheRequest, demarche: Demarche) -> list[tuple[workflow.Action, TransitionForm]]:
    """The agent's actions for the request's status, each with its own (prefixed) form."""
    return [(action, _labelled(TransitionForm(prefix=action.key, formdata=None), action))
            for action in workflow.actions_for(request_row.status, demarche.legal.implicit)]


def _labelled(form: TransitionForm, action: workflow.Action) -> TransitionForm:
    form.note.label.text = str(action.note_label)
    return form


@blueprint.app_template_global()
def legal_panel(request_row: DemarcheRequest, demarche: Demarche) -> workflow.LegalFacts:
    return workflow.legal_facts(request_row, demarche, date.today())


@blueprint.post("/demandes/<reference>/actions/<action_key>")
@requires(*REQUEST_ROLES)
def transition(reference: str, action_key: str):
    row, demarche = request_of_my_services(reference)
    action = workflow.ACTIONS.get(action_key)
    if action is None or action.own_form:
        abort(404)
    form = _labelled(TransitionForm(prefix=action_key), action)
    if not form.validate():
        return _refused(row, demarche, action, form, None, 400)
    try:
        workflow.apply(db.session(), row, demarche, action_key, current_staff(), form.note.data)
    except workflow.TransitionRefused as refused:
        db.session().rollback()
        row, demarche = request_of_my_services(reference)
        allowed = action in workflow.actions_for(row.status, demarche.legal.implicit)
        return _refused(row, demarche, action, form, str(refused), 400 if allowed else 409)
    db.session().commit()
    outbox.send_after_response()
    flash(_("C'est fait : la demande est maintenant « %(status)s ».",
            status=workflow.status(action.target).agent_label), "gestion")
    return _page(reference)


def _refused(row: DemarcheRequest, demarche: Demarche, action: workflow.Action, form: TransitionForm,
             message: str | None, code: int):
    """The action's form again, with why it was refused (a missing note, a status that moved on)."""
    if message and code == 400:
        form.note.errors = [message]
    errors = [(form.note.id, error) for error in form.note.errors] or [("action-refusee", message)]
    possible = action in workflow.actions_for(row.status, demarche.legal.implicit)
    return render_template("gestion/workflow/action.html", request_row=row, demarche=demarche, action=action,
                           form=form, errors=errors, possible=possible, message=message,
                           status=workflow.status(row.status), has_errors=True), code


@blueprint.route("/demandes/<reference>/pieces", methods=["GET", "POST"])
@requires(*REQUEST_ROLES)
def missing_documents(reference: str):
    """Art. 8 of decree 2015-1404: tick what is missing, set a deadline; the person gets one email and one page."""
    row, demarche = request_of_my_services(reference)
    choices = missing.choices(demarche)
    form = MissingDocumentsForm(item_choices=[(choice.key, choice.label) for choice in choices], today=date.today())
    possible = "demander_pieces" in {action.key for action in workflow.actions_for(row.status, demarche.legal.implicit)}
    if form.is_submitted() and not possible:
        return _documents_form(row, demarche, form, possible, refused=True), 409
    if not form.validate_on_submit():
        return _documents_form(row, demarche, form, possible), 400 if form.is_submitted() else 200
    labels = dict(form.items.choices)
    items = [(key, labels[key]) for key in form.items.data]
    items += [(f"libre-{number}", text) for number, text in enumerate(form.other_items(), start=1)]
    missing.ask(db.session(), row, demarche, items, form.deadline.data, current_staff(), form.note.data)
    db.session().commit()
    outbox.send_after_response()
    flash(_("C'est fait : le demandeur a reçu la liste des documents à envoyer."), "gestion")
    return _page(reference)


def _documents_form(row: DemarcheRequest, demarche: Demarche, form: MissingDocumentsForm, possible: bool,
                    refused: bool = False) -> str:
    return render_template("gestion/workflow/missing_documents.html", request_row=row, demarche=demarche, form=form,
                           possible=possible, status=workflow.status(row.status),
                           has_errors=refused or bool(form.errors))
