"""The email of a démarche still being filled in: the link and code to resume a saved draft."""
from urllib.parse import urlencode

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from guichet.demarches import drafts
from guichet.demarches.definitions import Demarche
from guichet.demarches.models import Draft
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.mails import local_day


def queue_resume_link(db: Session, demarche: Demarche, draft: Draft, email: str) -> None:
    """The code is in the email as well as in the link, so it can be typed on another device."""
    code = drafts.display_code(draft.resume_code)
    with force_locale("fr"):  # like the démarche itself
        body = render_template("mail/resume.txt", demarche=demarche, code=code,
                               link=f"{site_url()}/reprendre?{urlencode({'code': code})}",
                               expires=local_day(draft.expires_at))
    outbox.enqueue(db, email, f"Reprendre votre démarche : {demarche.title}", body)
