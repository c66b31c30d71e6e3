"""Page-weight budgets, measured on every public page as a browser on a slow line would get them.

Prints a table page → bytes and exits 1 when any page is over budget:
- HTML + blocking CSS ≤ 14 KB gzip (what must arrive before the first paint),
- every script and stylesheet the page loads ≤ 35 KB gzip in total,
- each content image ≤ 15 KB.
"""
import gzip
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HTML_AND_CSS_BUDGET = 14 * 1024
ALL_ASSETS_BUDGET = 35 * 1024
IMAGE_BUDGET = 15 * 1024
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?![^>]*media="print")')
SCRIPT_RE = re.compile(r'<script src="([^"]+)"')
IMAGE_RE = re.compile(r'<img [^>]*src="(/static/[^"]+/contenu/[^"]+)"')


@dataclass(frozen=True)
class PageWeight:
    path: str
    html_gzip: int
    blocking_css_gzip: int
    assets_gzip: int
    largest_image: int

    @property
    def first_paint(self) -> int:
        return self.html_gzip + self.blocking_css_gzip

    def problems(self) -> list[str]:
        found = []
        if self.first_paint > HTML_AND_CSS_BUDGET:
            found.append(f"HTML + CSS {self.first_paint} > {HTML_AND_CSS_BUDGET}")
        if self.assets_gzip > ALL_ASSETS_BUDGET:
            found.append(f"scripts + styles {self.assets_gzip} > {ALL_ASSETS_BUDGET}")
        if self.largest_image > IMAGE_BUDGET:
            found.append(f"image {self.largest_image} > {IMAGE_BUDGET}")
        return found


def _gzip_size(client, url: str) -> int:
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    body = response.get_data()
    return len(body) if response.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(body, 6))


def measure(client, path: str, response=None) -> PageWeight:
    response = response or client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    raw = response.get_data()
    html = gzip.decompress(raw).decode() if response.headers.get("Content-Encoding") == "gzip" else raw.decode()
    styles = STYLESHEET_RE.findall(html)
    scripts = SCRIPT_RE.findall(html)
    css = sum(_gzip_size(client, url) for url in styles)
    assets = css + sum(_gzip_size(client, url) for url in scripts)
    images = [len(client.get(url).get_data()) for url in set(IMAGE_RE.findall(html))]
    return PageWeight(path, len(raw), css, assets, max(images, default=0))


def table(weights: list[PageWeight]) -> str:
    lines = [f"{'page':<60} {'HTML gz':>8} {'CSS gz':>7} {'HTML+CSS':>9} {'assets gz':>10} {'max img':>8}  verdict"]
    for weight in weights:
        verdict = "; ".join(weight.problems()) or "ok"
        lines.append(f"{weight.path[:60]:<60} {weight.html_gzip:>8} {weight.blocking_css_gzip:>7} "
                     f"{weight.first_paint:>9} {weight.assets_gzip:>10} {weight.largest_image:>8}  {verdict}")
    worst = max(weights, key=lambda weight: weight.first_paint)
    lines.append(f"{len(weights)} pages; heaviest HTML + CSS: {worst.path} = {worst.first_paint} bytes "
                 f"(budget {HTML_AND_CSS_BUDGET}); heaviest assets: "
                 f"{max(weight.assets_gzip for weight in weights)} bytes (budget {ALL_ASSETS_BUDGET})")
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
            weights.append(measure(client, path, client.get(path, headers={"Accept-Encoding": "gzip"})))
        check_html = walk_to_check(client, demarche, on_page=on_page)
        weights.append(measure(client, f"/demarches/{demarche.slug}/verifier"))
        receipt = submit(client, demarche, check_html).headers["Location"]
        weights.append(measure(client, receipt.split("localhost")[-1]))
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
