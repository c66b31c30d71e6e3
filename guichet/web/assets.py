"""Fingerprinted static files, served pre-compressed (brotli, else gzip) from memory, cached for a year.

URLs look like /static/<hash>/css/guichet.css; the hash changes whenever the file does, so
browsers can keep files forever. Sizes are tiny, so holding them in memory is cheaper than disk.
"""
import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import brotli
from flask import Blueprint, Response, abort, current_app, request

# Only names made of these characters reach the file system: no "..", no NUL, no backslash.
FILE_NAME_RE = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?:/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)*")
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json"}
blueprint = Blueprint("assets", __name__)


@dataclass(frozen=True)
class Asset:
    body: bytes
    compressed: dict[str, bytes]
    mimetype: str
    fingerprint: str


class AssetStore:
    """Static files of one or more folders, addressable by a URL prefix."""

    def __init__(self, roots: dict[str, Path], generated: dict[str, Callable[[], bytes]] | None = None):
        self.roots = roots
        self.generated = generated or {}
        self._cache: dict[str, Asset] = {}

    def get(self, name: str) -> Asset | None:
        if name in self._cache:
            return self._cache[name]
        if name in self.generated:
            body = self.generated[name]()
        else:
            path = self._resolve(name)
            if path is None:
                return None
            body = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".js"):
            mimetype = "text/javascript"
        compressed = {"br": brotli.compress(body, quality=11), "gzip": gzip.compress(body, 9, mtime=0)} \
            if mimetype in COMPRESSIBLE else {}
        asset = Asset(body, compressed, mimetype, hashlib.sha256(body).hexdigest()[:12])
        self._cache[name] = asset
        return asset

    def _resolve(self, name: str) -> Path | None:
        if not FILE_NAME_RE.fullmatch(name):
            return None
        prefix, _, rest = name.partition("/")
        root = self.roots.get(prefix)
        if root is None or not rest:
            return None
        path = (root / rest).resolve()
        if not path.is_file() or root.resolve() not in path.parents:
            return None
        return path

    def url(self, name: str) -> str:
        asset = self.get(name)
        if asset is None:
            raise LookupError(f"static file not found: {name}")
        return f"/static/{asset.fingerprint}/{name}"


def store() -> AssetStore:
    return current_app.extensions["guichet_assets"]


@blueprint.get("/static/<fingerprint>/<path:name>")
def serve(fingerprint: str, name: str):
    asset = store().get(name)
    if asset is None:
        abort(404)
    encoding = request.accept_encodings.best_match(tuple(asset.compressed))
    response = Response(asset.compressed[encoding] if encoding else asset.body, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    if fingerprint == asset.fingerprint:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


def themed_stylesheet(stylesheet: Path, tokens: dict[str, str]) -> Callable[[], bytes]:
    """The site stylesheet preceded by the organisation's design tokens, as one blocking request."""
    def build() -> bytes:
        declarations = ";".join(f"--{key.replace('_', '-')}:{value}" for key, value in tokens.items())
        return f":root{{{declarations}}}\n".encode() + stylesheet.read_bytes()
    return build
