"""Development-only pages: the outbox, so emails can be read without an SMTP server.

The emails hold tracking links to other people's requests: the page is staff-only (see web.staff),
and exists only in development without SMTP.
"""
from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from guichet import db
from guichet.mail.models import OutboxMessage
from guichet.web.security import no_store
from guichet.web.staff import require_staff

blueprint = Blueprint("development", __name__, url_prefix="/dev")


@blueprint.before_request
def _development_staff_only():
    no_store()
    if current_app.config["GUICHET_ENV"] != "development" or current_app.config.get("SMTP_HOST"):
        abort(404)
    return require_staff()


@blueprint.get("/courriels")
def outbox():
    messages = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50))
    return render_template("development/outbox.html", messages=list(messages))
