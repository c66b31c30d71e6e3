"""Following a request (/suivi) and resuming a saved draft (/reprendre), without an account.

A wrong reference and a wrong code get the same neutral answer, and attempts are rate-limited,
so nobody can discover which references exist. A bookmarked /suivi/<reference> opened later
(the access has closed, or another browser) shows the lookup form again, the reference filled
in: the same page whether the reference exists or not.
"""
import hmac
import io
from datetime import date

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
from sqlalchemy import select

from guichet import db
from guichet.citizen.forms import (
    DocumentForm,
    EmptyForm,
    ReplyForm,
    ResumeForm,
    TrackingForm,
)
from guichet.citizen.journey import continue_draft
from guichet.demarches import drafts, files, storage, summary
from guichet.demarches.catalogue import catalogue
from guichet.mail import outbox
from guichet.requests import letters, mails, missing, thread, workflow
from guichet.requests.models import DemarcheRequest
from guichet.requests.submission import can_rectify, hash_secret, looks_like_reference
from guichet.staff.models import StaffMember
from guichet.web import help_point, personal
from guichet.web.ratelimit import allow
from guichet.web.security import no_store
from guichet.web.templating import static_url

blueprint = Blueprint("tracking", __name__)
GRANTS = personal.TRACKING


@blueprint.before_request
def _personal():
    no_store()


def _find(reference: str, secret: str) -> DemarcheRequest | None:
    row = db.session().scalar(select(DemarcheRequest).where(
        DemarcheRequest.reference == (reference or "").strip().upper()))
    expected = row.tracking_secret_hash if row else hash_secret("")
    matches = hmac.compare_digest(expected, hash_secret(secret or ""))
    return row if row is not None and matches else None


def _limited() -> bool:
    limit, window = current_app.config["RATE_LIMIT_TRACKING"]
    allowed = allow(db.session(), "suivi", limit, window)
    db.session().commit()
    return not allowed


def _grant(row: DemarcheRequest):
    personal.grant(GRANTS, {"reference": row.reference})
    return redirect(url_for(".show", reference=row.reference))


@blueprint.route("/suivi", methods=["GET", "POST"])
def lookup():
    form = TrackingForm()
    message = None
    if request.method == "POST" and form.validate():
        if _limited():
            return render_template("tracking/lookup.html", form=form, has_errors=True,
                                   message="Vous avez fait beaucoup d'essais. Attendez 10 minutes, puis réessayez."), 429
        row = _find(form.reference.data, form.secret.data)
        if row is not None:
            return _grant(row)
        message = ("Nous ne trouvons pas de demande avec ce numéro et ce code de suivi. "
                   "Vérifiez-les sur votre accusé de réception.")
    has_errors = bool(form.errors or message)
    return render_template("tracking/lookup.html", form=form, message=message, has_errors=has_errors), \
        400 if has_errors else 200


@blueprint.get("/suivi/lien")
def link():
    """The link of the receipt email: check it, then continue on a URL without the secret."""
    if _limited():
        abort(429)
    row = _find(request.args.get("reference", ""), request.args.get("cle", ""))
    if row is None:
        return redirect(url_for(".lookup"))
    if request.args.get("vers") == "avis":  # the receipt email's "Donnez votre avis" link
        personal.grant(GRANTS, {"reference": row.reference})
        return redirect(url_for("satisfaction.for_request", reference=row.reference))
    return _grant(row)


def _granted(reference: str) -> DemarcheRequest | None:
    """The request this browser has just proved it may see (code or email link), else None."""
    if (personal.granted(GRANTS) or {}).get("reference") != reference:
        return None
    return db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))


def _ask_again(reference: str):
    """The lookup form, filled with a well-formed reference from the URL.

    Status 200, not 404: the address is right and nothing is missing from the person's point
    of view (a bookmark, the browser history); this page is how it opens. Exactly the same answer
    whether the reference exists or not, so it reveals nothing.
    """
    prefix = current_app.config["SETTINGS"]["organisation"].get("reference_prefix", "REF")
    known_shape = looks_like_reference(reference, prefix)
    form = TrackingForm(reference=reference.strip().upper() if known_shape else "")
    return render_template("tracking/lookup.html", form=form, message=None, has_errors=False, bookmarked=True)


