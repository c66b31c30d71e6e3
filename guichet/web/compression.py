"""Gzip for dynamic text responses (HTML, XML, JSON) when the client accepts it."""
import gzip

from flask import Flask, Response, request

COMPRESSIBLE_PREFIXES = ("text/html", "application/xml", "text/xml", "application/json", "text/plain")
MIN_SIZE = 500


def init_app(app: Flask) -> None:
    app.after_request(compress)


def compress(response: Response) -> Response:
    if (response.direct_passthrough or response.status_code < 200 or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "")
            or not response.mimetype or not response.content_type.startswith(COMPRESSIBLE_PREFIXES)):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, 6))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
