"""The request page (/gestion/demandes/<reference>): answers, files, identity, timeline, messages, notes.

Per-object rule: a member sees a request only when it belongs to one of the services where they are
`agent` or `superviseur`; any other reference answers 404, exactly like a reference that does not exist,
so references of other services are not revealed. Every look at a request and every file that leaves
is written in the audit log.
"""
import io
from pathlib import PurePath

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from guichet import db
from guichet.audit import log as audit
from guichet.db import utcnow
from guichet.demarches import intermediary, storage
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import StoredFile
from guichet.gestion.access import current_staff, requires, visible_request
from guichet.gestion.forms import MessageForm, NoteForm, ReplyTemplateForm
from guichet.mail import outbox
from guichet.paths import REPLY_TEMPLATES
from guichet.requests import answers, letters, mails, presence, reply_templates, thread, workflow
from guichet.requests.models import DemarcheRequest, RequestEvent
from guichet.requests.submission import CHANNELS
from guichet.staff.models import StaffMember
from guichet.staff.roles import REQUEST_ROLES
from guichet.web.ratelimit import client_key

blueprint = Blueprint("requests", __name__)
FILE_KINDS = {"application/pdf": "PDF", "image/jpeg": _l("Image JPEG"), "image/png": _l("Image PNG")}


def _request_file(row: DemarcheRequest, file_id: int) -> StoredFile:
    stored = db.session().get(StoredFile, file_id)
    if stored is None or stored.request_id != row.id:
        abort(404)
    return stored


def safe_filename(original: str, stored_name: str) -> str:
    """The person's file name, without paths or control characters, with the extension of its real type."""
    stem = PurePath(original.replace("\\", "/")).stem
    stem = "".join(char for char in stem if char.isprintable() and char not in "\"';").strip(" .") or "document"
    return f"{stem[:100]}.{stored_name.rsplit('.', 1)[-1]}"


