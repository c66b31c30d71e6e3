"""Démarches: start page, one page per step, check answers, submit, receipt, save, erase, expiry.

Everything works without JavaScript with POST-redirect-GET; htmx only adds the idle-time
warning (on a shared computer), typing as activity and the check of a field when it changes. Every step sends `Cache-Control: no-store`
(set in `before_request`).
"""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from sqlalchemy import select

from guichet import db, htmx
from guichet.citizen.forms import (DeclarationForm, EmailLinkForm, EmptyForm, SatisfactionForm, StartForm,
                                   report_started)
from guichet.citizen.journey import continue_draft, redirect_to
from guichet.content import queries
from guichet.demarches import drafts, files, flow, identity, storage, summary, typed
from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import Demarche, Page
from guichet.demarches.forms import answers_from, form_data_from, page_form_class
from guichet.demarches.mails import queue_resume_link
from guichet.demarches.models import Draft, StoredFile
from guichet.feedback import funnel
from guichet.indicators import satisfaction
from guichet.mail import outbox
from guichet.requests import mails
from guichet.requests.models import DemarcheRequest
from guichet.requests.receipt import receipt_facts
from guichet.requests.submission import rectify, submit
from guichet.web import help_point, personal
from guichet.web.pagecache import cached_page
from guichet.web.local_paths import is_local_path
from guichet.web.security import no_store

blueprint = Blueprint("demarches", __name__, url_prefix="/demarches")
PRACTICE = "entrainement"  # the value of the start page's "S'entraîner" button


@blueprint.before_request
def _personal_pages_are_never_cached():
    if request.endpoint != "demarches.start":
        no_store()


def _demarche(slug: str) -> Demarche:
    demarche = catalogue().get(slug)
    if demarche is None:
        abort(404)
    return demarche


class DraftProblem(Exception):
    """The cookie does not lead to a usable draft; `response` says what happened to the person."""

    def __init__(self, response):
        self.response = response


@blueprint.errorhandler(DraftProblem)
def _draft_problem(problem: DraftProblem):
    return problem.response


def _draft(demarche: Demarche) -> Draft:
    """The draft of this browser, or a redirect to the page explaining why there is none."""
    cookie = request.cookies.get(drafts.cookie_name(demarche.slug))
    if not cookie:
        raise DraftProblem(redirect(url_for(".start", slug=demarche.slug)))
    if not drafts.looks_like_id(cookie):
        abort(400, description="Le lien vers vos réponses est abîmé. Recommencez la démarche depuis le début.")
    draft = drafts.from_cookie(db.session(), demarche.slug)
    if draft is None:
        raise DraftProblem(_to_expired(demarche))
    if draft.request_id is not None:
        raise DraftProblem(_show_receipt(demarche, draft.request.reference, draft.receipt_secret, draft.shared))
    if drafts.is_idle(draft):
        saved = draft.resume_code is not None
        _funnel(draft, demarche.slug, "-", "abandoned_timeout")
        if not saved:
            drafts.erase(db.session(), draft)
        db.session().commit()
        raise DraftProblem(_to_expired(demarche, shared_idle=True, saved=saved))
    drafts.touch(draft)
    return draft


def _to_expired(demarche: Demarche, shared_idle: bool = False, saved: bool = False):
    """Idle on a shared computer, or no draft any more (its lifetime is over, or it was erased)."""
    response = redirect(url_for(".expired", slug=demarche.slug, code="oui" if saved else None,
                                raison="partage" if shared_idle else None))
    drafts.clear_cookie(response, demarche.slug)
    return response


def _funnel(draft: Draft, slug: str, step_id: str, event: str, fields: list[str] | None = None,
            messages: list[str] | None = None) -> None:
    """The step funnel counts real démarches only: practice leaves no trace. Events of one draft share its
    journey token; an error keeps the messages shown (texts of the definitions, never answers)."""
    if not draft.practice:
        funnel.record(db.session(), slug, step_id, event, fields, funnel.journey(draft.id), messages)


def _context(demarche: Demarche, draft: Draft, **extra) -> dict:
    return {"demarche": demarche, "draft": draft, "deadline": drafts.idle_deadline(draft),
            "idle_minutes": drafts.idle_minutes(draft),
            "lifetime_days": current_app.config["DRAFT_LIFETIME_DAYS"], **extra}


# --- Start -------------------------------------------------------------------------------------------------

