"""A request's letters in the back office: read a decision letter or an attestation (printable page, PDF), and
produce the attestation of an implicit acceptance (CRPA L232-3).

Every route takes a reference and answers 404 for a request of another service, as for one that does not
exist. Every look at a letter and every PDF that leaves is written in the audit log.
"""
import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _

from guichet import db
from guichet.audit import log as audit
from guichet.demarches import storage
from guichet.demarches.catalogue import catalogue
from guichet.gestion.access import current_staff, requires, visible_request
from guichet.gestion.forms import AttestationForm
from guichet.requests import letters
from guichet.requests.models import DemarcheRequest, RequestLetter
from guichet.staff.roles import REQUEST_ROLES
from guichet.web.ratelimit import client_key
from guichet.web.templating import static_url

blueprint = Blueprint("letters", __name__)


def _letter(reference: str, letter_id: int) -> tuple[DemarcheRequest, RequestLetter]:
    row = visible_request(reference)
    letter = letters.letter_of(row, letter_id)
    if letter is None or letter.file is None:
        abort(404)
    return row, letter


def _audit(row: DemarcheRequest, letter: RequestLetter, kind: str) -> None:
    audit.record(db.session(), "telechargement", current_staff(), "request", row.reference,
                 {"courrier": letter.id, "type": letter.kind, "format": kind}, client_key())
    db.session().commit()


@blueprint.get("/demandes/<reference>/courriers/<int:letter_id>")
@requires(*REQUEST_ROLES)
def show(reference: str, letter_id: int):
    row, letter = _letter(reference, letter_id)
    _audit(row, letter, "html")
    return letters.render_html(letter.facts, {
        "back": url_for("gestion.requests.show", reference=row.reference) + "#courriers",
        "back_label": f"Retour à la demande {row.reference}",
        "pdf": url_for(".pdf", reference=row.reference, letter_id=letter.id), "css": static_url(letters.LETTER_CSS)})


@blueprint.get("/demandes/<reference>/courriers/<int:letter_id>.pdf")
@requires(*REQUEST_ROLES)
def pdf(reference: str, letter_id: int):
    row, letter = _letter(reference, letter_id)
    data = storage.backend().read(db.session(), letter.file)
    _audit(row, letter, "pdf")
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=letter.file.original_name, max_age=0)


@blueprint.post("/demandes/<reference>/attestation")
@requires(*REQUEST_ROLES)
def attestation(reference: str):
    """Produce (once) the L232-3 attestation; refused with a French message while no implicit acceptance happened."""
    row = visible_request(reference)
    demarche = catalogue().get(row.demarche)
    if demarche is None:
        abort(404)
    if not AttestationForm().validate():
        abort(400)
    if letters.implicit_acceptance(row) is None:
        abort(409, description=_("Une attestation est possible seulement après une acceptation implicite "
                                 "(article L232-3 du code des relations entre le public et l'administration)."))
    letter = letters.issue_attestation(db.session(), row, demarche, date.today(), current_staff())
    audit.record(db.session(), "attestation", current_staff(), "request", row.reference, {"courrier": letter.id},
                 client_key())
    db.session().commit()
    flash(_("L'attestation est prête. Le demandeur peut aussi la télécharger sur sa page de suivi."), "gestion")
    return redirect(url_for("gestion.requests.show", reference=row.reference) + "#courriers")
