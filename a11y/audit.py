"""Run axe-core 4.x (from npm, injected at run time) on pages and page states, at two viewport sizes.

Usage as a script against a running site:  python -m a11y.audit http://127.0.0.1:8000
It crawls every URL of /sitemap.xml; the test suite adds the interactive states.
"""
import json
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit
from urllib.request import urlopen

AXE_SOURCE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = [(1280, 800), (360, 640)]
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(results => done(JSON.stringify(results.violations)))
  .catch(error => done(JSON.stringify({error: String(error)})));
"""


@dataclass(frozen=True)
class Violation:
    url: str
    state: str
    viewport: str
    rule: str
    impact: str
    targets: tuple[str, ...]
    help: str

    def line(self) -> str:
        return (f"{self.url} [{self.state}, {self.viewport}] {self.rule} ({self.impact}): {self.help} "
                f"→ {', '.join(self.targets)}")


@dataclass(frozen=True)
class PageState:
    """A page to audit, optionally brought into a state (widget open, errors shown…) by `prepare`."""

    name: str
    path: str
    prepare: Callable | None = None


def axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise FileNotFoundError(f"{AXE_SOURCE} is missing: run `npm ci` (make test does)")
    return AXE_SOURCE.read_text(encoding="utf-8")


def run_axe(driver, url_label: str, state: str) -> list[Violation]:
    """Audit the page currently loaded in `driver` at every viewport size."""
    violations = []
    source = axe_source()
    for width, height in VIEWPORTS:
        driver.set_window_size(width, height)
        if not driver.execute_script("return typeof axe !== 'undefined'"):
            driver.execute_script(source)
        raw = json.loads(driver.execute_async_script(RUN_AXE, TAGS))
        if isinstance(raw, dict):
            raise RuntimeError(f"axe-core failed on {url_label}: {raw['error']}")
        for item in raw:
            targets = tuple(str(node["target"]) for node in item["nodes"])
            violations.append(Violation(url_label, state, f"{width}x{height}", item["id"], item.get("impact") or "",
                                        targets, item["help"]))
    return violations


STRUCTURE = """
return {
  h1: document.querySelectorAll('h1').length,
  skip: !!document.querySelector('body a[href="#contenu"]:first-of-type'),
  landmarks: ['header', 'nav', 'main', 'footer'].filter(tag => !document.querySelector(tag)),
  title: document.title,
};
"""


def structure_problems(driver, url_label: str, state: str, titles: dict[str, str]) -> list[Violation]:
    """What axe does not check: one h1, a skip link, every landmark, a title unique to the page."""
    found = driver.execute_script(STRUCTURE)
    problems = []
    if found["h1"] != 1:
        problems.append(f"{found['h1']} h1 elements instead of 1")
    if not found["skip"]:
        problems.append("no skip link to #contenu")
    if found["landmarks"]:
        problems.append(f"missing landmarks: {', '.join(found['landmarks'])}")
    earlier = titles.setdefault(found["title"], url_label)
    if earlier != url_label and state == "page":
        problems.append(f"title also used by {earlier}: {found['title']}")
    return [Violation(url_label, state, "-", "structure", "serious", (), problem) for problem in problems]


def audit(driver, base_url: str, states: list[PageState]) -> list[Violation]:
    violations, titles = [], {}
    for page in states:
        driver.set_window_size(*VIEWPORTS[0])
        driver.get(base_url + page.path)
        if page.prepare:
            page.prepare(driver)
        violations += structure_problems(driver, page.path, page.name, titles)
        violations += run_axe(driver, page.path, page.name)
    return violations


def sitemap_paths(base_url: str) -> list[str]:
    with urlopen(base_url + "/sitemap.xml", timeout=30) as response:
        tree = ElementTree.fromstring(response.read())
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [urlsplit(loc.text).path for loc in tree.findall("sm:url/sm:loc", namespace)]


def report(violations: list[Violation], audited: int) -> str:
    lines = [violation.line() for violation in violations]
    lines.append(f"axe-core audit: {audited} page states × {len(VIEWPORTS)} viewports, "
                 f"{len(violations)} violation(s)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from .browser import start_chromium
    base_url = (argv[1] if len(argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    states = [PageState("page", path) for path in sitemap_paths(base_url)]
    driver = start_chromium()
    try:
        violations = audit(driver, base_url, states)
    finally:
        driver.quit()
    print(report(violations, len(states)))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