def _show(row: DemarcheRequest, reply_form: ReplyForm | None = None, status: int = 200):
    demarche = catalogue().get(row.demarche)
    if demarche is None:
        abort(404)
    demarche = demarche.for_answers(row.answers)
    return render_template("tracking/show.html", row=row, demarche=demarche, statuses=workflow.STATUSES,
                           received=mails.local_day(row.received_at), decision=row.decision_due,
                           missing=workflow.open_documents_request(row), can_rectify=can_rectify(row),
                           form=EmptyForm(), day=mails.local_day,
                           reply_form=reply_form or ReplyForm(formdata=None),
                           message_files=thread.attached(row), reply_limits=files.limits_sentence(
                               thread.ACCEPT, thread.MAX_FILE_BYTES),
                           max_files=thread.MAX_FILES, has_errors=status >= 400,
                           can_attest=letters.implicit_acceptance(row) is not None and letters.attestation(row) is None,
                           **summary.request_summary(demarche, row)), status


@blueprint.get("/suivi/<reference>")
def show(reference: str):
    row = _granted(reference)
    if row is None:
        return _ask_again(reference)
    return _show(row)


@blueprint.post("/suivi/<reference>/messages")
def reply(reference: str):
    """The person answers the service: text and files (same checks as the démarches); the owner is told."""
    row = _granted(reference)
    if row is None:
        return redirect(url_for(".show", reference=reference))
    form = ReplyForm()
    uploads = [upload for upload in request.files.getlist("fichiers") if upload and upload.filename]
    if not form.validate():
        return _show(row, form, status=400)
    if len(uploads) > thread.MAX_FILES:
        form.fichiers.errors = [f"Vous pouvez joindre {thread.MAX_FILES} fichiers au maximum."]
        return _show(row, form, 400)
    owner = db.session().get(StaffMember, row.owner_id) if row.owner_id else None
    notify = thread.notification_address(row, owner, current_app.config["SETTINGS"]["services"])
    try:
        thread.from_person(db.session(), row, form.body.data, uploads, notify)
    except files.UploadError as error:
        db.session().rollback()
        form.fichiers.errors = [str(error)]
        return _show(_granted(reference), form, 400)
    db.session().commit()
    outbox.send_after_response()
    flash("Votre message est envoyé au service. Il est ajouté ci-dessous.", "suivi")
    return redirect(url_for(".show", reference=row.reference) + "#messages")


def _open_documents(reference: str):
    """The request, its démarche and its open request for documents; 404 when nothing is awaited."""
    row = _granted(reference)
    if row is None:
        abort(404)
    demarche = catalogue().get(row.demarche)
    awaited = workflow.open_documents_request(row) if row.status == "incomplete" else None
    if demarche is None or awaited is None:
        abort(404)
    return row, demarche, awaited


def _documents_page(row, demarche, awaited, errors: dict[str, str] | None = None):
    errors = errors or {}
    forms = {}
    for item in awaited.items:
        form = DocumentForm(prefix=f"piece-{item['key']}", formdata=None)
        form.document.label.text = _("Fichier : %(label)s", label=item["label"])
        form.document.errors = [errors[item["key"]]] if item["key"] in errors else []
        forms[item["key"]] = form
    limits = {item["key"]: files.limits_sentence(*_rules(demarche, item["key"])) for item in awaited.items}
    received = {item["key"]: missing.files_of(row, item["key"]) for item in awaited.items}
    return render_template("tracking/documents.html", row=row, demarche=demarche, missing=awaited, forms=forms,
                           limits=limits, received=received, has_errors=bool(errors),
                           errors=[(forms[key].document.id, message) for key, message in errors.items()]), \
        400 if errors else 200


def _rules(demarche, key: str) -> tuple[tuple[str, ...], int]:
    rules = missing.upload_rules(demarche, key)
    return rules.accept, rules.max_bytes


@blueprint.get("/suivi/<reference>/pieces")
def documents(reference: str):
    """One page listing exactly the items asked, one upload form per item (works without JS).

    Opened from the email without access yet: the lookup form, as for the tracking page."""
    if _granted(reference) is None:
        return _ask_again(reference)
    return _documents_page(*_open_documents(reference))


