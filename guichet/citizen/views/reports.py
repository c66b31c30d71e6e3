""""Signaler une difficulté" and "Cette page vous a-t-elle été utile ?": both work without JS.

Without JS a report POSTs, then redirects back to the page it came from (the widget shows the
confirmation). With htmx the widget is swapped in place and the result goes to a live region.
Text browsers get a link to a page of its own (`/signalements/nouveau?page=…`) instead of the widget.
Spam is held back by CSRF and the rate limit per client (RATE_LIMIT_REPORTS); there is no hidden trap
field, which text browsers and screen readers would show.
"""
from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_babel import get_locale, gettext, ngettext
from sqlalchemy import select

from guichet import db, htmx
from guichet.citizen.forms import FeedbackForm, REPORT_TEXT_MAX, ReportForm, is_local_page
from guichet.feedback.page_titles import page_title, site_titles
from guichet.demarches import drafts, typed
from guichet.feedback.models import FeedbackVote, Report
from guichet.web.device import device_class
from guichet.web.ratelimit import allow
from guichet.web.security import no_store

blueprint = Blueprint("reports", __name__)


@blueprint.get("/signalements/nouveau")
def new():
    """The report form on a page of its own, for text browsers; `page` is the page the report is about."""
    page = request.args.get("page", "/")
    if not is_local_page(page):
        abort(400, description=gettext("La page d'origine est inconnue. Revenez à la page et réessayez."))
    return render_template("reports/new.html", form=ReportForm(page=page), message=None, page=page)


@blueprint.post("/signalements")
def create():
    form = ReportForm()
    session = db.session()
    _keep_step_answers(form.page.data)
    if not form.validate():
        session.commit()
        return _invalid(form)
    limit, window = current_app.config["RATE_LIMIT_REPORTS"]
    if not allow(session, "signalement", limit, window):
        session.commit()
        return _invalid(form, status=429, message=gettext(
            "Vous avez envoyé beaucoup de signalements en peu de temps. Réessayez dans quelques minutes."))
    session.add(Report(
        category=form.category.data,
        text=(form.text.data or "").strip(),
        contact_email=_contact_email(form),
        page=form.page.data,
        lang=str(get_locale()),
        device=device_class(request.headers.get("User-Agent", "")),
    ))
    session.commit()
    return _sent(form)


def _keep_step_answers(page: str | None) -> None:
    """Sent from a démarche step, the report carries the step's typed answers: keep them in the draft."""
    step = typed.step_of_path(page or "")
    if step is None:
        return
    slug, page_id, item = step
    draft = drafts.from_cookie(db.session(), slug)
    if draft is not None and not drafts.is_idle(draft):
        typed.keep(draft, page_id, item, request.form)


def _contact_email(form: ReportForm) -> str | None:
    """The address to answer to, whether or not "Vous pouvez me recontacter" is ticked.

    Its field says "only if you want an answer": typing an address there is itself a clear request
    to be answered (consent by a clear affirmative act, GDPR recital 32). Dropping it because a box
    was not ticked would silently break that request, so it is kept, and the confirmation says we
    will answer by email. The box without an address is refused by ReportForm.validate.
    """
    return (form.email.data or "").strip() or None


def _sent(form: ReportForm):
    message = gettext("Merci, votre signalement est envoyé. Il nous aide à améliorer ce site.")
    if _contact_email(form):
        message += " " + gettext("Nous vous répondrons par e-mail.")
    if htmx:
        return render_template("reports/_widget_sent.html", message=message, page=form.page.data)
    flash(message, "signalement")
    return redirect(form.page.data + "#signaler")


def _invalid(form: ReportForm, status: int = 400, message: str | None = None):
    no_store()  # the page shows back what the person typed
    template = "reports/_widget_form.html" if htmx else "reports/new.html"
    page = form.page.data if is_local_page(form.page.data) else "/"
    return render_template(template, form=form, message=message, page=page), status


@blueprint.post("/signalements/compteur")
def counter():
    """Live character count for the report text (htmx only; the limit is also stated in the hint)."""
    typed = len(request.form.get("signalement-text", ""))
    remaining = REPORT_TEXT_MAX - typed
    if remaining >= 0:
        return ngettext("Il vous reste %(num)d caractère sur 1 000.", "Il vous reste %(num)d caractères sur 1 000.",
                        remaining)
    return ngettext("Vous avez %(num)d caractère en trop.", "Vous avez %(num)d caractères en trop.", -remaining)


@blueprint.get("/signalements/suivi-public")
def public_follow_up():
    treated = db.session().scalars(
        select(Report).where(Report.status == "traité", Report.public_answer.is_not(None))
        .order_by(Report.page, Report.answered_at.desc()))
    titles = site_titles(db.session(), str(get_locale()))
    by_page = [(page_title(page, titles), list(reports))
               for page, reports in groupby(treated, key=lambda report: report.page)]
    return render_template("reports/public_follow_up.html", by_page=by_page)


@blueprint.post("/avis")
def feedback():
    form = FeedbackForm()
    session = db.session()
    if not form.validate():
        return render_template("reports/feedback_error.html", form=form), 400
    if allow(session, "avis", 30, 3600):
        session.add(FeedbackVote(page=form.page.data, useful=form.useful.data == "oui"))
    session.commit()
    flash(gettext("Merci pour votre réponse."), "avis")
    if form.useful.data == "non":
        flash(gettext("Dites-nous ce qui manque avec « Signaler une difficulté », en bas de la page."), "avis")
    return redirect(form.page.data + "#avis")
