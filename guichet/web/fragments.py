"""Parts of a page that are the same for everyone, rendered once per worker and reused on every page.

The header, the footer and the empty "Signaler une difficulté" form make up most of a page's markup
and most of its rendering time, yet they only change with the language, the path and the kind of
browser. A template wraps such a part in `{% call shared_part("name", key…, when=…) %}…{% endcall %}`:
the first time, the body is rendered (with a marker in place of the CSRF token) and kept; later, the
kept markup is used with this request's token. `when` is false whenever the part could hold
something of this request (typed values, a message): the body is then rendered as usual.

A kept part already has its French typography, so the page's own typography pass skips it: the
part is first written as a placeholder comment, and the placeholders are replaced once the page's
typography is done (`insert_kept`, called by the template class).
"""
import re
import secrets

from flask import Flask, current_app, g, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from guichet.web.device import is_text_browser
from guichet.web.i18n import select_locale
from guichet.web.pagecache import token_stand_in
from guichet.web.typography import french_spacing

TOKEN_MARKER = "jetonpartage" + secrets.token_hex(16)
PLACEHOLDER_PREFIX = "<!--partage-" + secrets.token_hex(8) + "-"
PLACEHOLDER_RE = re.compile(re.escape(PLACEHOLDER_PREFIX) + r"(\d+)-->")
MAX_KEPT = 2000


class Kept:
    """The kept parts of one application in one worker process."""

    def __init__(self) -> None:
        self.parts: dict[tuple, str] = {}

    def get_or_render(self, key: tuple, render) -> str:
        html = self.parts.get(key)
        if html is None:
            if len(self.parts) >= MAX_KEPT:
                self.parts.clear()
            html = self.parts[key] = render()
        return html


def init_app(app: Flask) -> None:
    app.extensions["guichet_kept_parts"] = Kept()


def shared_part(name: str, *key, when: bool = True, caller) -> Markup:
    """The body of the call block, rendered once per name, key, language and kind of browser."""
    if not when or request.url_rule is None:
        return caller()
    full_key = (name, *key, select_locale(), is_text_browser(request.headers.get("User-Agent", "")))
    kept: Kept = current_app.extensions["guichet_kept_parts"]
    html = kept.get_or_render(full_key, lambda: _render_without_token(caller))
    if TOKEN_MARKER in html:
        html = html.replace(TOKEN_MARKER, generate_csrf())
    pending = g.setdefault("kept_parts", [])
    pending.append(html)
    return Markup(f"{PLACEHOLDER_PREFIX}{len(pending) - 1}-->")


def _render_without_token(caller) -> str:
    with token_stand_in(TOKEN_MARKER):
        return french_spacing(str(caller()))


def insert_kept(html: str) -> str:
    """The page with each placeholder replaced by its part."""
    if PLACEHOLDER_PREFIX not in html:
        return html
    pending = g.get("kept_parts", [])
    return PLACEHOLDER_RE.sub(lambda match: pending[int(match.group(1))], html)
