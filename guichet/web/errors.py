"""Errors in plain language, with the right status code and never a stack trace.

An error page never reads the request body: the error may be that the body is too large or
unreadable, and reading it again would fail inside the handler (a bare 500 from the server).
"""
from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from guichet import htmx

CITIZEN_CODES = {400, 404, 413, 429}
API_MESSAGES = {400: "La demande n'est pas valide.", 404: "Cette adresse n'existe pas.",
                405: "L'API est en lecture seule : seule la méthode GET est permise.",
                500: "Une erreur est survenue sur le serveur."}
BACK_OFFICE_CODES = {400, 403, 404, 413, 429}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)


def on_error_page() -> bool:
    """True while an error page is rendered: templates must then leave the request body alone."""
    return g.get("error_page", False)


def _csrf_error(error: CSRFError):
    """A missing or expired security token: ask to try again; the previous page still has what was typed."""
    g.error_page = True
    template = "errors/_csrf_fragment.html" if htmx else "errors/csrf.html"
    return render_template(template, back=request.referrer if _same_site(request.referrer) else "/"), 400


def _http_error(error: HTTPException):
    if _api():
        own = error.description if error.description != type(error).description else None
        return _api_error(error.code or 500, own)
    known = BACK_OFFICE_CODES if _back_office() else CITIZEN_CODES
    code = error.code if error.code in known else 400 if (error.code or 500) < 500 else 500
    # Werkzeug's default descriptions are English and technical: only our own messages are shown.
    message = error.description if error.description != type(error).description else None
    return _render(code, message), error.code


def _server_error(error: Exception):
    from flask import current_app
    current_app.logger.exception("unexpected error")
    if _api():
        return _api_error(500, None)
    return _render(500, None), 500


def _render(code: int, message: str | None) -> str:
    """Back-office pages keep the back office's frame; citizens get the citizen pages with their help."""
    g.error_page = True
    if _back_office():
        return render_template("gestion/errors/error.html", code=code, message=message)
    return render_template(f"errors/{code}.html", message=message)


def _api() -> bool:
    return request.path.startswith("/api/")


def _api_error(code: int, message: str | None):
    """The API answers in JSON, errors too, and never touches the session (no cookie)."""
    text = message or API_MESSAGES.get(code, API_MESSAGES[400 if code < 500 else 500])
    return jsonify(erreur=code, message=text), code


def _back_office() -> bool:
    return request.path == "/gestion" or request.path.startswith("/gestion/")


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