@blueprint.post("/suivi/<reference>/pieces/<key>")
def send_document(reference: str, key: str):
    """Keep this one item at once: an upload that fails later loses nothing already received."""
    row, demarche, awaited = _open_documents(reference)
    form = DocumentForm(prefix=f"piece-{key}")
    item = next((item for item in awaited.items if item["key"] == key), None)
    if item is None or not form.validate():
        abort(400)
    upload = form.document.data
    if item["received_at"]:
        return _documents_page(row, demarche, awaited, {key: _("Ce document est déjà reçu.")})
    if not upload or not upload.filename:
        return _documents_page(row, demarche, awaited, {key: _("Choisissez un fichier.")})
    try:
        missing.receive(db.session(), row, demarche, awaited, key, upload)
    except files.UploadError as error:
        db.session().rollback()
        row, demarche, awaited = _open_documents(reference)
        return _documents_page(row, demarche, awaited, {key: str(error)})
    db.session().commit()
    outbox.send_after_response()
    flash(_("Document reçu : %(label)s", label=item["label"]), "suivi")
    if row.status != "incomplete":
        return redirect(url_for(".show", reference=reference))
    return redirect(url_for(".documents", reference=reference))


def _granted_letter(reference: str, letter_id: int):
    row = _granted(reference)
    letter = letters.letter_of(row, letter_id) if row is not None else None
    if letter is None or letter.file is None:
        abort(404)
    return row, letter


@blueprint.get("/suivi/<reference>/courriers/<int:letter_id>")
def letter(reference: str, letter_id: int):
    """A decision letter or an attestation, printable; opened from the email without access: the lookup form."""
    if _granted(reference) is None:
        return _ask_again(reference)
    row, letter_row = _granted_letter(reference, letter_id)
    return letters.render_html(letter_row.facts, {
        "back": url_for(".show", reference=row.reference) + "#courriers",
        "back_label": "Retour au suivi de votre demande",
        "pdf": url_for(".letter_pdf", reference=row.reference, letter_id=letter_row.id),
        "css": static_url(letters.LETTER_CSS)})


@blueprint.get("/suivi/<reference>/courriers/<int:letter_id>.pdf")
def letter_pdf(reference: str, letter_id: int):
    row, letter_row = _granted_letter(reference, letter_id)
    data = storage.backend().read(db.session(), letter_row.file)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=letter_row.file.original_name, max_age=0)


@blueprint.post("/suivi/<reference>/attestation")
def attestation(reference: str):
    """CRPA L232-3: after an implicit acceptance, the attestation, made on request (once)."""
    row = _granted(reference)
    if row is None:
        return redirect(url_for(".show", reference=reference))
    demarche = catalogue().get(row.demarche)
    if not EmptyForm().validate() or demarche is None:
        abort(400)
    if letters.implicit_acceptance(row) is None:
        abort(400, description="Une attestation existe seulement pour une demande acceptée sans réponse du service.")
    letter_row = letters.issue_attestation(db.session(), row, demarche, date.today())
    db.session().commit()
    return redirect(url_for(".letter", reference=row.reference, letter_id=letter_row.id))


@blueprint.post("/suivi/<reference>/corriger")
def rectify(reference: str):
    """Open the answers again as a draft linked to the request; sending it stores a new version."""
    row = _granted(reference)
    if row is None:
        return redirect(url_for(".show", reference=reference))
    demarche = catalogue().get(row.demarche)
    if not EmptyForm().validate() or demarche is None:
        abort(400)
    if not can_rectify(row):
        abort(400, description="Le service a commencé à traiter cette demande : vous ne pouvez plus la corriger "
                               "en ligne. Contactez-le.")
    draft = drafts.create(db.session(), demarche.slug, demarche.version, {**row.answers, **row.identity},
                          rectifies_id=row.id, shared=help_point.active(), help_point=help_point.active())
    db.session().commit()
    return continue_draft(demarche, draft)


@blueprint.route("/reprendre", methods=["GET", "POST"])
def resume():
    form = ResumeForm() if request.method == "POST" else ResumeForm(code=request.args.get("code", ""))
    message = None
    if request.method == "POST" and form.validate():
        if _limited():
            abort(429)
        draft = drafts.by_code(db.session(), form.code.data)
        demarche = catalogue().get(draft.demarche) if draft else None
        if draft is not None and demarche is not None and draft.request_id is None:
            draft.shared = draft.shared or help_point.active()  # a code typed at a help point stays there
            draft.help_point = draft.help_point or help_point.active()
            drafts.touch(draft)
            db.session().commit()
            return continue_draft(demarche, draft)
        message = ("Ce code ne correspond à aucune démarche en cours. Vérifiez-le. "
                   "Un code est valable 30 jours.")
    has_errors = bool(form.errors or message)
    return render_template("tracking/resume.html", form=form, message=message, has_errors=has_errors), \
        400 if has_errors else 200