@blueprint.get("/<slug>")
# Stored for everyone alike, except a browser with a draft (offered to continue) or at a help point (box ticked).
@cached_page(unless=lambda slug: drafts.cookie_name(slug) in request.cookies or help_point.active(),
             personal_cookies=lambda slug: [drafts.cookie_name(slug), help_point.COOKIE])
def start(slug: str):
    demarche = _demarche(slug)
    session_db = db.session()
    fiches = [queries.fiche(session_db, fiche, str(get_locale())) for fiche in demarche.fiches]
    required, optional = _required_and_optional(demarche)
    form = StartForm(shared=help_point.active())
    form.shared.description = gettext(
        "Si d'autres personnes utilisent cet ordinateur, cochez la case : nous effacerons vos réponses après "
        "%(minutes)s minutes sans activité. Sinon, elles restent sur cet appareil %(days)s jours, même si vous "
        "fermez la page.", minutes=current_app.config["DRAFT_IDLE_MINUTES"],
        days=current_app.config["DRAFT_LIFETIME_DAYS"])
    return render_template("demarches/start.html", demarche=demarche, fiches=[f for f in fiches if f],
                           form=form, required=required, optional=optional,
                           in_progress=_open_draft(demarche) is not None)


def _open_draft(demarche: Demarche) -> Draft | None:
    """A draft this browser can still continue (not sent, not idle), to offer it on the start page."""
    draft = drafts.from_cookie(db.session(), demarche.slug)
    if draft is None or draft.request_id is not None or drafts.is_idle(draft):
        return None
    return draft


def _required_and_optional(demarche: Demarche) -> tuple[list[str], list[str]]:
    """For the privacy notice: which answers are required and which are optional."""
    required, optional = [], []
    for page in flow.all_pages(demarche):
        for question in page.questions:
            (required if question.required else optional).append(question.label.rstrip(" ?"))
    return required, optional


@blueprint.post("/<slug>/commencer")
def begin(slug: str):
    demarche = _demarche(slug)
    form = StartForm()
    if not form.validate():
        abort(400)
    session_db = db.session()
    draft = drafts.create(session_db, demarche.slug, demarche.version, shared=form.shared.data,
                          help_point=help_point.active(), practice=request.form.get("mode") == PRACTICE)
    session_db.commit()
    return continue_draft(demarche, draft)


# --- Steps -------------------------------------------------------------------------------------------------

def _visible_step(demarche: Demarche, draft: Draft, page_id: str) -> flow.Step:
    known = {page.id for page in flow.all_pages(demarche)}
    if page_id not in known:
        abort(400, description="Cette étape n'existe pas dans cette démarche. Revenez à l'étape précédente.")
    current = flow.step(demarche, draft.answers, page_id)
    if current is None or not flow.may_visit(demarche, draft.answers, page_id):
        raise DraftProblem(redirect_to(demarche, flow.first_incomplete(demarche, draft.answers)))
    return current


@blueprint.route("/<slug>/etape/<page_id>", methods=["GET", "POST"])
def step(slug: str, page_id: str):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    current = _visible_step(demarche, draft, page_id)
    if current.page.repeat:
        return redirect(url_for(".group", slug=slug, page_id=page_id))
    return _page(demarche, draft, current, draft.answers, item=None)


@blueprint.route("/<slug>/etape/<page_id>/<int:item>", methods=["GET", "POST"])
def group_item(slug: str, page_id: str, item: int):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    current, repeat, items = _repeated(demarche, draft, page_id)
    if repeat is None or not 1 <= item <= min(len(items) + 1, repeat.max):
        abort(400, description="Cet élément n'existe pas. Revenez à la liste.")
    values = items[item - 1] if item <= len(items) else {}
    return _page(demarche, draft, current, values, item=item)


@blueprint.post("/<slug>/etape/<page_id>/verifier-champ")
@blueprint.post("/<slug>/etape/<page_id>/<int:item>/verifier-champ")
def check_field(slug: str, page_id: str, item: int | None = None):
    """htmx only: check the question whose field just changed and send back its messages; saves nothing."""
    demarche = _demarche(slug)
    draft = _draft(demarche)
    current = _visible_step(demarche, draft, page_id)
    changed = (htmx.trigger_name or "").split("-")[0] if htmx else ""
    question = next((question for question in current.page.questions if question.id == changed), None)
    if question is None or question.type == "file":
        return "", 204
    form = page_form_class(current.page)()
    form.validate()
    field = form[question.id]
    # A date or an address is checked once every box has something: no reproach halfway through typing.
    halfway = question.type in ("date", "address") and not all(
        (field.data or {}).get(part, "").strip() for part in field.parts if part != "ligne2")
    db.session().commit()
    return render_template("demarches/_field_check.html", field=field, errors=[] if halfway else field.errors)


