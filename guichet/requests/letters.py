"""Letters to the person: the decision letter and the attestation of an implicit acceptance.

A decision letter (acceptance, refusal, closing) states what the CRPA requires of it: the reasons in law
and in fact (L211-2, L211-5: required for a refusal, the workflow refuses a decision without them), the
first name, name and position of its author (L212-1), and the appeal routes and delays, without which the
two-month delay of a contentious appeal cannot be held against the person (CJA R421-1, R421-5). The
attestation of L232-3 is issued, on request, after an implicit acceptance.

What a letter says is frozen in `RequestLetter.facts` when it is issued: its HTML page and its PDF (tagged
PDF/UA, made once by WeasyPrint and kept as a StoredFile of the request) always say the same thing.
"""
import secrets
from datetime import date

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from guichet.demarches import storage
from guichet.demarches.definitions import Demarche
from guichet.demarches.models import StoredFile
from guichet.paths import STATIC_DIR
from guichet.requests.answers import display_name
from guichet.requests.mails import local_day
from guichet.requests.models import DemarcheRequest, RequestLetter, RequestStatus
from guichet.requests.receipt import delay_in_words

# The statuses an agent's decision letter is written for, and the heading of each.
DECISION_TITLES = {
    "acceptee": "Décision : votre demande est acceptée",
    "refusee": "Décision : votre demande est refusée",
    "classee_sans_suite": "Votre demande est classée sans suite",
}
ATTESTATION_TITLE = "Attestation de décision implicite d'acceptation"
IMPLICIT_ACCEPTANCE = "acceptation_implicite"
TELERECOURS_URL = "https://citoyens.telerecours.fr"
LETTER_TEMPLATE = "letters/letter.html"
LETTER_CSS = "css/letter.css"
FILE_QUESTION = "courrier"  # StoredFile.question of a letter's PDF: not a document the person sent
PDF_VARIANT = "pdf/ua-1"


def has_letter(status: str) -> bool:
    return status in DECISION_TITLES


def _service(row: DemarcheRequest) -> dict:
    return current_app.config["SETTINGS"]["services"].get(row.service) or {}


def _common(row: DemarcheRequest, demarche: Demarche, day: date) -> dict:
    """What every letter carries: who writes (the town and its service), to whom, about which request, when."""
    settings = current_app.config["SETTINGS"]
    service = _service(row)
    return {
        "organisation": settings["organisation"]["name"],
        "service": {key: service.get(key, "") for key in ("name", "address", "phone", "email")},
        "person": display_name(row.identity or {}),
        "reference": row.reference,
        "demarche": demarche.title,
        "received": local_day(row.received_at).isoformat(),
        "date": day.isoformat(),
    }


def _appeals(row: DemarcheRequest) -> dict:
    """The appeal routes: informal to the authority, hierarchical where the service has one, the court."""
    decisions = current_app.config["SETTINGS"]["decisions"]
    return {"authority": decisions["authority"], "authority_address": decisions["authority_address"],
            "hierarchical": _service(row).get("hierarchical_appeal"),
            "tribunal": decisions["tribunal"]["name"], "tribunal_address": decisions["tribunal"]["address"],
            "telerecours": TELERECOURS_URL}


def signatory(row: DemarcheRequest, member) -> dict:
    """L212-1: the first name, name and position of the author; the position comes from the settings."""
    title = _service(row).get("signatory_title") or current_app.config["SETTINGS"]["decisions"]["signatory_title"]
    return {"name": member.name if member is not None else "", "title": title}


def decision_facts(row: DemarcheRequest, demarche: Demarche, entry: RequestStatus, member) -> dict:
    return {**_common(row, demarche, local_day(entry.at)), "kind": "decision", "status": entry.status,
            "title": DECISION_TITLES[entry.status], "reasons": entry.note or "",
            "signatory": signatory(row, member), "appeals": _appeals(row)}


