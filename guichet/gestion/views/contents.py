"""The editors' room (/gestion/contenus): list, write with the plain-language checker, review, publish, history.

A fiche opens only to the editors and reviewers of its owner service and to admins (404 otherwise, so
other services' drafts are not revealed). Every change is one POST, then a redirect; a refused save
answers 4xx with the page as typed.
"""
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from guichet import db
from guichet.audit import log as audit
from guichet.content import service as content_service
from guichet.content.frontmatter import FrontMatterError, compose, split
from guichet.content.render import link_glossary_terms, markdown_to_html
from guichet.demarches.catalogue import catalogue
from guichet.editorial import editions, workflow
from guichet.feedback.reports import REPORT_CATEGORIES
from guichet.editorial.checking import check_source, highlight
from guichet.editorial.diff import changed, word_diff
from guichet.editorial.fields import FicheFields, FieldProblem, field_of, fields_from_meta, meta_from_fields
from guichet.gestion.access import current_staff, requires
from guichet.editorial.images import ImageProblem, checked_image
from guichet.gestion.forms import ArchiveFicheForm, ContentFiltersForm, FicheActionForm, FicheForm, FicheImageForm, NewFicheForm
from guichet.staff.roles import has_role, services_for
from lexicon import load_vocabulary

blueprint = Blueprint("contents", __name__, url_prefix="/contenus")
ROLES = ("editeur", "relecteur", "admin")
TOWN_TIME = ZoneInfo("Europe/Paris")
MAX_UPLOAD_READ = 64 * 1024 * 1024  # above MAX_CONTENT_LENGTH: the whole file, whose size is then judged
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SORTS = {"titre": lambda row: row.title.lower(), "etat": lambda row: row.state, "service": lambda row: row.service,
         "verification": lambda row: row.verified or date.min, "score": lambda row: row.score or 0.0,
         "signalements": lambda row: -row.reports, "votes": lambda row: -row.no_votes}


def _services() -> dict:
    return current_app.config["SETTINGS"]["services"]


def _writable_services() -> set[str]:
    member = current_staff()
    return set(_services()) if has_role(member, "admin") else services_for(member, *workflow.WRITER_ROLES)


def _edition(slug: str):
    """The edition if the signed-in member writes or reviews for its owner service; 404 otherwise."""
    session = db.session()
    editions.sync(session)
    edition = editions.find(session, slug)
    if edition is None or editions.owner_service(edition) not in _writable_services():
        abort(404)
    return edition


@blueprint.get("/")
@requires(*ROLES)
def index():
    form = ContentFiltersForm(request.args)
    form.etat.choices = [("", _("Tous"))] + list(workflow.EDITION_STATES.items())
    form.service.choices = [("", _("Tous"))] + [(key, value["name"]) for key, value in _services().items()]
    form.tri.choices = [("titre", _("Titre")), ("etat", _("État")), ("service", _("Service")),
                        ("verification", _("Date de vérification")), ("score", _("Score de lisibilité")),
                        ("signalements", _("Signalements")), ("votes", _("Votes « non »"))]
    session = db.session()
    writable = _writable_services()
    found = [row for row in editions.rows(session, date.today()) if row.service in writable]
    if form.etat.data:
        found = [row for row in found if row.state == form.etat.data]
    if form.service.data:
        found = [row for row in found if row.service == form.service.data]
    if form.a_revoir.data:
        found = [row for row in found if row.to_review]
    found.sort(key=SORTS.get(form.tri.data or "titre", SORTS["titre"]))
    session.commit()
    return render_template("gestion/contents/index.html", form=form, rows=found, states=workflow.EDITION_STATES,
                           english=editions.ENGLISH_STATES)


@blueprint.route("/nouvelle", methods=["GET", "POST"])
@requires("editeur", "relecteur", "admin")
def new():
    form = NewFicheForm()
    if request.method == "GET":
        return render_template("gestion/contents/new.html", form=form)
    session = db.session()
    slug = (form.slug.data or "").strip()
    if form.validate():
        if not SLUG_RE.fullmatch(slug):
            form.slug.errors.append(_("Utilisez seulement des lettres minuscules sans accent, des chiffres et des tirets."))
        elif editions.find(session, slug) is not None or content_service.fiche_exists(session, slug):
            form.slug.errors.append(_("Une fiche porte déjà cet identifiant."))
    if form.errors:
        return render_template("gestion/contents/new.html", form=form, has_errors=True), 400
    service = sorted(_writable_services())[0]
    meta = {"slug": slug, "title": "", "summary": "", "life_events": [], "audience": ["particulier"],
            "owner_service": service, "source": [], "verified": date.today(), "images": []}
    edition = editions.create(session, slug, compose(meta, editions.skeleton()), current_staff(),
                              _("Nouvelle fiche"))
    audit.record(session, "fiche_creee", current_staff(), "fiche", slug)
    session.commit()
    return redirect(url_for(".edit", slug=edition.slug))