@blueprint.post("/<slug>/etape/<page_id>/suite")
def follow_up(slug: str, page_id: str):
    """htmx only: the questions that an answer on this page opens, shown in place; saves nothing."""
    demarche = _demarche(slug)
    draft = _draft(demarche)
    current = _visible_step(demarche, draft, page_id)
    form = page_form_class(current.page)()
    form.validate()
    chosen = {question.id: form[question.id].data for question in current.page.questions}
    db.session().commit()
    return render_template("demarches/_follow_ups.html", follow_ups=_follow_up_forms(
        demarche, current.page, {**draft.answers, **chosen}, draft.answers, formdata=None))


def _follow_up_forms(demarche: Demarche, page: Page, answers: dict, saved: dict, formdata) -> list:
    """(page, form) for each follow-up page that applies to these answers."""
    return [(follow, page_form_class(follow)(data=form_data_from(follow, saved), formdata=formdata))
            for follow in flow.follow_ups(demarche, page, answers) if follow.when.matches(answers)]


def _repeated(demarche: Demarche, draft: Draft, page_id: str):
    """The step of a repeated page, its repeat rule (None if it is not repeated) and its items so far."""
    current = _visible_step(demarche, draft, page_id)
    repeat = current.page.repeat
    return current, repeat, list(draft.answers.get(repeat.id) or []) if repeat else []


def _page(demarche: Demarche, draft: Draft, current: flow.Step, saved: dict, item: int | None):
    """Show or handle one page; `saved` holds this page's answers (an item's, for a repeated page)."""
    current = flow.Step(identity.for_channel(current.page, draft.channel), current.number, current.total)
    page = current.page
    session_db = db.session()
    form_class = page_form_class(page)
    if request.method == "POST" and request.form.get("action") != "enregistrer" and report_started(request.form):
        # Enter in a report field submits the step form through its default button ("Continuer"):
        # the person is sending their report, not this step. 307 sends the same POST to the report view,
        # which keeps the typed answers in the draft and comes back to this step.
        return redirect(url_for("reports.create"), code=307)
    if request.method == "POST" and request.form.get("action") == "signaler":
        # A text browser's "Signaler une difficulté" (it has no report form on the page): keep what was
        # typed, checked or not, and open the report page about this step; coming back shows it again.
        typed.keep(draft, page.id, item, request.form)
        session_db.commit()
        return redirect(url_for("reports.new", page=request.path))
    if request.method == "GET":
        proposed = identity.prefilled(demarche, draft.answers) if item is None else {}
        form = form_class(data=form_data_from(page, {**proposed, **saved}),
                          formdata=typed.typed_values(draft, page.id, item))
        for question_id in proposed.keys() & set(flow.question_ids(page)):
            form[question_id].description = identity.prefill_hint(demarche, question_id, form[question_id].description)
        _funnel(draft, demarche.slug, page.id, "viewed")
        session_db.commit()
        return _render_step(demarche, draft, current, form, item)
    form = form_class()
    valid = form.validate()
    upload_errors = _store_uploads(form, page, draft, item) if valid else {}
    if request.form.get("action") == "enregistrer":
        typed.keep(draft, page.id, item, request.form)
        _funnel(draft, demarche.slug, page.id, "saved")
        session_db.commit()
        return redirect(url_for(".save", slug=demarche.slug))
    if not valid or upload_errors:
        for question_id, message in upload_errors.items():
            form[question_id].errors = [message]
        failed = [question.id for question in page.questions if form[question.id].errors]
        _funnel(draft, demarche.slug, page.id, "error", failed,
                [str(form[question_id].errors[0]) for question_id in failed])
        session_db.commit()
        shown = _shown_follow_ups(demarche, page, draft.answers, draft.answers)
        return _render_step(demarche, draft, current, form, item, follow_ups=shown), 400
    answers = answers_from(form, page)
    shown = _shown_follow_ups(demarche, page, {**draft.answers, **answers}, draft.answers)
    if any(not follow_form.validate() for _follow, follow_form in shown):
        session_db.commit()
        return _render_step(demarche, draft, current, form, item, follow_ups=shown), 400
    _save_answers(draft, page, answers, item, saved)
    for follow, follow_form in shown:
        _save_answers(draft, follow, answers_from(follow_form, follow), None, draft.answers)
    session_db.commit()
    if request.args.get("retour") == "verifier" and flow.first_incomplete(demarche, draft.answers) is None:
        return redirect(url_for(".check", slug=demarche.slug))
    if page.repeat:
        return redirect(url_for(".group", slug=demarche.slug, page_id=page.id))
    last = shown[-1][0] if shown else page
    return redirect_to(demarche, flow.next_page(demarche, draft.answers, last.id))