def implicit_acceptance(row: DemarcheRequest) -> RequestStatus | None:
    """The implicit acceptance that decided the request, if that is how it ended."""
    if row.status != IMPLICIT_ACCEPTANCE:
        return None
    return next((entry for entry in reversed(row.history) if entry.status == IMPLICIT_ACCEPTANCE), None)


def attestation_facts(row: DemarcheRequest, demarche: Demarche, accepted: RequestStatus, today: date) -> dict:
    with force_locale("fr"):
        delay = delay_in_words(demarche.legal)
    decisions = current_app.config["SETTINGS"]["decisions"]
    return {**_common(row, demarche, today), "kind": "attestation", "status": accepted.status,
            "title": ATTESTATION_TITLE, "accepted_on": local_day(accepted.at).isoformat(), "delay": delay,
            "legal_reference": demarche.legal.reference or "", "authority": decisions["authority"],
            "signatory": {"name": "", "title": f"Pour {decisions['authority']}, {_service(row).get('name', '')}"}}


def render_html(facts: dict, links: dict | None = None) -> str:
    """The letter as a standalone printable page; `links` (back, pdf) only on screen, never in the PDF. Like the
    démarches, a letter is French only, its links too (`back_label` in French)."""
    with force_locale("fr"):
        return current_app.jinja_env.get_template(LETTER_TEMPLATE).render(
            facts=facts, links=links, css_href=links["css"] if links else None)


def render_pdf(facts: dict) -> bytes:
    """Tagged PDF/UA-1: language, title, headings and reading order come from the HTML."""
    import weasyprint  # lazily: the app starts on machines without Pango
    return weasyprint.HTML(string=render_html(facts)).write_pdf(
        pdf_variant=PDF_VARIANT, stylesheets=[weasyprint.CSS(filename=str(STATIC_DIR / LETTER_CSS))])


def file_name(facts: dict) -> str:
    prefix = "attestation" if facts["kind"] == "attestation" else "decision"
    return f"{prefix}-{facts['reference']}.pdf"


def issue(db: Session, row: DemarcheRequest, facts: dict, actor=None, entry: RequestStatus | None = None) -> RequestLetter:
    """Make the PDF, keep it through the file storage, and record the letter (the caller commits)."""
    pdf = render_pdf(facts)
    stored = StoredFile(request_id=row.id, question=FILE_QUESTION, original_name=file_name(facts),
                        stored_name=f"{secrets.token_hex(16)}.pdf", mimetype="application/pdf", size=len(pdf))
    db.add(stored)
    db.flush()
    storage.backend().write(db, stored, pdf)
    letter = RequestLetter(kind=facts["kind"], facts=facts, file=stored, status_id=entry.id if entry else None,
                           created_by=getattr(actor, "id", None))
    row.letters.append(letter)
    db.flush()
    return letter


def issue_decision(db: Session, row: DemarcheRequest, demarche: Demarche, entry: RequestStatus, actor) -> RequestLetter:
    return issue(db, row, decision_facts(row, demarche, entry, actor), actor, entry)


def attestation(row: DemarcheRequest) -> RequestLetter | None:
    return next((letter for letter in row.letters if letter.kind == "attestation"), None)


def issue_attestation(db: Session, row: DemarcheRequest, demarche: Demarche, today: date,
                      actor=None) -> RequestLetter | None:
    """The L232-3 attestation, made once: asked again, the same one. None when no implicit acceptance happened."""
    accepted = implicit_acceptance(row)
    if accepted is None:
        return None
    return attestation(row) or issue(db, row, attestation_facts(row, demarche, accepted, today), actor, accepted)


def letter_of(row: DemarcheRequest, letter_id: int) -> RequestLetter | None:
    return next((letter for letter in row.letters if letter.id == letter_id), None)


def is_letter_file(stored: StoredFile) -> bool:
    return stored.question == FILE_QUESTION
