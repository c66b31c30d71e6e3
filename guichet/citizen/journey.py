"""Where a démarche goes next: the page of a draft to show, and handing a draft to this browser.

Shared by the démarche views and the tracking views (resume with a code, correct a request), so
that views never call each other.
"""
from flask import redirect, url_for

from guichet.demarches import drafts, flow
from guichet.demarches.definitions import Demarche, Page
from guichet.demarches.models import Draft


def redirect_to(demarche: Demarche, page: Page | None):
    """The page itself, its list for a repeated page, or the check page when nothing is missing."""
    if page is None:
        return redirect(url_for("demarches.check", slug=demarche.slug))
    if page.repeat:
        return redirect(url_for("demarches.group", slug=demarche.slug, page_id=page.id))
    return redirect(url_for("demarches.step", slug=demarche.slug, page_id=page.id))


def continue_draft(demarche: Demarche, draft: Draft):
    """Hand this browser the draft and go to its first unanswered page (or the check page)."""
    response = redirect_to(demarche, flow.first_incomplete(demarche, draft.answers))
    drafts.set_cookie(response, draft)
    return response
