"""Security headers on every response: a CSP without inline script, and cache rules."""
from flask import Flask, Response, g

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'none'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    app.after_request(add_headers)


def no_store() -> None:
    """Mark the current response as personal: never kept by browsers or proxies."""
    g.no_store = True


EVERY_RESPONSE = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
HTML_CACHE_CONTROL = "private, no-cache"  # browsers ask again each time: a page may change after a decision


def headers_for(mimetype: str) -> list[tuple[str, str]]:
    """The headers of a response that is not personal (the stored pages send these themselves)."""
    return [*EVERY_RESPONSE, *([("Cache-Control", HTML_CACHE_CONTROL)] if mimetype == "text/html" else [])]


def add_headers(response: Response) -> Response:
    for name, value in EVERY_RESPONSE:
        response.headers.setdefault(name, value)
    if g.get("no_store"):
        response.headers["Cache-Control"] = "no-store"
    elif response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", HTML_CACHE_CONTROL)
    return response