def _shown_follow_ups(demarche: Demarche, page: Page, answers: dict, saved: dict) -> list:
    """The follow-up questions answered in place (sent with htmx), that still apply to the new answer."""
    sent = set(request.form.getlist("suite"))
    return [(follow, follow_form) for follow, follow_form in
            _follow_up_forms(demarche, page, answers, saved, formdata=request.form) if follow.id in sent]


def _save_answers(draft: Draft, page: Page, answers: dict, item: int | None, saved: dict) -> None:
    """Write a page's answers into the draft (JSON columns need a new dict to notice the change)."""
    merged = dict(draft.answers)
    for question in page.questions:
        if question.type == "file":
            previous = [file_id for file_id in saved.get(question.id) or [] if isinstance(file_id, int)]
            answers[question.id] = previous + (answers[question.id] if isinstance(answers[question.id], list) else [])
    if page.repeat:
        items = list(merged.get(page.repeat.id) or [])
        if item <= len(items):
            items[item - 1] = answers
        else:
            items.append(answers)
        merged[page.repeat.id] = items
    else:
        merged.update(answers)
    draft.answers = typed.without_step(merged, page.id, item)


def _store_uploads(form, page: Page, draft: Draft, item: int | None) -> dict[str, str]:
    """Store each uploaded file; a refused file gives a message and keeps every other answer."""
    errors = {}
    for question in page.questions:
        if question.type != "file":
            continue
        upload = form[question.id].answer
        if not upload or upload == "je-ne-sais-pas" or isinstance(upload, list):
            continue
        try:
            stored = files.store_upload(db.session(), upload, question.validation.accept,
                                        question.validation.max_bytes, question.id, item)
        except files.UploadError as error:
            errors[question.id] = str(error)
            continue
        draft.files.append(stored)
        db.session().flush()
        form[question.id].answer = [stored.id]
    return errors


def _render_step(demarche: Demarche, draft: Draft, current: flow.Step, form, item: int | None,
                 follow_ups: list | None = None):
    page = current.page
    previous = flow.previous_page(demarche, draft.answers, page.id)
    back = (url_for(".check", slug=demarche.slug) if request.args.get("retour") == "verifier"
            else url_for(".group", slug=demarche.slug, page_id=page.id) if page.repeat
            else url_for(".step", slug=demarche.slug, page_id=previous.id) if previous
            else url_for(".start", slug=demarche.slug))
    uploaded = _files_for(draft, page, item)
    return render_template("demarches/step.html", **_context(
        demarche, draft, step=current, page=page, form=form, item=item, back=back, uploaded=uploaded,
        follow_ups=follow_ups or [], reveals=bool(flow.follow_ups(demarche, page, draft.answers)) and item is None,
        has_errors=bool(form.errors) or any(follow_form.errors for _page, follow_form in follow_ups or []),
        multipart=any(q.type == "file" for q in page.questions)))


def _files_for(draft: Draft, page: Page, item: int | None) -> dict[str, list[StoredFile]]:
    """The files each file question of the page refers to, in this item's answers for a repeated page:
    the answers say which file belongs where, so an item keeps its files when an earlier one is removed."""
    if not any(question.type == "file" for question in page.questions):
        return {}
    answers = draft.answers
    if page.repeat:
        items = draft.answers.get(page.repeat.id) or []
        answers = items[item - 1] if item <= len(items) else {}
    by_id = {stored.id: stored for stored in _draft_files(draft)}
    return {question.id: [by_id[file_id] for file_id in answers.get(question.id) or []
                          if isinstance(file_id, int) and file_id in by_id]
            for question in page.questions if question.type == "file"}


