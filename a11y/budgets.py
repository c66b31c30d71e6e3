"""Page-weight budgets, measured on every public page as a browser on a slow line would get them.

Sizes are the bytes actually sent to a browser accepting brotli (`Accept-Encoding: br`); the gzip
size (what a browser without brotli gets) is printed alongside. Prints a table page → bytes and
exits 1 when any page is over budget:
- HTML + blocking CSS ≤ 14 KB brotli (what must arrive before the first paint),
- every script and stylesheet the page loads ≤ 35 KB brotli in total,
- each content image ≤ 15 KB.
"""
import gzip
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import brotli

HTML_AND_CSS_BUDGET = 14 * 1024
ALL_ASSETS_BUDGET = 35 * 1024
IMAGE_BUDGET = 15 * 1024
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?![^>]*media="print")')
SCRIPT_RE = re.compile(r'<script src="([^"]+)"')
IMAGE_RE = re.compile(r'<img [^>]*src="(/static/[^"]+/contenu/[^"]+)"')


@dataclass(frozen=True)
class PageWeight:
    path: str
    html_brotli: int
    html_gzip: int
    blocking_css_brotli: int
    blocking_css_gzip: int
    assets_brotli: int
    largest_image: int

    @property
    def first_paint(self) -> int:
        return self.html_brotli + self.blocking_css_brotli

    @property
    def first_paint_gzip(self) -> int:
        return self.html_gzip + self.blocking_css_gzip

    def problems(self) -> list[str]:
        found = []
        if self.first_paint > HTML_AND_CSS_BUDGET:
            found.append(f"HTML + CSS {self.first_paint} > {HTML_AND_CSS_BUDGET}")
        if self.assets_brotli > ALL_ASSETS_BUDGET:
            found.append(f"scripts + styles {self.assets_brotli} > {ALL_ASSETS_BUDGET}")
        if self.largest_image > IMAGE_BUDGET:
            found.append(f"image {self.largest_image} > {IMAGE_BUDGET}")
        return found


def _sent_size(client, url: str, encoding: str) -> int:
    """Bytes sent for `url` to a browser accepting only `encoding` (small bodies go uncompressed)."""
    return len(client.get(url, headers={"Accept-Encoding": encoding}).get_data())


def decoded(response) -> str:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    return (brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip"
            else body).decode()


def measure(client, path: str, response=None) -> PageWeight:
    """`response`, when given, is the page as shown on a walk (brotli accepted); it is fetched again in gzip."""
    response = response or client.get(path, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    html = decoded(response)
    styles = STYLESHEET_RE.findall(html)
    scripts = SCRIPT_RE.findall(html)
    css_brotli = sum(_sent_size(client, url, "br") for url in styles)
    css_gzip = sum(_sent_size(client, url, "gzip") for url in styles)
    assets = css_brotli + sum(_sent_size(client, url, "br") for url in scripts)
    images = [len(client.get(url).get_data()) for url in set(IMAGE_RE.findall(html))]
    return PageWeight(path, len(response.get_data()), _sent_size(client, path, "gzip"), css_brotli, css_gzip,
                      assets, max(images, default=0))


def table(weights: list[PageWeight]) -> str:
    lines = [f"{'page':<60} {'HTML br':>8} {'CSS br':>7} {'HTML+CSS br':>12} {'(gzip)':>7} {'assets br':>10} "
             f"{'max img':>8}  verdict"]
    for weight in weights:
        verdict = "; ".join(weight.problems()) or "ok"
        lines.append(f"{weight.path[:60]:<60} {weight.html_brotli:>8} {weight.blocking_css_brotli:>7} "
                     f"{weight.first_paint:>12} {weight.first_paint_gzip:>7} {weight.assets_brotli:>10} "
                     f"{weight.largest_image:>8}  {verdict}")
    worst = max(weights, key=lambda weight: weight.first_paint)
    lines.append(f"{len(weights)} pages; heaviest HTML + CSS: {worst.path} = {worst.first_paint} bytes brotli, "
                 f"{worst.first_paint_gzip} gzip (budget {HTML_AND_CSS_BUDGET}); heaviest assets: "
                 f"{max(weight.assets_brotli for weight in weights)} bytes brotli (budget {ALL_ASSETS_BUDGET})")
    return "\n".join(lines)


def measure_site(app) -> list[PageWeight]:
    """Every public page, then every step of every démarche as it is shown on the way."""
    from guichet.demarches.catalogue import catalogue
    from guichet.citizen.views.system import public_urls

    from .walker import submit, walk_to_check
    with app.app_context():
        paths = public_urls()
        demarches = catalogue().all()
    client = app.test_client()
    weights = [measure(client, path) for path in paths]
    for demarche in demarches:
        def on_page(path, _response):
            weights.append(measure(client, path, client.get(path, headers={"Accept-Encoding": "br"})))
        check_html = walk_to_check(client, demarche, on_page=on_page)
        weights.append(measure(client, f"/demarches/{demarche.slug}/verifier"))
        receipt = submit(client, demarche, check_html).headers["Location"]
        weights.append(measure(client, receipt.split("localhost")[-1]))
        opinion = re.search(r'action="(/avis/demande/[^"]+)"', decoded(client.get(receipt)))
        weights.append(measure(client, opinion.group(1)))  # the questionnaire on its own page
    return weights


def main() -> int:
    from guichet.db.bootstrap import ready_app
    with tempfile.TemporaryDirectory() as folder:
        app = ready_app(f"sqlite:///{Path(folder) / 'budgets.sqlite3'}", {"TESTING": True})
        weights = measure_site(app)
    print(table(weights))
    over = [weight for weight in weights if weight.problems()]
    if over:
        print(f"OVER BUDGET: {len(over)} page(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