def _form_for(source: str, lock: int) -> FicheForm:
    try:
        meta, body, _line = split(source)
    except FrontMatterError:
        meta, body = {}, source
    fields = fields_from_meta(meta)
    form = FicheForm(formdata=None, lock=lock, body=body.strip("\n"), **fields.__dict__)
    return _with_choices(form)


def _with_choices(form: FicheForm) -> FicheForm:
    form.owner_service.choices = [(key, value["name"]) for key, value in _services().items()]
    return form


def _render(edition, form: FicheForm, status: int = 200, check=None, preview: str | None = None,
            conflict=None, problems: list | None = None, image_form: FicheImageForm | None = None):
    session = db.session()
    working = editions.current_text(edition)
    current = editions.draft(edition)
    reports, votes = editions.citizen_feedback(session, edition.slug)
    member = current_staff()
    actions = {} if current is None else workflow.available_actions(member, editions.owner_service(edition),
                                                                    current.status, current.author_id)
    return render_template(
        "gestion/contents/edit.html", edition=edition, form=form, state=editions.state_of(edition),
        states=workflow.EDITION_STATES, version_states=workflow.STATES, draft=current, working=working,
        check=check if check is not None else check_source(working.source, edition.slug), preview=preview,
        conflict=conflict, problems=[("actions", problem) for problem in problems or []],
        report_categories=REPORT_CATEGORIES, reports=reports, votes=votes, actions=actions,
        image_form=image_form or FicheImageForm(formdata=None, lock=edition.lock),
        may_archive=workflow.may_archive(member, editions.owner_service(edition), editions.state_of(edition)),
        has_errors=status >= 400), status


@blueprint.get("/<slug>")
@requires(*ROLES)
def edit(slug: str):
    edition = _edition(slug)
    response = _render(edition, _form_for(editions.current_text(edition).source, edition.lock))
    db.session().commit()
    return response


def _typed_source(slug: str, form: FicheForm) -> str | None:
    """The file text of what was typed; None (with the field's error set) when a field cannot be read."""
    fields = FicheFields(**{name: getattr(form, name).data or "" for name in FicheFields.__dataclass_fields__})
    try:
        meta = meta_from_fields(slug, fields)
    except FieldProblem as problem:
        getattr(form, problem.field).errors.append(str(problem))
        return None
    return compose(meta, form.body.data or "")


def _preview_html(source: str) -> str:
    _meta, body, _line = split(source)
    return link_glossary_terms(markdown_to_html(body), load_vocabulary())


@blueprint.post("/<slug>")
@requires(*ROLES)
def save(slug: str):
    edition = _edition(slug)
    session = db.session()
    form = _with_choices(FicheForm())
    source = _typed_source(slug, form) if form.validate() else None
    if source is None:
        return _render(edition, form, 400)
    if request.form.get("faire") == "verifier":
        check = check_source(source, slug)
        return _render(edition, form, check=check, preview=highlight(_preview_html(source), check.findings))
    if form.owner_service.data not in _writable_services():
        form.owner_service.errors.append(_("Vous ne pouvez pas confier cette fiche à un service où vous n'avez pas de rôle."))
        return _render(edition, form, 400)
    _fiche, problems = content_service.check_fiche(session, source, slug)
    for key, sentence in problems:
        getattr(form, field_of(key)).errors.append(sentence)
    if problems:
        return _render(edition, form, 400, check=check_source(source, slug))
    try:
        editions.save_draft(session, edition, source, current_staff(), (form.note.data or "").strip(),
                            form.lock.data)
    except editions.StaleDraft as stale:
        session.rollback()
        edition = _edition(slug)
        theirs = stale.current or editions.current_text(edition)
        form.lock.data = edition.lock
        return _render(edition, form, 409, check=check_source(source, slug),
                       conflict=SimpleNamespace(version=theirs, body=split(theirs.source)[1].strip("\n"),
                                                pieces=word_diff(theirs.source, source)))
    except editions.Refused as refused:
        form.body.errors.append(str(refused))
        return _render(edition, form, 409)
    audit.record(session, "fiche_brouillon", current_staff(), "fiche", slug, {"verrou": edition.lock})
    session.commit()
    flash(_("Le brouillon est enregistré."), "gestion")
    return redirect(url_for(".edit", slug=slug))