def _draft_files(draft: Draft) -> list[StoredFile]:
    """The draft's own uploads, and, when correcting a request, the files already sent with it."""
    stored = list(draft.files)
    if draft.rectifies_id:
        stored += list(db.session().scalars(select(StoredFile).where(StoredFile.request_id == draft.rectifies_id)))
    referenced = _referenced_file_ids(draft.answers)
    return [file for file in stored if file.id in referenced]


def _referenced_file_ids(answers: dict) -> set[int]:
    found = set()
    for value in answers.values():
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, int):
                    found.add(entry)
                elif isinstance(entry, dict):
                    found |= _referenced_file_ids(entry)
    return found


@blueprint.post("/<slug>/fichier/<int:file_id>/supprimer")
def remove_file(slug: str, file_id: int):
    """Every check comes first: a refused request deletes nothing."""
    demarche = _demarche(slug)
    draft = _draft(demarche)
    if not EmptyForm().validate():
        abort(400)
    stored = next((file for file in _draft_files(draft) if file.id == file_id), None)
    if stored is None:
        abort(400, description="Ce fichier n'est pas dans vos réponses.")
    following = request.form.get("suivant")
    if following is not None and not _is_own_path(slug, following):
        abort(400, description="La page de retour est inconnue. Revenez à vos réponses et réessayez.")
    draft.answers = _without_file(draft.answers, file_id)
    if stored.draft_id == draft.id:
        storage.backend().delete(db.session(), stored)
        draft.files.remove(stored)
    db.session().commit()
    flash(f"Le fichier « {stored.original_name} » est supprimé.", "demarche")
    return redirect(following or url_for(".check", slug=slug))


def _without_file(value, file_id: int):
    if isinstance(value, dict):
        return {key: _without_file(item, file_id) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_file(item, file_id) for item in value if item != file_id]
    return value


def _is_own_path(slug: str, path: str | None) -> bool:
    return is_local_path(path, query=True) and path.startswith(f"/demarches/{slug}/")


# --- Repeated pages ----------------------------------------------------------------------------------------

@blueprint.route("/<slug>/groupe/<page_id>", methods=["GET", "POST"])
def group(slug: str, page_id: str):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    current = _visible_step(demarche, draft, page_id)
    repeat = current.page.repeat
    if repeat is None:
        abort(400, description="Cette étape n'a pas de liste.")
    items = draft.answers.get(repeat.id) or []
    if not items and request.method == "GET":
        return redirect(url_for(".group_item", slug=slug, page_id=page_id, item=1))
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        if len(items) < repeat.min:
            form.form_errors.append(f"Ajoutez au moins {repeat.min} {repeat.item_label.lower()}.")
        else:
            db.session().commit()
            return redirect_to(demarche, flow.next_page(demarche, draft.answers, page_id))
    db.session().commit()
    return render_template("demarches/group.html", **_context(
        demarche, draft, step=current, page=current.page, items=items, form=form,
        has_errors=bool(form.form_errors))), 400 if form.form_errors else 200


@blueprint.post("/<slug>/groupe/<page_id>/<int:item>/supprimer")
def remove_item(slug: str, page_id: str, item: int):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    _current, repeat, items = _repeated(demarche, draft, page_id)
    if not EmptyForm().validate() or not 1 <= item <= len(items):
        abort(400, description="Cet élément n'existe pas. Revenez à la liste.")
    removed = items.pop(item - 1)
    draft.answers = typed.without_item({**draft.answers, repeat.id: items}, page_id, item)
    _renumber_files(draft, removed, item)
    db.session().commit()
    flash(f"{repeat.item_label} {item} est supprimé de la liste.", "demarche")
    return redirect(url_for(".group", slug=slug, page_id=page_id))


def _renumber_files(draft: Draft, removed: dict, item: int) -> None:
    """The removed item's own uploads are deleted; later items' uploads move down one number with them."""
    gone = _referenced_file_ids(removed)
    for stored in list(draft.files):
        if stored.id in gone:
            storage.backend().delete(db.session(), stored)
            draft.files.remove(stored)
        elif stored.item is not None and stored.item > item:
            stored.item -= 1


# --- Check and submit --------------------------------------------------------------------------------------

