"""The title of a page of this site from its path, for the public follow-up of difficulty reports.

Reports store the path of the page they are about (/demarches/…/etape/personnes); people read
titles. `page_title` is pure: the view hands it what the site knows (`SiteTitles`). A page that
only its owner can open (a step, a receipt, a tracking page) is named but never linked, and a
tracking page never shows its reference. Unknown paths get a neutral label.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from guichet.demarches import flow
from guichet.demarches.definitions import Demarche

STATIC_TITLES = {
    "/": _l("Accueil"),
    "/evenements": _l("Événements de vie"),
    "/fiches": _l("Toutes les fiches"),
    "/demarches": _l("Démarches en ligne"),
    "/aide": _l("Besoin d'aide ?"),
    "/glossaire": _l("Glossaire"),
    "/recherche": _l("Rechercher"),
    "/plan-du-site": _l("Plan du site"),
    "/accessibilite": _l("Accessibilité"),
    "/donnees-personnelles": _l("Données personnelles"),
    "/modalites-teleservices": _l("Modalités d'utilisation des téléservices"),
    "/rendez-vous/": _l("Prendre rendez-vous"),
    "/signalements/suivi-public": _l("Vos signalements et nos réponses"),
    "/suivi": _l("Suivre une demande"),
    "/reprendre": _l("Reprendre une démarche"),
}
PRIVATE_STATIC = {"/suivi", "/reprendre"}
# Used with fullmatch: "$" would also accept a final newline.
DEMARCHE_PATH_RE = re.compile(r"/demarches/(?P<slug>[a-z0-9-]+)(?P<rest>/.*)?", re.DOTALL)
STEP_RE = re.compile(r"/(?:etape|groupe)/(?P<page>[a-z][a-z0-9_]*)(?:/[0-9]+)?")
CONTENT_RE = re.compile(r"/(?P<kind>fiches|evenements|glossaire)/(?P<slug>[a-z0-9-]+)")


@dataclass(frozen=True)
class SiteTitles:
    """What the site knows, by slug: fiche, life-event and glossary titles, and the démarches."""

    fiches: Mapping[str, str]
    events: Mapping[str, str]
    glossary: Mapping[str, str]
    demarches: Mapping[str, Demarche]


@dataclass(frozen=True)
class PageTitle:
    text: str
    link: str | None  # the path, when anyone can open the page


def page_title(path: str, titles: SiteTitles) -> PageTitle:
    path = (path or "").rstrip("/") or "/"
    if path in STATIC_TITLES:
        return PageTitle(str(STATIC_TITLES[path]), None if path in PRIVATE_STATIC else path)
    if path.startswith("/suivi/"):
        return PageTitle(str(_l("Suivre une demande")), None)
    content = CONTENT_RE.fullmatch(path)
    if content:
        found = {"fiches": titles.fiches, "evenements": titles.events, "glossaire": titles.glossary}[
            content["kind"]].get(content["slug"])
        return PageTitle(found, path) if found else _unknown()
    demarche_path = DEMARCHE_PATH_RE.fullmatch(path)
    demarche = titles.demarches.get(demarche_path["slug"]) if demarche_path else None
    if demarche is None:
        return _unknown()
    return _demarche_title(demarche, demarche_path["rest"] or "")


def _demarche_title(demarche: Demarche, rest: str) -> PageTitle:
    """The start page is public; any other page of a démarche is "démarche – step"."""
    if not rest:
        return PageTitle(demarche.title, f"/demarches/{demarche.slug}")
    step = STEP_RE.fullmatch(rest)
    headings = {page.id: page.title or page.questions[0].label for page in flow.all_pages(demarche)}
    if step and step["page"] in headings:
        part = headings[step["page"]]
    elif rest == "/verifier":
        part = str(_l("Vérifiez vos réponses"))
    elif rest == "/accuse-de-reception":
        part = str(_l("Accusé de réception"))
    else:
        part = None
    return PageTitle(f"{demarche.title} – {part}" if part else demarche.title, None)


def _unknown() -> PageTitle:
    return PageTitle(str(_l("Une autre page du site")), None)


def site_titles(session, lang: str) -> SiteTitles:
    """What the site knows now, in this language (the citizen follow-up and the back office both use it)."""
    from guichet.content import queries
    from guichet.demarches.catalogue import catalogue
    from lexicon import load_vocabulary
    return SiteTitles(fiches=queries.fiche_titles(session, lang),
                      events={event.slug: event.title for event in queries.events(session, lang)},
                      glossary={entry.slug: entry.term for entry in load_vocabulary().glossary()},
                      demarches={demarche.slug: demarche for demarche in catalogue().all()})