@blueprint.post("/<slug>/verification")
@requires(*ROLES)
def verification(slug: str):
    """The checker's report on what is typed, for htmx: same report as the "Vérifier" button."""
    _edition(slug)
    form = _with_choices(FicheForm())
    form.validate()
    source = _typed_source(slug, form)
    if source is None:
        return render_template("gestion/contents/_report.html", check=None, problem=_("Le texte ne peut pas être vérifié : "
                                                                                     "corrigez d'abord les champs signalés."))
    return render_template("gestion/contents/_report.html", check=check_source(source, slug))


@blueprint.get("/<slug>/apercu")
@requires(*ROLES)
def preview(slug: str):
    """The working text rendered by the citizen page's template, at phone width on request."""
    edition = _edition(slug)
    source = editions.current_text(edition).source
    try:
        meta, _body, _line = split(source)
    except FrontMatterError:
        abort(404)
    meta = dict(meta, verified=str(meta.get("verified") or ""))
    fiche = SimpleNamespace(slug=slug, lang="fr", title=meta.get("title") or slug, summary=meta.get("summary") or "",
                            meta=meta, html=_preview_html(source), verified=_date_or_none(meta["verified"]))
    service = _services().get(meta.get("owner_service")) or next(iter(_services().values()))
    demarches = [catalogue().get(other) for other in meta.get("related_demarches") or [] if other in catalogue().slugs()]
    return render_template("gestion/contents/preview.html", edition=edition, fiche=fiche, service=service,
                           demarches=demarches, related=[], events=[], phone=request.args.get("largeur") == "telephone")


def _date_or_none(value: str):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@blueprint.post("/<slug>/actions/<name>")
@requires(*ROLES)
def act(slug: str, name: str):
    edition = _edition(slug)
    session = db.session()
    form = FicheActionForm()
    if name not in workflow.ACTIONS:
        abort(404)
    if not form.validate():
        abort(400, description=_("Le formulaire est incomplet : rechargez la page."))
    try:
        version = editions.act(session, edition, name, current_staff(), form.text.data or "", form.lock.data,
                               _moment(request.form.get("publish_at", "")))
    except editions.StaleDraft:
        session.rollback()
        flash(_("Quelqu'un a modifié cette fiche entre-temps : relisez-la avant d'agir."), "gestion")
        return redirect(url_for(".edit", slug=slug)), 303
    except editions.Refused as refused:
        session.rollback()
        edition = _edition(slug)
        return _render(edition, _form_for(editions.current_text(edition).source, edition.lock), 409,
                       problems=[str(refused)])
    details = {"version": version.number, "etat": version.status}
    if name == "forcer":
        details["raison"] = version.review_comment
    audit.record(session, f"fiche_{name}", current_staff(), "fiche", slug, details)
    session.commit()
    flash({"soumettre": _("La fiche est envoyée en relecture."), "approuver": _("La fiche est publiée."),
           "renvoyer": _("La fiche est renvoyée à son auteur."),
           "programmer": _("La publication est programmée."),
           "deprogrammer": _("La programmation est annulée : la fiche attend une relecture."),
           "forcer": _("La fiche est publiée sans relecture. Elle devra être relue.")}[name], "gestion")
    return redirect(url_for(".edit", slug=slug))


def _archive_form(edition, formdata=None) -> ArchiveFicheForm:
    form = ArchiveFicheForm(formdata=formdata, lock=edition.lock)
    form.replacement.choices = [("", _("Aucune : la page dira qu'elle n'existe plus"))] + sorted(
        editions.replacements(db.session(), edition.slug).items(), key=lambda item: item[1].lower())
    return form


def _render_archive(edition, form: ArchiveFicheForm, status: int = 200, problems: list | None = None):
    allowed = workflow.may_archive(current_staff(), editions.owner_service(edition), editions.state_of(edition))
    return render_template("gestion/contents/archive.html", edition=edition, form=form, allowed=allowed,
                           state=editions.state_of(edition), states=workflow.EDITION_STATES,
                           problems=[("replacement", problem) for problem in problems or []],
                           has_errors=status >= 400), status


@blueprint.get("/<slug>/archiver")
@requires(*ROLES)
def archive_form(slug: str):
    edition = _edition(slug)
    response = _render_archive(edition, _archive_form(edition))
    db.session().commit()
    return response