@blueprint.route("/<slug>/verifier", methods=["GET", "POST"])
def check(slug: str):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    missing = flow.first_incomplete(demarche, draft.answers)
    if missing is not None:
        db.session().commit()
        return redirect_to(demarche, missing)
    form = DeclarationForm()
    form.declaration.label.text = demarche.declaration
    if request.method == "POST":
        if form.validate():
            return _end_practice(demarche, draft) if draft.practice else _submit(demarche, draft)
        _funnel(draft, demarche.slug, flow.CHECK_STEP, "error", ["declaration"],
                [str(error) for error in form.declaration.errors[:1]])
    else:
        _funnel(draft, demarche.slug, flow.CHECK_STEP, "viewed")
    db.session().commit()
    sections = summary.with_links(summary.sections(demarche, draft.answers), lambda row: _change_url(demarche, row))
    return render_template("demarches/check.html", **_context(
        demarche, draft, sections=sections, form=form, files={file.id: file for file in _draft_files(draft)},
        total=flow.total_steps(demarche, draft.answers), has_errors=bool(form.errors),
        rectifying=draft.rectifies_id is not None)), 400 if form.errors else 200


def _change_url(demarche: Demarche, row: summary.Row) -> str:
    """Where a "Modifier" link of the check page leads: the page, or the item of a repeated page."""
    if row.item is not None:
        return url_for(".group_item", slug=demarche.slug, page_id=row.page_id, item=row.item)
    return url_for(".step", slug=demarche.slug, page_id=row.page_id, retour="verifier")


def _submit(demarche: Demarche, draft: Draft):
    """Commit the request before showing anything; the receipt email goes through the outbox."""
    session_db = db.session()
    lang = str(get_locale())
    with db.durably(session_db):
        if draft.rectifies_id:
            existing = session_db.get(DemarcheRequest, draft.rectifies_id)
            if existing is None or existing.status != "recue":
                abort(400, description="Cette demande ne peut plus être corrigée en ligne : le service l'a déjà "
                                       "commencée. Contactez-le.")
            request_row = rectify(session_db, draft, demarche, existing)
            secret = None
        else:
            submitted = submit(session_db, draft, demarche, lang)
            request_row, secret = submitted.request, submitted.secret
        if secret is not None or draft.rectifies_id:
            mails.queue_receipt(session_db, request_row, demarche.for_answers(request_row.answers), secret,
                                corrected=draft.rectifies_id is not None)
        _funnel(draft, demarche.slug, flow.CHECK_STEP, "completed")
        drafts.mark_sent(draft, request_row, secret)
    outbox.send_after_response()
    return _show_receipt(demarche, request_row.reference, secret, draft.shared)


def _end_practice(demarche: Demarche, draft: Draft):
    """The end of a practice: the draft and its files are erased; no request, no receipt, no email."""
    drafts.erase(db.session(), draft)
    db.session().commit()
    response = redirect(url_for(".practice_done", slug=demarche.slug))
    drafts.clear_cookie(response, demarche.slug)
    return response


@blueprint.get("/<slug>/entrainement-fini")
def practice_done(slug: str):
    return render_template("demarches/practice_done.html", demarche=_demarche(slug))


def _show_receipt(demarche: Demarche, reference: str, secret: str | None, shared: bool):
    """Also used for a second click on "Envoyer": the same receipt, never a second request."""
    personal.grant(personal.RECEIPT, {"reference": reference, "secret": secret, "shared": shared}, shared=shared)
    response = redirect(url_for(".receipt", slug=demarche.slug))
    drafts.clear_cookie(response, demarche.slug)
    return response


@blueprint.get("/<slug>/accuse-de-reception")
def receipt(slug: str):
    demarche = _demarche(slug)
    shown = personal.granted(personal.RECEIPT) or {}
    request_row = db.session().scalar(select(DemarcheRequest).where(
        DemarcheRequest.reference == shown.get("reference"), DemarcheRequest.demarche == slug))
    if request_row is None:
        return redirect(url_for("tracking.lookup"))
    demarche = demarche.for_answers(request_row.answers)
    facts = receipt_facts(_received_day(request_row), demarche.legal)
    after = [(link, queries.fiche(db.session(), link.fiche, str(get_locale()))) for link in demarche.after_submit]
    return render_template("demarches/receipt.html", demarche=demarche, request_row=request_row,
                           secret=shown.get("secret"), facts=facts, after=[(l, f) for l, f in after if f],
                           satisfaction_form=SatisfactionForm(),
                           answered=satisfaction.for_request(db.session(), request_row) is not None,
                           content_lang="fr", shared=shown.get("shared") or help_point.active(),
                           leave_form=EmptyForm(), **summary.request_summary(demarche, request_row))


