"""Anonymous content pages rendered once per content version and language, kept compressed in memory.

Only what is the same for everyone is kept: the page is rendered with a marker in place of the CSRF
token (the "Signaler une difficulté" widget, the "utile ?" form), and each request gets its own token
inserted into the stored bytes. A request that could see something personal is rendered as before:
one with flash messages, a query string, an htmx header, or a view's own personal condition (a draft
cookie on a démarche's start page). Views marked `no_store` are never stored.

Stored encodings, so that a request costs no compression (see `Page`): brotli and gzip pieces
between tokens; the token goes in as a brotli uncompressed meta-block or a deflate stored block; the
gzip trailer's CRC-32 is computed per request over the page (~10 µs, simpler than combining CRCs).

The key also holds the language and whether the browser is a text browser (the one thing a page
shows differently by User-Agent: see guichet/web/device.py).

Freshness: the key holds the content version (a database row bumped by `flask content load`), read
at most once per PAGE_CACHE_TTL_SECONDS (1 s) per worker, so a page is at most that stale after a
load, in every worker and on every server. Démarche definitions, the lexicon and the settings are
read at start-up, so a worker's memory cannot outlive them.

Repeat visits: the ETag names the page and the session's CSRF secret, so a 304 only ever confirms
a copy whose token still works for this session.

Once Flask has served a stored page to a session, the next requests for it are answered by a WSGI
middleware before Flask (`StoredPagesFirst`): no request context, routing, session object or hooks.
"""
import gzip
import hashlib
import secrets
import struct
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Callable

import brotli
from flask import Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from werkzeug.datastructures import Accept, ETags
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header, parse_cookie, parse_etags, quote_etag

from guichet import db
from guichet.web import security
from guichet.web.device import is_text_browser
from guichet.web.i18n import LANGUAGE_COOKIE, LANGUAGES, select_locale

MARKER = "jeton" + secrets.token_hex(16)
TOKEN_FIELD = "csrf_token"
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
# Stand-ins for tokens while compressing: control characters never found in HTML, cut from a de Bruijn
# sequence so no two bytes repeat anywhere: no compressor can copy from or into them.
STAND_IN_ALPHABET = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
MAX_SIGNED_TOKENS = 10_000
BROTLI_FIXED_AFTER_TOKEN = 2  # brotli chooses a literal's code from the two bytes before it