@blueprint.post("/<slug>/archiver")
@requires(*ROLES)
def archive(slug: str):
    """Archive with a replacement or none and a reason; refused input answers 400 and changes nothing."""
    edition = _edition(slug)
    session = db.session()
    form = _archive_form(edition, request.form)
    if not form.validate():
        return _render_archive(edition, form, 400)
    if form.lock.data != edition.lock:
        flash(_("Quelqu'un a modifié cette fiche entre-temps : relisez-la avant d'agir."), "gestion")
        return redirect(url_for(".archive_form", slug=slug)), 303
    try:
        version = editions.archive(session, edition, current_staff(), form.replacement.data or "",
                                   form.reason.data or "")
    except editions.Refused as refused:
        session.rollback()
        edition = _edition(slug)
        form.lock.data = edition.lock
        return _render_archive(edition, form, 400, problems=[str(refused)])
    audit.record(session, "fiche_archivee", current_staff(), "fiche", slug,
                 {"version": version.number, "remplacement": form.replacement.data or None,
                  "raison": form.reason.data.strip()})
    session.commit()
    flash(_("La fiche est archivée."), "gestion")
    return redirect(url_for(".edit", slug=slug))


@blueprint.post("/<slug>/images")
@requires(*ROLES)
def add_image(slug: str):
    """Store a checked image in the content's images and add it to the draft's header."""
    edition = _edition(slug)
    session = db.session()
    form = FicheImageForm()
    stored = None
    if form.validate():
        try:
            name, data = checked_image(form.file.data.filename, form.file.data.read(MAX_UPLOAD_READ))
            if (content_service.images_dir() / name).exists():
                raise ImageProblem("une image porte déjà ce nom : renommez le fichier")
            stored = name, data
        except ImageProblem as problem:
            form.file.errors.append(_("Image refusée : %(reason)s.", reason=str(problem)))
    if stored is None:
        return _render(edition, _form_for(editions.current_text(edition).source, edition.lock), 400,
                       image_form=form)
    name, data = stored
    image = {"file": name, "decorative": True} if form.decorative.data else {"file": name, "alt": form.alt.data.strip()}
    try:
        editions.add_image(session, edition, image, current_staff(), form.lock.data)
    except (editions.StaleDraft, editions.Refused):
        session.rollback()
        flash(_("Quelqu'un a modifié cette fiche entre-temps : relisez-la avant d'agir."), "gestion")
        return redirect(url_for(".edit", slug=slug)), 303
    (content_service.images_dir() / name).write_bytes(data)
    audit.record(session, "fiche_image", current_staff(), "fiche", slug, {"fichier": name})
    session.commit()
    flash(_("L'image %(name)s est ajoutée au brouillon.", name=name), "gestion")
    return redirect(url_for(".edit", slug=slug))


def _moment(value: str) -> datetime | None:
    """A date and time typed in the town's time zone, in UTC; None when empty or unreadable."""
    try:
        local = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return local.replace(tzinfo=TOWN_TIME).astimezone(timezone.utc) if local.tzinfo is None else None


@blueprint.get("/<slug>/versions")
@requires(*ROLES)
def history(slug: str):
    edition = _edition(slug)
    numbers = [version.number for version in edition.versions]
    old, new = _number(request.args.get("de")), _number(request.args.get("a"))
    if (old is None or new is None) and len(numbers) > 1:
        old, new = numbers[-2], numbers[-1]
    pieces = None
    if old is not None and new is not None:
        before, after = editions.version(edition, old), editions.version(edition, new)
        if before is None or after is None:
            abort(404)
        pieces = word_diff(before.source, after.source)
    return render_template("gestion/contents/history.html", edition=edition, pieces=pieces,
                           changes=changed(pieces) if pieces is not None else 0, old=old, new=new,
                           version_states=workflow.STATES, restore_form=FicheActionForm(formdata=None, lock=edition.lock))


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 9 else None


@blueprint.post("/<slug>/versions/<int:number>/reprendre")
@requires(*ROLES)
def restore(slug: str, number: int):
    edition = _edition(slug)
    session = db.session()
    if editions.version(edition, number) is None:
        abort(404)
    try:
        editions.restore(session, edition, number, current_staff())
    except editions.Refused as refused:
        session.rollback()
        flash(str(refused), "gestion")
        return redirect(url_for(".history", slug=slug)), 303
    audit.record(session, "fiche_version_reprise", current_staff(), "fiche", slug, {"version": number})
    session.commit()
    flash(_("La version %(number)s est reprise comme brouillon.", number=number), "gestion")
    return redirect(url_for(".edit", slug=slug))
