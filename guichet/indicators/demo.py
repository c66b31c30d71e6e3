"""Fictional indicator data for the demo town, so a supervisor sees at once where people leave and why.

Idempotent: demo journeys carry tokens starting with "demo-"; when they exist, nothing is added. Every
démarche gets journeys over the last 60 days; on each one a "hard" step (the first page with a file, a date
or an address question) loses many people, with error messages and difficulty reports sent from it.
"""
import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.demarches import flow
from guichet.demarches.definitions import Demarche
from guichet.feedback.models import FeedbackVote, FunnelEvent, Report
from guichet.indicators import rollup, searches
from guichet.indicators.models import SatisfactionAnswer
from guichet.requests.mails import local_day

JOURNEYS_PER_DEMARCHE = 120
DAYS = 60
HARD_TYPES = ("file", "date", "address")
REPORT_TEXTS = (
    "Je ne sais pas quel document envoyer, la liste n'est pas claire.",
    "Mon fichier est refusé, je ne comprends pas pourquoi.",
    "Je n'ai pas de scanner : comment envoyer la photo du document ?",
    "La page me demande une date mais je ne la connais pas.",
)
FICHE_PAGES = ("/fiches/carte-identite", "/fiches/allocation-rentree-scolaire", "/fiches/aide-seniors-admiville")
SEARCHES = ("carte grise", "piscine horaires", "permis de construire", "cimetiere concession", "passeport",
            "carte grise", "encombrants", "piscine horaires", "carte grise")
COMMENTS = ("", "", "Simple et rapide.", "Je ne savais pas quelle pièce joindre.", "", "Merci à l'accueil.")


def hard_step(demarche: Demarche) -> str:
    """One of the démarche's own pages (not the identity pages every démarche shares)."""
    pages = demarche.pages
    for page in pages:
        if any(question.type in HARD_TYPES for question in page.questions):
            return page.id
    return pages[len(pages) // 2].id


def _journey(chance: random.Random, demarche: Demarche, token: str, start, hard: str,
             question: str) -> list[FunnelEvent]:
    """One fictional person's path: step after step, staying longer and erring on the hard step."""
    steps = [page.id for page in flow.all_pages(demarche)] + [flow.CHECK_STEP]
    events, moment = [], start
    for step in steps:
        events.append(FunnelEvent(demarche=demarche.slug, step=step, event="viewed", journey=token, at=moment))
        is_hard = step == hard
        moment += timedelta(seconds=chance.randint(90, 400) if is_hard else chance.randint(8, 60))
        if is_hard and chance.random() < 0.5:
            events.append(FunnelEvent(demarche=demarche.slug, step=step, event="error", journey=token, at=moment,
                                      fields=[question], messages=["Ce type de fichier n'est pas accepté."]))
        if chance.random() < (0.35 if is_hard else 0.04):
            if chance.random() < 0.3:
                events.append(FunnelEvent(demarche=demarche.slug, step=step, event="saved", journey=token, at=moment))
            return events
    events.append(FunnelEvent(demarche=demarche.slug, step=flow.CHECK_STEP, event="completed", journey=token,
                              at=moment))
    return events


def ensure_demo_indicators(session: Session, demarches: list[Demarche]) -> int:
    """Add the demo funnel, reports, votes, searches and satisfaction answers once; returns journeys added."""
    if session.scalar(select(FunnelEvent.id).where(FunnelEvent.journey.like("demo-%")).limit(1)) is not None:
        return 0
    chance, now = random.Random(9), utcnow()
    added = 0
    for demarche in demarches:
        hard = hard_step(demarche)
        question = next((q.id for page in flow.all_pages(demarche) if page.id == hard for q in page.questions), "-")
        for number in range(JOURNEYS_PER_DEMARCHE):
            start = now - timedelta(days=chance.randint(0, DAYS), minutes=chance.randint(0, 600))
            session.add_all(_journey(chance, demarche, f"demo-{demarche.slug}-{number}", start, hard, question))
            added += 1
        for number in range(6):
            session.add(Report(category=("comprendre", "marche-pas", "manque-info")[number % 3],
                               text=REPORT_TEXTS[number % len(REPORT_TEXTS)],
                               page=f"/demarches/{demarche.slug}/etape/{hard}",
                               lang="fr", device="mobile", created_at=now - timedelta(days=number * 7)))
        for number in range(25):
            session.add(SatisfactionAnswer(
                demarche=demarche.slug, channel=("web", "web", "web", "guichet", "telephone")[number % 5],
                rating=chance.choice((2, 3, 4, 4, 5, 5)), clarity=chance.choice(("oui", "oui", "en-partie", "non")),
                helpers=chance.choice((["personne"], ["personne"], ["proche"], ["mairie"], ["france-services"])),
                comment=COMMENTS[number % len(COMMENTS)], created_at=now - timedelta(days=chance.randint(0, DAYS))))
    for number, page in enumerate(FICHE_PAGES * 8):
        session.add(FeedbackVote(page=page, useful=number % 3 != 0, created_at=now - timedelta(days=number)))
    for number, query in enumerate(SEARCHES * 3):
        searches.record_miss(session, query, local_day(now - timedelta(days=number % 20)))
    session.flush()
    rollup.run(session, now)
    return added