def _send(row: DemarcheRequest, stored: StoredFile, inline: bool):
    data = storage.backend().read(db.session(), stored)
    audit.record(db.session(), "telechargement", current_staff(), "request", row.reference,
                 {"file_id": stored.id, "apercu": inline}, client_key())
    db.session().commit()
    response = send_file(io.BytesIO(data), mimetype=stored.mimetype, as_attachment=not inline,
                         download_name=safe_filename(stored.original_name, stored.stored_name), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _names(ids: set[int | None]) -> dict[int, str]:
    ids = {staff_id for staff_id in ids if staff_id}
    if not ids:
        return {}
    members = db.session().scalars(select(StaffMember).where(StaffMember.id.in_(ids)))
    return {member.id: member.name or member.email for member in members}


def timeline(row: DemarcheRequest, names: dict[int, str]) -> list[dict]:
    """Statuses, messages and back-office events, newest first (what happened last is what matters next)."""
    entries = [{"at": entry.at, "kind": "statut", "title": str(workflow.status(entry.status).agent_label),
                "text": entry.note, "actor": names.get(entry.actor_id)} for entry in row.history]
    entries += [{"at": message.at, "kind": "message", "sender": message.sender, "text": message.body,
                 "actor": names.get(message.staff_id), "message_id": message.id,
                 "unread": message.sender == "demandeur" and message.read_at is None} for message in row.messages]
    entries += [{"at": event.at, "kind": event.kind, "text": event.text, "details": event.details or {},
                 "actor": names.get(event.actor_id)} for event in row.events]
    return sorted(entries, key=lambda entry: presence.as_utc(entry["at"]), reverse=True)


def _templates(row: DemarcheRequest) -> list[reply_templates.ReplyTemplate]:
    return reply_templates.offered(reply_templates.load(REPLY_TEMPLATES), row.service, row.demarche)


def _prefill(row: DemarcheRequest, template_id: str | None) -> str | None:
    template = next((item for item in _templates(row) if item.id == template_id), None)
    if template is None:
        return None
    demarche = catalogue().get(row.demarche)
    service = current_app.config["SETTINGS"]["services"].get(row.service) or {}
    member = current_staff()
    return reply_templates.fill(template, {
        "reference": row.reference, "demarche": demarche.title if demarche else row.demarche,
        "service": service.get("name", ""), "agent": member.name or member.email})


def _template_form(row: DemarcheRequest) -> ReplyTemplateForm | None:
    offered = _templates(row)
    if not offered:
        return None
    form = ReplyTemplateForm(formdata=None, modele=request.args.get("modele"))
    form.modele.choices = [(template.id, template.title) for template in offered]
    return form


def _page(row: DemarcheRequest, message_form: MessageForm | None = None, note_form: NoteForm | None = None,
          status: int = 200):
    """Render the request page (also with a form's errors, then with status 400)."""
    demarche = catalogue().get(row.demarche)
    member = current_staff()
    now = utcnow()
    colleagues = presence.colleagues_present(db.session(), row.id, member.id, now)
    names = _names({mark.staff_id for mark in colleagues} | {entry.actor_id for entry in row.history}
                   | {message.staff_id for message in row.messages} | {event.actor_id for event in row.events}
                   | {row.owner_id})
    if message_form is None:
        message_form = MessageForm(formdata=None, body=_prefill(row, request.args.get("modele")))
    files = [stored for stored in row.files if stored.message_id is None and not letters.is_letter_file(stored)]
    response = render_template(
        "gestion/requests/show.html", row=row, demarche=demarche, statuses=workflow.STATUSES,
        channels=CHANNELS, file_kinds=FILE_KINDS, names=names, day=mails.local_day,
        sections=answers.snapshot(demarche, row.answers, {}),
        identity_sections=answers.without(answers.snapshot(demarche, {}, row.identity), intermediary.ANSWER_IDS),
        helper=intermediary.helper_of(row.identity),
        versions=answers.version_changes(demarche, list(row.versions)),
        files=files, files_by_id={stored.id: stored for stored in row.files},
        message_files=thread.attached(row), timeline=timeline(row, names),
        colleagues=colleagues, template_form=_template_form(row), message_form=message_form,
        note_form=note_form or NoteForm(formdata=None), poll_seconds=presence.POLL_SECONDS,
        has_errors=status >= 400, can_attest=letters.implicit_acceptance(row) is not None
        and letters.attestation(row) is None,
        definition_changed=demarche is not None and demarche.version != row.definition_version)
    return response, status


@blueprint.get("/demandes/<reference>")
@requires(*REQUEST_ROLES)
def show(reference: str):
    row = visible_request(reference)
    member = current_staff()
    now = utcnow()
    presence.mark_present(db.session(), row.id, member.id, now)
    unread = thread.mark_read(row, now)
    audit.record(db.session(), "consultation", member, "request", row.reference,
                 {"messages_lus": unread} if unread else None, client_key())
    db.session().commit()
    return _page(row)


@blueprint.get("/demandes/<reference>/presence")
@requires(*REQUEST_ROLES)
def still_here(reference: str):
    """Polled by the open page (htmx): refresh my mark, answer who else is here. Not a new consultation."""
    row = visible_request(reference)
    member = current_staff()
    now = utcnow()
    presence.mark_present(db.session(), row.id, member.id, now)
    db.session().commit()
    colleagues = presence.colleagues_present(db.session(), row.id, member.id, now)
    return render_template("gestion/requests/_presence.html", row=row, colleagues=colleagues,
                           names=_names({mark.staff_id for mark in colleagues}), poll_seconds=presence.POLL_SECONDS)


@blueprint.get("/demandes/<reference>/modele")
@requires(*REQUEST_ROLES)
def template_fill(reference: str):
    """With htmx, the message field prefilled in place; without JS the page itself takes `?modele=`."""
    row = visible_request(reference)
    form = MessageForm(formdata=None, body=_prefill(row, request.args.get("modele")))
    return render_template("gestion/requests/_message_field.html", row=row, message_form=form)


@blueprint.get("/demandes/<reference>/fichiers/<int:file_id>")
@requires(*REQUEST_ROLES)
def download(reference: str, file_id: int):
    row = visible_request(reference)
    return _send(row, _request_file(row, file_id), inline=False)


@blueprint.get("/demandes/<reference>/fichiers/<int:file_id>/apercu")
@requires(*REQUEST_ROLES)
def preview(reference: str, file_id: int):
    """Images only, shown inline on the request page; any other type is downloaded, never rendered."""
    row = visible_request(reference)
    stored = _request_file(row, file_id)
    if not stored.mimetype.startswith("image/"):
        abort(404)
    return _send(row, stored, inline=True)


@blueprint.post("/demandes/<reference>/messages")
@requires(*REQUEST_ROLES)
def write_message(reference: str):
    row = visible_request(reference)
    form = MessageForm()
    if not form.validate():
        db.session().rollback()
        return _page(row, message_form=form, status=400)
    member = current_staff()
    message, emailed = thread.from_service(db.session(), row, catalogue().get(row.demarche), member,
                                           form.body.data)
    db.session().flush()
    audit.record(db.session(), "message", member, "request", row.reference,
                 {"message_id": message.id, "email": emailed}, client_key())
    db.session().commit()
    outbox.send_after_response()
    flash(_("Message envoyé par e-mail au demandeur. Il est aussi sur sa page de suivi.") if emailed else
          _("Cette demande n'a pas d'adresse e-mail : le message est seulement sur la page de suivi. "
            "Le demandeur le verra s'il la consulte."), "gestion")
    return redirect(url_for(".show", reference=row.reference) + "#fil")


@blueprint.post("/demandes/<reference>/notes")
@requires(*REQUEST_ROLES)
def add_note(reference: str):
    row = visible_request(reference)
    form = NoteForm()
    if not form.validate():
        db.session().rollback()
        return _page(row, note_form=form, status=400)
    member = current_staff()
    row.events.append(RequestEvent(kind="note", text=form.text.data.strip(), actor_id=member.id, at=utcnow()))
    audit.record(db.session(), "note", member, "request", row.reference, client=client_key())
    db.session().commit()
    flash(_("Note interne ajoutée. Le demandeur ne la voit pas."), "gestion")
    return redirect(url_for(".show", reference=row.reference) + "#chronologie")
