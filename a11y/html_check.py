"""Check served HTML with the W3C Nu HTML Checker (vnu.jar from npm, run by Debian's Java).

`check_pages({name: html})` is the reusable part: it writes every page to a temporary folder and
starts Java once for the whole batch (the JVM takes seconds to start). `citizen_pages(app)` collects
every public page and every démarche state the accessibility audit covers, as the server sends them.
Usage alone:  python -m a11y.html_check
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from guichet import db
from guichet.db import utcnow
from guichet.demarches import flow, intermediary
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft

from .walker import STEP_RE, page_data, start, submit, token_of, walk_to_check

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FRAGMENT_SHELL = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fragment htmx</title></head>'
                  '<body>{}</body></html>')
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class HtmlError:
    page: str
    line: int
    column: int
    message: str
    extract: str

    def text(self) -> str:
        extract = " ".join(self.extract.split())
        return f"{self.page}:{self.line}:{self.column}: {self.message} → {extract}"


def checker_available() -> bool:
    return shutil.which("java") is not None and VNU_JAR.exists()


def as_document(fragment: str) -> str:
    """An htmx fragment inside a minimal valid page, so the checker sees it where htmx puts it: in the body."""
    return FRAGMENT_SHELL.format(fragment)


def check_pages(pages: dict[str, str]) -> list[HtmlError]:
    """Every error (not warnings) the Nu HTML Checker finds in the given pages, named as given."""
    if not pages:
        return []
    if not checker_available():
        raise FileNotFoundError(f"java or {VNU_JAR} is missing: install default-jre-headless and run `npm ci`")
    with tempfile.TemporaryDirectory(prefix="guichet-vnu-") as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"{number:05d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
                                 *sorted(str(Path(folder) / file) for file in names)],
                                check=False, capture_output=True, text=True, timeout=600)  # exit 1 = errors found
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(f"the HTML checker failed: {result.stderr[-2000:]}") from error
    return [HtmlError(names.get(Path(message.get("url", "")).name, message.get("url", "?")),
                      message.get("lastLine", 0), message.get("firstColumn", message.get("lastColumn", 0)),
                      message["message"], message.get("extract", ""))
            for message in messages if message["type"] != "info"]


def report(errors: list[HtmlError], checked: int) -> str:
    lines = [error.text() for error in errors]
    lines.append(f"Nu HTML Checker: {checked} pages and states, {len(errors)} error(s)")
    return "\n".join(lines)


# --- What the citizen sees: every public page and every démarche state --------------------------------------

def _html(response) -> str:
    return response.get_data(as_text=True)


def public_pages(app) -> dict[str, str]:
    """The sitemap, search, errors, the difficulty widget with and without JS, and the English pages."""
    from guichet.citizen.views.system import public_urls
    with app.app_context():
        paths = public_urls()
    client = app.test_client()
    pages = {path: _html(client.get(path)) for path in paths}
    for name, path in [("recherche avec résultats", "/recherche?q=naissance"),
                       ("recherche sans résultat", "/recherche?q=xylophone"),
                       ("page introuvable", "/page-qui-n-existe-pas")]:
        pages[name] = _html(client.get(path))
    pages["recherche en direct (htmx)"] = as_document(_html(client.get(
        "/recherche?q=naissance", headers={**HTMX, "HX-Target": "resultats"})))
    report_fields = {"signalement-csrf_token": token_of(pages["/fiches/pacs"]), "signalement-page": "/fiches/pacs"}
    pages["signalement en erreur"] = _html(client.post("/signalements", data=report_fields))
    pages["signalement en erreur (htmx)"] = as_document(_html(client.post("/signalements", data=report_fields,
                                                                          headers=HTMX)))
    sent = {**report_fields, "signalement-category": "comprendre"}
    pages["signalement envoyé (htmx)"] = as_document(_html(client.post("/signalements", data=sent, headers=HTMX)))
    pages["signalement envoyé"] = _html(client.get(client.post("/signalements", data=sent).headers["Location"]))
    pages["signalement, page à part (navigateur texte)"] = _html(client.get("/signalements/nouveau?page=/fiches/pacs"))
    text_browser = {"User-Agent": "w3m/0.5.3"}
    pages["/fiches/pacs (navigateur texte)"] = _html(client.get("/fiches/pacs", headers=text_browser))
    pages["signalement envoyé (navigateur texte)"] = _html(client.get(
        client.post("/signalements", data=sent, headers=text_browser).headers["Location"], headers=text_browser))
    client.get("/langue/en?suivant=/")
    english = ["/", "/recherche?q=birth", "/demarches/changement-adresse", "/glossaire/caf", "/aide", "/statistiques",
               "/donnees"]
    english += [path for path in paths if path.startswith(("/fiches/", "/evenements/"))]
    pages.update({f"{path} (english)": _html(client.get(path)) for path in english})
    return pages


def demarche_pages(app, demarche) -> dict[str, str]:
    """Each step empty, with errors, checked field by field and filled; then check, receipt and tracking."""
    client, pages, steps = app.test_client(), {}, []
    pages[f"/demarches/{demarche.slug}"] = _html(client.get(f"/demarches/{demarche.slug}"))

    def on_page(path, response):
        html = _html(response)
        steps.append(path)
        if "/groupe/" in path:
            pages[f"{path} [liste]"] = html
            return
        pages[f"{path} [vide]"] = html
        pages[f"{path} [navigateur texte]"] = _html(client.get(path, headers={"User-Agent": "w3m/0.5.3"}))
        token = token_of(html)
        empty = client.post(path, data={"csrf_token": token, "action": "continuer"})
        if empty.status_code != 302:  # an optional question accepts an empty answer
            pages[f"{path} [erreurs]"] = _html(empty)
        page = next(page for page in flow.all_pages(demarche) if page.id == STEP_RE.search(path).group(1))
        first = page.questions[0].id
        pages[f"{path} [champ vérifié (htmx)]"] = as_document(_html(client.post(
            path + "/verifier-champ", data={"csrf_token": token}, headers={**HTMX, "HX-Trigger-Name": first})))
        if f'{path}/suite"' in html:
            answers = {key: value for key, value in page_data(page, token).items() if not isinstance(value, tuple)}
            pages[f"{path} [questions ajoutées (htmx)]"] = as_document(_html(client.post(
                path + "/suite", data=answers, headers=HTMX)))

    check_html = walk_to_check(client, demarche, on_page=on_page)
    pages.update({f"{path} [rempli]": _html(client.get(path)) for path in steps})
    check_path = f"/demarches/{demarche.slug}/verifier"
    pages[f"{check_path} [vérifier]"] = check_html
    pages[f"{check_path} [vérifier avec erreur]"] = _html(client.post(check_path,
                                                                      data={"csrf_token": token_of(check_html)}))
    receipt = _html(client.get(submit(client, demarche, check_html).headers["Location"]))
    pages[f"/demarches/{demarche.slug}/accuse-de-reception"] = receipt
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    secret = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt.split("Code de suivi")[1]).group(0)
    lookup = pages["/suivi"] = _html(client.get("/suivi"))
    pages["/suivi [erreur]"] = _html(client.post("/suivi", data={"csrf_token": token_of(lookup)}))
    found = client.post("/suivi", data={"csrf_token": token_of(lookup), "reference": reference, "secret": secret})
    pages[f"/suivi/{reference}"] = _html(client.get(found.headers["Location"]))
    return pages


def draft_tool_pages(app, demarche) -> dict[str, str]:
    """Save and resume codes, idle warning, expiry and erase pages, as a person with or without JS meets them."""
    client, slug, pages = app.test_client(), demarche.slug, {}
    location = start(client, demarche).headers["Location"]
    token = token_of(_html(client.get(location)))
    saved = client.post(location, data={**page_data(demarche.pages[0], token), "action": "enregistrer"})
    pages["/enregistrer [code de reprise]"] = _html(client.get(saved.headers["Location"]))
    pages["/enregistrer [e-mail en erreur]"] = _html(client.post(saved.headers["Location"],
                                                                 data={"csrf_token": token, "email": "pas-un-email"}))
    pages[f"/demarches/{slug} [démarche en cours]"] = _html(client.get(f"/demarches/{slug}"))
    with app.app_context():
        session = db.session()
        draft = session.get(Draft, client.get_cookie(f"brouillon-{slug}").value)
        draft.last_seen_at = utcnow() - timedelta(minutes=app.config["DRAFT_IDLE_MINUTES"] - 1)
        session.commit()
    pages["/delai [alerte de délai (htmx)]"] = as_document(_html(client.get(f"/demarches/{slug}/delai",
                                                                            headers=HTMX)))
    pages["/prolonger [délai prolongé (htmx)]"] = as_document(_html(client.post(
        f"/demarches/{slug}/prolonger", data={"csrf_token": token}, headers=HTMX)))
    client.post(f"/demarches/{slug}/effacer", data={"csrf_token": token})
    pages["/efface"] = _html(client.get(f"/demarches/{slug}/efface"))
    pages["/delai [démarche expirée (htmx)]"] = as_document(_html(client.get(f"/demarches/{slug}/delai",
                                                                             headers=HTMX)))
    for code in ("oui", None):
        pages[f"/expire [code {code}]"] = _html(client.get(f"/demarches/{slug}/expire"
                                                           + (f"?code={code}" if code else "")))
    resume = _html(client.get("/reprendre"))
    pages["/reprendre"] = resume
    pages["/reprendre [erreur]"] = _html(client.post("/reprendre", data={"csrf_token": token_of(resume),
                                                                         "code": "AAAA-AAAA"}))
    return pages


def acting_for_pages(app, demarche) -> dict[str, str]:
    """A guardian at a help point: each helper page empty and in error, the pages about the person, the check
    page, the receipt with "Effacer et quitter" and tracking; then practice mode and the help points page."""
    client, pages, slug = app.test_client(), {}, demarche.slug
    client.get("/?poste=accueil")
    choices = {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, intermediary.ROLE: intermediary.GUARDIAN,
               "identite_destinataire": "lieu"}

    def on_page(path, response):
        html = _html(response)
        pages[f"{path} [pour une autre personne]"] = html
        if STEP_RE.search(path).group(1) in intermediary.PAGE_IDS:
            empty = client.post(path, data={"csrf_token": token_of(html), "action": "continuer"})
            if empty.status_code != 302:
                pages[f"{path} [pour une autre personne, erreurs]"] = _html(empty)

    check_html = walk_to_check(client, demarche, on_page=on_page, choices=choices)
    pages[f"/demarches/{slug}/verifier [pour une autre personne]"] = check_html
    receipt = _html(client.get(submit(client, demarche, check_html).headers["Location"]))
    pages[f"/demarches/{slug}/accuse-de-reception [poste d'accueil, pour une autre personne]"] = receipt
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    secret = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt.split("Code de suivi")[1]).group(0)
    lookup = _html(client.get("/suivi"))
    found = client.post("/suivi", data={"csrf_token": token_of(lookup), "reference": reference, "secret": secret})
    pages[f"/suivi/{reference} [pour une autre personne]"] = _html(client.get(found.headers["Location"]))
    practice = app.test_client()
    begun = practice.post(f"/demarches/{slug}/commencer", data={
        "csrf_token": token_of(_html(practice.get(f"/demarches/{slug}"))), "mode": "entrainement"})
    pages[f"{begun.headers['Location']} [entraînement]"] = _html(practice.get(begun.headers["Location"]))
    pages[f"/demarches/{slug}/entrainement-fini"] = _html(practice.get(f"/demarches/{slug}/entrainement-fini"))
    for query in ("?code_postal=99110", "?code_postal=12"):
        pages[f"/aide/lieux{query}"] = _html(client.get(f"/aide/lieux{query}"))
    return pages


def citizen_pages(app) -> dict[str, str]:
    """Everything a citizen can be shown, named by path and state."""
    with app.app_context():
        demarches = catalogue().all()
    pages = public_pages(app)
    for demarche in demarches:
        pages.update(demarche_pages(app, demarche))
    pages.update(draft_tool_pages(app, next(item for item in demarches if item.slug == "changement-adresse")))
    pages.update(acting_for_pages(app, next(item for item in demarches if item.slug == "demande-acte-etat-civil")))
    return pages


def main() -> int:
    from guichet.db.bootstrap import ready_app
    with tempfile.TemporaryDirectory() as folder:
        app = ready_app(f"sqlite:///{Path(folder) / 'html_check.sqlite3'}",
                        {"TESTING": True, "RATE_LIMIT_REPORTS": (10_000, 600), "RATE_LIMIT_TRACKING": (10_000, 600)})
        pages = citizen_pages(app)
    errors = check_pages(pages)
    print(report(errors, len(pages)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
