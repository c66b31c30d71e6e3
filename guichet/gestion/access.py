"""Who may open which back-office page.

Every /gestion view declares its roles with `@requires(...)` or is marked `@public` (sign-in pages).
A view with neither is refused to everyone, so a forgotten check fails closed, and the test that
walks the URL map fails. Every back-office response is personal: `no-store`.
"""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import select

from guichet import db
from guichet.staff import signin
from guichet.staff.models import StaffMember
from guichet.requests.models import DemarcheRequest
from guichet.staff.roles import REQUEST_ROLES, has_role, services_for
from guichet.web.security import no_store

SESSION_KEY = "gestion"
ANY_STAFF = "*"


def public(view):
    view.gestion_roles = ()
    view.gestion_public = True
    return view


def requires(*roles: str):
    """Any one of these roles (in any service) opens the view; `ANY_STAFF` means any signed-in member."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        wrapper.gestion_roles = roles
        wrapper.gestion_public = False
        return wrapper
    return decorate


def current_staff() -> StaffMember | None:
    return g.get("staff")


def check_access(view_functions) -> None:
    """Run before every /gestion view: no-store, then sign-in and role checks."""
    no_store()
    view = view_functions.get(request.endpoint)
    if view is None:
        return
    if getattr(view, "gestion_public", False):
        return
    row, state = signin.active_session(db.session(), session.get(SESSION_KEY))
    if row is None:
        session.pop(SESSION_KEY, None)
        db.session().commit()
        target = url_for("gestion.auth.sign_in", raison=state if state in ("idle", "expired") else None,
                         suivant=request.full_path.rstrip("?") if request.method == "GET" else None)
        abort(redirect(target))
    g.staff = row.member
    g.staff_session = row
    db.session().commit()
    roles = getattr(view, "gestion_roles", None)
    if not roles:
        abort(403)
    if ANY_STAFF not in roles and not has_role(row.member, *roles):
        abort(403)


def visible_request(reference: str) -> DemarcheRequest:
    """The request if the signed-in member works for its service; 404 otherwise (never 403)."""
    row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
    if row is None or row.service not in services_for(current_staff(), *REQUEST_ROLES):
        abort(404)
    return row
