"""Health check, sitemap, caching, compression and security headers."""
import gzip
import re

import brotli

from guichet.web.security import CONTENT_SECURITY_POLICY


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_sitemap_lists_events_and_fiches(client):
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    assert xml.count("/evenements/") >= 8
    assert xml.count("/fiches/") >= 24
    assert "<loc>https://guichet.admiville.fr/</loc>" in xml


def test_security_headers_and_csp_without_inline_script(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script found"
    assert " style=" not in html and "<style" not in html
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_html_is_gzipped_when_accepted(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.get_data())


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/[0-9a-f]{12}/css/site.css)"', html).group(1)
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"--brand:#1d4e89" in gzip.decompress(response.get_data())


def test_htmx_is_deferred_and_local(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<script src="/static/[0-9a-f]{12}/vendor/htmx.min.js" defer></script>', html)
    assert "http://" not in re.sub(r'https?://[^"]*"', '', html.split("<body")[0])


def test_no_third_party_requests(client):
    html = client.get("/fiches/pacs").get_data(as_text=True)
    for attribute in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
        assert not re.search(r"\.(js|css|woff2?|png|svg|jpg)$", attribute), attribute
    for source in re.findall(r'<(?:script|img|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert source.startswith("/"), source


def test_traversal_in_static_is_refused(client):
    assert client.get("/static/abc/css/../../../guichet/config.py").status_code == 404


def test_dynamic_html_is_brotli_when_accepted(client):
    response = client.get("/recherche?q=carte", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<html" in brotli.decompress(response.get_data())
