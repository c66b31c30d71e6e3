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
"""
import gzip
import hashlib
import secrets
import struct
import time
import zlib
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Callable

import brotli
from flask import Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from guichet import db
from guichet.web.device import is_text_browser
from guichet.web.i18n import select_locale

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


def init_app(app) -> None:
    app.extensions["guichet_pages"] = PageStore(ttl=app.config.get("PAGE_CACHE_TTL_SECONDS", 1.0))


def cached_page(unless: Callable[..., bool] | None = None):
    """Serve the view's page from memory for anyone; `unless(**view_args)` says when it is personal."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _shared_request() or (unless is not None and unless(**kwargs)):
                return view(**kwargs)
            store: PageStore = current_app.extensions["guichet_pages"]
            # A text browser gets a link to the report page instead of the report form (see layout.html).
            key = (store.current_version(), request.path, select_locale(),
                   is_text_browser(request.headers.get("User-Agent", "")))
            page = store.pages.get(key)
            if page is None:
                page = _render_shared(view, kwargs)
                if page is None:
                    return view(**kwargs)
                store.pages[key] = page
            return _serve(page)
        return wrapper
    return decorate


def _shared_request() -> bool:
    """Nothing in this request can make the page differ from anyone else's."""
    return (request.method in ("GET", "HEAD") and not request.query_string
            and "HX-Request" not in request.headers and "_flashes" not in session)


def _render_shared(view, kwargs) -> Page | None:
    """Render with the marker as token; None when the outcome must not be shared."""
    setattr(g, TOKEN_FIELD, MARKER)
    try:
        response = current_app.make_response(view(**kwargs))
    finally:
        g.pop(TOKEN_FIELD, None)
    if response.status_code != 200 or g.get("no_store") or response.mimetype != "text/html" \
            or response.is_streamed:
        return None
    return Page.build(response.get_data(), len(generate_csrf()))


def _serve(page: Page) -> Response:
    """The stored page with this session's token; 304 when the browser's copy is for this session."""
    if TOKEN_FIELD in session:
        etag = _etag(page)
        if etag in request.if_none_match:
            return _with_headers(Response(status=304), etag)
    token = _token().encode()
    encoding = request.accept_encodings.best_match(page.encodings(token))
    if encoding == "br":
        response = Response(page.brotli(token), mimetype="text/html")
        response.headers["Content-Encoding"] = "br"
    elif encoding == "gzip":
        response = Response(page.gzip(token), mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(page.identity(token), mimetype="text/html")
    return _with_headers(response, _etag(page))


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


def _etag(page: Page) -> str:
    secret = hashlib.sha256(str(session[TOKEN_FIELD]).encode()).hexdigest()[:16]
    return f"{page.digest}.{secret}{_token_epoch()}"


def _token_epoch() -> str:
    """With a CSRF time limit, a copy is only confirmed during half of its token's life."""
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT")
    return f".{int(time.time() // max(1, limit // 2))}" if limit else ""


def _with_headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.vary.update(("Accept-Encoding", "Cookie", "User-Agent"))
    return response