@dataclass(frozen=True)
class Page:
    """A page split at each token, with its compressed pieces built once.

    Each encoding is one compressor run over the page with stand-ins in place of tokens, flushed
    around each stand-in; per request, each stand-in's compressed bytes are replaced by the token
    stored uncompressed (a deflate stored block, a brotli uncompressed meta-block). Stand-ins have the
    token's length, so every later back-reference still points at the same bytes. Pieces are kept
    only if a real decompressor gives back the exact page; otherwise the page goes out uncompressed
    from the store and Flask-Compress compresses it.
    """

    parts: tuple[bytes, ...]
    token_length: int
    deflated: tuple[bytes, ...] | None
    brotli_pieces: tuple[bytes, ...] | None
    digest: str

    @classmethod
    def build(cls, html: bytes, token_length: int) -> "Page":
        parts = tuple(html.split(MARKER.encode()))
        stand_ins = _stand_ins(len(parts) - 1, token_length)
        compressible = stand_ins is not None and not any(byte in STAND_IN_ALPHABET for byte in html)
        page = cls(parts, token_length,
                   _deflate_pieces(parts, stand_ins) if compressible else None,
                   _brotli_pieces(parts, stand_ins) if compressible else None,
                   hashlib.sha256(html).hexdigest()[:16])
        return page if page.decodes_exactly() else replace(page, deflated=None, brotli_pieces=None)

    def decodes_exactly(self) -> bool:
        sample = secrets.token_urlsafe(self.token_length)[:self.token_length].encode()
        expected = self.identity(sample)
        return (self.deflated is None or gzip.decompress(self.gzip(sample)) == expected) and \
            (self.brotli_pieces is None or brotli.decompress(self.brotli(sample)) == expected)

    def encodings(self, token: bytes) -> tuple[str, ...]:
        if len(token) != self.token_length:
            return ()
        return tuple(name for name, pieces in (("br", self.brotli_pieces), ("gzip", self.deflated)) if pieces)

    def identity(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzip(self, token: bytes) -> bytes:
        stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
        crc = zlib.crc32(self.parts[0])
        for part in self.parts[1:]:
            crc = zlib.crc32(part, zlib.crc32(token, crc))
        size = sum(map(len, self.parts)) + len(token) * (len(self.parts) - 1)
        return b"".join([GZIP_HEADER, stored.join(self.deflated), struct.pack("<II", crc, size & 0xFFFFFFFF)])

    def brotli(self, token: bytes) -> bytes:
        chunks = [self.brotli_pieces[0]]
        for part, piece in zip(self.parts[1:], self.brotli_pieces[1:]):
            chunks += [_uncompressed_metablock(token + part[:BROTLI_FIXED_AFTER_TOKEN]), piece]
        return b"".join(chunks)


def _stand_ins(count: int, length: int) -> list[bytes] | None:
    sequence = _de_bruijn(STAND_IN_ALPHABET)
    if count * length > len(sequence):
        return None
    return [sequence[index * length:(index + 1) * length] for index in range(count)]


def _de_bruijn(alphabet: bytes) -> bytes:
    """Every pair of symbols exactly once (order-2 de Bruijn sequence, Lyndon-word construction)."""
    size, sequence, word = len(alphabet), [], [0] * 3

    def build(t: int, p: int) -> None:
        if t > 2:
            if 2 % p == 0:
                sequence.extend(word[1:p + 1])
            return
        word[t] = word[t - p]
        build(t + 1, p)
        for symbol in range(word[t - p] + 1, size):
            word[t] = symbol
            build(t + 1, t)
    build(1, 1)
    return bytes(alphabet[index] for index in sequence)


def _deflate_pieces(parts: tuple[bytes, ...], stand_ins: list[bytes]) -> tuple[bytes, ...]:
    """Raw deflate of the parts, each ended byte-aligned; the stand-ins' own blocks are left out."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    pieces = [compressor.compress(parts[0])]
    for stand_in, part in zip(stand_ins, parts[1:]):
        pieces[-1] += compressor.flush(zlib.Z_SYNC_FLUSH)
        compressor.compress(stand_in)
        compressor.flush(zlib.Z_SYNC_FLUSH)
        pieces.append(compressor.compress(part))
    pieces[-1] += compressor.flush(zlib.Z_FINISH)
    return tuple(pieces)


def _brotli_pieces(parts: tuple[bytes, ...], stand_ins: list[bytes]) -> tuple[bytes, ...] | None:
    """Brotli of the parts; a stand-in's meta-block also takes the two bytes after it, as the token's will."""
    if any(len(part) < BROTLI_FIXED_AFTER_TOKEN for part in parts[1:]):
        return None
    compressor = brotli.Compressor(quality=11)
    pieces = [compressor.process(parts[0])]
    for stand_in, part in zip(stand_ins, parts[1:]):
        pieces[-1] += compressor.flush()
        compressor.process(stand_in + part[:BROTLI_FIXED_AFTER_TOKEN])
        compressor.flush()
        pieces.append(compressor.process(part[BROTLI_FIXED_AFTER_TOKEN:]))
    pieces[-1] += compressor.finish()
    return tuple(pieces)


def _uncompressed_metablock(data: bytes) -> bytes:
    """A brotli meta-block (RFC 7932 §9.2) carrying `data` (a token) as is: ISLAST=0, MLEN in 4 nibbles,
    ISUNCOMPRESSED=1, then padding to the byte."""
    return (((len(data) - 1) << 3) | (1 << 19)).to_bytes(3, "little") + data


@dataclass
class Stored:
    """A stored page, and the cookies that would make this page personal (then it is rendered)."""

    page: Page
    personal_cookies: frozenset[str]


@dataclass
class PageStore:
    """The pages of one worker process, for one content version."""

    ttl: float
    version: int = -1
    checked_at: float = float("-inf")
    pages: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def current_version(self) -> int:
        now = time.monotonic()
        if now - self.checked_at >= self.ttl:
            from guichet.content.store import current_version
            version = current_version(db.session())
            if version != self.version:
                self.pages, self.version = {}, version
            self.checked_at = now
        return self.version

    def fresh_version(self) -> int | None:
        """The version, if it was read from the database less than `ttl` ago (no query here)."""
        return self.version if time.monotonic() - self.checked_at < self.ttl else None


def init_app(app) -> None:
    app.extensions["guichet_pages"] = PageStore(ttl=app.config.get("PAGE_CACHE_TTL_SECONDS", 1.0))
    app.wsgi_app = StoredPagesFirst(app, app.wsgi_app)


def cached_page(unless: Callable[..., bool] | None = None, personal_cookies: Callable[..., list[str]] | None = None):
    """Serve the view's page from memory for anyone; `unless(**view_args)` says when it is personal, and
    `personal_cookies(**view_args)` names the cookies it reads to say so (see StoredPagesFirst)."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _shared_request() or (unless is not None and unless(**kwargs)):
                return view(**kwargs)
            store: PageStore = current_app.extensions["guichet_pages"]
            # A text browser gets a link to the report page instead of the report form (see layout.html).
            key = (store.current_version(), request.path, select_locale(),
                   is_text_browser(request.headers.get("User-Agent", "")))
            stored = store.pages.get(key)
            if stored is None:
                page = _render_shared(view, kwargs)
                if page is None:
                    return view(**kwargs)
                stored = store.pages[key] = Stored(page, frozenset(personal_cookies(**kwargs) if personal_cookies
                                                                   else ()))
            return _serve(stored.page)
        return wrapper
    return decorate


@contextmanager
def token_stand_in(marker: str):
    """Forms rendered inside write `marker` as their CSRF token (it is replaced per request later);
    the request's own token, if it had one, is back afterwards."""
    had_token, token = TOKEN_FIELD in g, g.get(TOKEN_FIELD)
    setattr(g, TOKEN_FIELD, marker)
    try:
        yield
    finally:
        if had_token:
            setattr(g, TOKEN_FIELD, token)
        else:
            g.pop(TOKEN_FIELD, None)


def _shared_request() -> bool:
    """Nothing in this request can make the page differ from anyone else's."""
    return (request.method in ("GET", "HEAD") and not request.query_string
            and "HX-Request" not in request.headers and "_flashes" not in session)


def _render_shared(view, kwargs) -> Page | None:
    """Render with the marker as token; None when the outcome must not be shared."""
    with token_stand_in(MARKER):
        response = current_app.make_response(view(**kwargs))
    if response.status_code != 200 or g.get("no_store") or response.mimetype != "text/html" \
            or response.is_streamed:
        return None
    return Page.build(response.get_data(), len(generate_csrf()))


def _serve(page: Page) -> Response:
    """The stored page with this session's token; 304 when the browser's copy is for this session."""
    check_etag = TOKEN_FIELD in session
    token = _token()
    status, headers, body = answer(page, token.encode(), session[TOKEN_FIELD], request.accept_encodings,
                                   request.if_none_match if check_etag else ETags(),
                                   current_app.config.get("WTF_CSRF_TIME_LIMIT"))
    return Response(body, status, headers)


def answer(page: Page, token: bytes, raw_token: str, accepted: Accept, if_none_match: ETags,
           token_time_limit: int | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a stored page for one session, whichever way it is served."""
    etag = _etag(page, raw_token, token_time_limit)
    headers = [("Content-Type", "text/html; charset=utf-8"), ("ETag", quote_etag(etag)),
               ("Vary", "Accept-Encoding, Cookie, User-Agent"), *security.headers_for("text/html")]
    if etag in if_none_match:
        return 304, headers, b""
    encoding = accepted.best_match(page.encodings(token))
    if encoding == "br":
        body = page.brotli(token)
    elif encoding == "gzip":
        body = page.gzip(token)
    else:
        body = page.identity(token)
    if encoding:
        headers.append(("Content-Encoding", encoding))
    headers.append(("Content-Length", str(len(body))))
    return 200, headers, body


def _token() -> str:
    """This session's signed CSRF token, signed once per session and worker: signing costs as much as
    reading the session. Only without a token time limit (a reused token must never be too old)."""
    raw = session.get(TOKEN_FIELD)
    if raw is None or current_app.config.get("WTF_CSRF_TIME_LIMIT"):
        return generate_csrf()
    tokens = current_app.extensions["guichet_pages"].tokens
    token = tokens.get(raw)
    if token is None:
        if len(tokens) >= MAX_SIGNED_TOKENS:
            tokens.clear()
        token = tokens[raw] = generate_csrf()
    setattr(g, TOKEN_FIELD, token)
    return token


def _etag(page: Page, raw_token: str, token_time_limit: int | None) -> str:
    """With a CSRF time limit, a copy is only confirmed during half of its token's life."""
    secret = hashlib.sha256(str(raw_token).encode()).hexdigest()[:16]
    epoch = f".{int(time.time() // max(1, token_time_limit // 2))}" if token_time_limit else ""
    return f"{page.digest}.{secret}{epoch}"


class StoredPagesFirst:
    """WSGI middleware: a stored page goes out before Flask sees the request, when nothing in the
    request could make it personal. Anything else, or anything not known yet (first visit without a
    session, a token not yet signed in this worker, a content version older than the store's time to
    live), goes to Flask, which renders, stores and serves as above: this only ever repeats what Flask
    itself served to this session.

    Same conditions as `_shared_request`, plus: none of the page's personal cookies, a valid session
    holding a CSRF token and neither a flash message nor a permanent flag (Flask would refresh its
    cookie), no CSRF time limit, an ASCII path, and a page that has compressed forms (otherwise
    Flask-Compress compresses it on the way out).
    """

    def __init__(self, app, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.serializer = None

    def __call__(self, environ, start_response):
        served = self._from_store(environ)
        if served is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = served
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", headers)
        return [body]

    def _from_store(self, environ) -> tuple[int, list[tuple[str, str]], bytes] | None:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING") or "HTTP_HX_REQUEST" in environ \
                or not path.startswith("/") or not path.isascii() or self.app.config.get("WTF_CSRF_TIME_LIMIT"):
            return None
        store: PageStore = self.app.extensions["guichet_pages"]
        version = store.fresh_version()
        if version is None:
            return None
        cookies = parse_cookie(environ)
        language = cookies.get(LANGUAGE_COOKIE)
        stored = store.pages.get((version, path, language if language in LANGUAGES else "fr",
                                  is_text_browser(environ.get("HTTP_USER_AGENT", ""))))
        if stored is None or not stored.page.deflated or stored.personal_cookies.intersection(cookies):
            return None
        raw = self._raw_token(cookies.get(self.app.config["SESSION_COOKIE_NAME"]))
        token = store.tokens.get(raw) if raw else None
        if token is None:
            return None
        return answer(stored.page, token.encode(), raw, parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING")),
                      parse_etags(environ.get("HTTP_IF_NONE_MATCH")))

    def _raw_token(self, cookie: str | None) -> str | None:
        """The session's CSRF secret, if the session cookie is valid and holds nothing else that matters."""
        if not cookie:
            return None
        if self.serializer is None:
            self.serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            data = self.serializer.loads(cookie, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return None
        if not isinstance(data, dict) or "_flashes" in data or data.get("_permanent"):
            return None
        raw = data.get(TOKEN_FIELD)
        return raw if isinstance(raw, str) else None