@blueprint.post("/<slug>/quitter")
def leave(slug: str):
    """"Effacer et quitter" on a shared computer: the receipt can no longer be opened from this browser."""
    demarche = _demarche(slug)
    if not EmptyForm().validate():
        abort(400)
    personal.forget(personal.RECEIPT)
    return redirect(url_for(".erased", slug=demarche.slug))


def _received_day(request_row: DemarcheRequest) -> date:
    return mails.local_day(request_row.received_at)


# --- Save, erase, expiry, idle warning ---------------------------------------------------------------------

@blueprint.route("/<slug>/enregistrer", methods=["GET", "POST"])
def save(slug: str):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    session_db = db.session()
    if draft.practice:
        session_db.commit()
        abort(400, description="En entraînement, rien n'est gardé : vos réponses ne peuvent pas être enregistrées. "
                               "Revenez à l'étape pour continuer.")
    if draft.resume_code is None:
        draft.resume_code = drafts.new_code(session_db)
    form = EmailLinkForm()
    if request.method == "POST" and form.validate():
        queue_resume_link(session_db, demarche, draft, form.email.data.strip())
        session_db.commit()
        outbox.send_after_response()
        flash("Nous vous avons envoyé un e-mail avec le lien et le code.", "demarche")
        return redirect(url_for(".save", slug=slug))
    session_db.commit()
    resume_at = flow.first_incomplete(demarche, draft.answers)
    return render_template("demarches/save.html", **_context(
        demarche, draft, code=drafts.display_code(draft.resume_code), form=form, has_errors=bool(form.errors),
        resume_page=resume_at)), 400 if form.errors else 200


@blueprint.get("/<slug>/effacer")
def confirm_erase(slug: str):
    """Erasing cannot be undone: a page says what will be lost and offers to go back."""
    demarche = _demarche(slug)
    draft = _draft(demarche)
    db.session().commit()
    resume_at = flow.first_incomplete(demarche, draft.answers)
    back = url_for(".step", slug=slug, page_id=resume_at.id) if resume_at else url_for(".check", slug=slug)
    return render_template("demarches/erase.html", demarche=demarche, form=EmptyForm(), back=back,
                           files=len(_draft_files(draft)),
                           code=drafts.display_code(draft.resume_code) if draft.resume_code else None)


@blueprint.post("/<slug>/effacer")
def erase(slug: str):
    demarche = _demarche(slug)
    if not EmptyForm().validate():
        abort(400)
    draft = drafts.from_cookie(db.session(), slug)
    if draft is not None:
        drafts.erase(db.session(), draft)
        db.session().commit()
    response = redirect(url_for(".erased", slug=demarche.slug))
    drafts.clear_cookie(response, slug)
    return response


@blueprint.get("/<slug>/efface")
def erased(slug: str):
    return render_template("demarches/erased.html", demarche=_demarche(slug))


@blueprint.get("/<slug>/expire")
def expired(slug: str):
    return render_template("demarches/expired.html", demarche=_demarche(slug), saved=request.args.get("code") == "oui",
                           shared_idle=request.args.get("raison") == "partage",
                           idle_minutes=current_app.config["HELP_POINT_IDLE_MINUTES" if help_point.active()
                                                           else "DRAFT_IDLE_MINUTES"],
                           lifetime_days=current_app.config["DRAFT_LIFETIME_DAYS"])


@blueprint.get("/<slug>/delai")
def idle_warning(slug: str):
    """Polled by htmx on a shared computer: empty until 2 minutes before expiry, then an alert dialog."""
    demarche = _demarche(slug)
    draft = drafts.from_cookie(db.session(), slug)
    if draft is None or drafts.is_idle(draft):
        return render_template("demarches/_idle_expired.html", demarche=demarche)
    remaining = drafts.seconds_left(draft)
    if remaining is None or remaining > 120:
        return ""
    return render_template("demarches/_idle_warning.html", demarche=demarche, minutes=max(1, round(remaining / 60)))


@blueprint.post("/<slug>/prolonger")
def keep_alive(slug: str):
    demarche = _demarche(slug)
    draft = _draft(demarche)
    db.session().commit()
    if htmx:
        return render_template("demarches/_idle_continued.html", deadline=drafts.idle_deadline(draft),
                               minutes=drafts.idle_minutes(draft))
    return redirect(request.referrer if _is_own_path(slug, (request.referrer or "").replace(request.host_url[:-1], ""))
                    else url_for(".check", slug=slug))
