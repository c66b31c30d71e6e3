"""Help points ("poste d'accueil"): a computer many people use, where answers must not stay.

An agent of the place opens any page with `?poste=accueil` once: a long-lived cookie then makes
"ordinateur partagé" the default on every démarche start page of that browser. `?poste=personnel`
removes it.
"""
from flask import Flask, Response, current_app, request

PARAMETER = "poste"
COOKIE = "poste"
HELP_POINT = "accueil"
PERSONAL = "personnel"
COOKIE_DAYS = 400  # the longest life browsers allow a cookie


def init_app(app: Flask) -> None:
    app.after_request(remember_choice)


def active() -> bool:
    """Whether this browser is a help point's computer (the agent's choice, or the link just opened)."""
    asked = request.args.get(PARAMETER)
    if asked in (HELP_POINT, PERSONAL):
        return asked == HELP_POINT
    return request.cookies.get(COOKIE) == HELP_POINT


def remember_choice(response: Response) -> Response:
    asked = request.args.get(PARAMETER)
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    if asked == HELP_POINT:
        response.set_cookie(COOKIE, HELP_POINT, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=secure)
    elif asked == PERSONAL:
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax", secure=secure)
    return response
