"""Who may open staff-only pages. Today a development token; tomorrow the back office sign-in.

Every staff-only page calls `require_staff()`, so the future sign-in replaces this one check.
Without authorisation the page does not exist (404): nothing tells a visitor it is there.
"""
import hashlib
import hmac

from flask import abort, current_app, redirect, request, session

TOKEN_PARAMETER = "jeton"
SESSION_KEY = "personnel"


def _fingerprint(token: str) -> str:
    """Kept in the signed session instead of the token; a new token file ends every old access."""
    return hashlib.sha256(f"staff:{token}".encode()).hexdigest()[:32]


def require_staff():
    """None for staff; otherwise a 404. A valid `?jeton=` is remembered, then removed from the address."""
    token = current_app.config.get("STAFF_TOKEN")
    if not token:
        abort(404)
    offered = request.args.get(TOKEN_PARAMETER)
    if offered is not None:
        if not hmac.compare_digest(offered.encode("utf-8", "replace"), token.encode()):
            abort(404)
        session[SESSION_KEY] = _fingerprint(token)
        return redirect(request.path)
    if not hmac.compare_digest(str(session.get(SESSION_KEY, "")), _fingerprint(token)):
        abort(404)
    return None
