"""Reminders to the owner service of a fiche: its review date has passed, or many people say they do
not understand it. One email per fiche and reason, at most once every 30 days (the worker runs daily)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guichet.editorial import editions
from guichet.editorial.models import Edition
from guichet.feedback.models import Report
from guichet.mail import outbox
from guichet.settings import Editorial

REMIND_EVERY = timedelta(days=30)
CONFUSION_CATEGORY = "comprendre"


@dataclass(frozen=True)
class Reminder:
    slug: str
    title: str
    service: str
    reason: str  # "revision" | "signalements"
    count: int = 0


def threshold(settings: dict) -> int:
    """The settings' threshold of "je ne comprends pas" reports (the model's default when absent)."""
    return Editorial.model_validate(settings.get("editorial") or {}).confusion_reports_threshold


def _due(last: datetime | None, now: datetime) -> bool:
    if last is None:
        return True
    return (now.replace(tzinfo=None) - last.replace(tzinfo=None)) >= REMIND_EVERY


def due(db: Session, now: datetime, threshold: int) -> list[tuple[Edition, Reminder]]:
    """What must be reminded now; pure reading (the caller sends and stamps)."""
    today: date = now.date()
    since = now - timedelta(days=editions.FEEDBACK_DAYS)
    confusing = dict(db.execute(select(Report.page, func.count()).where(
        Report.created_at >= since, Report.category == CONFUSION_CATEGORY).group_by(Report.page)).all())
    found = []
    for row in editions.rows(db, today):
        edition = row.edition
        if row.state == "archivee":  # off the site: nothing to review, no one to confuse
            continue
        if row.to_review and _due(edition.review_reminded_at, now):
            found.append((edition, Reminder(edition.slug, row.title, row.service, "revision")))
        count = confusing.get(f"/fiches/{edition.slug}", 0)
        if count >= threshold and _due(edition.reports_reminded_at, now):
            found.append((edition, Reminder(edition.slug, row.title, row.service, "signalements", count)))
    return found


def message(reminder: Reminder, link: str) -> tuple[str, str]:
    """Subject and body of the email, in plain French."""
    if reminder.reason == "revision":
        subject = f"Fiche à revoir : {reminder.title}"
        text = ("La fiche « {title} » a été vérifiée il y a plus de 12 mois.\n"
                "Relisez-la et vérifiez ses sources. Puis changez la date de vérification.")
    else:
        subject = f"Fiche difficile à comprendre : {reminder.title}"
        text = ("{count} personnes ont signalé en 30 jours qu'elles ne comprennent pas la fiche « {title} ».\n"
                "Lisez leurs messages sur la page de la fiche. Puis simplifiez le texte.")
    return subject, text.format(title=reminder.title, count=reminder.count) + f"\n\n{link}\n"


def send(db: Session, now: datetime, threshold: int, services: dict, site_url: str) -> int:
    """Queue the reminders' emails in the caller's transaction and stamp each fiche."""
    sent = 0
    for edition, reminder in due(db, now, threshold):
        service = services.get(reminder.service)
        if service is None:
            continue
        subject, body = message(reminder, f"{site_url}/gestion/contenus/{reminder.slug}")
        outbox.enqueue(db, service["email"], subject, body)
        if reminder.reason == "revision":
            edition.review_reminded_at = now
        else:
            edition.reports_reminded_at = now
        sent += 1
    return sent
