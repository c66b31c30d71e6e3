"""The legal content of a receipt (decree 2015-1404 art. 5): implicit-decision date and mentions."""
import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from guichet.demarches.definitions import LegalRegime

def add_months(start: date, months: int) -> date:
    """Same day number, months later; the 31st becomes the last day of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def implicit_decision_date(received: date, legal: LegalRegime) -> date | None:
    """The day the request is deemed accepted or rejected if the file is complete; None without decision."""
    if legal.implicit == "none":
        return None
    if legal.duration_days:
        return received + timedelta(days=legal.duration_days)
    return add_months(received, legal.duration_months)


def delay_in_words(legal: LegalRegime) -> str:
    """In the interface language: the receipt page may be English, the email is always French."""
    from flask_babel import ngettext
    if legal.duration_days:
        return ngettext("%(num)d jour", "%(num)d jours", legal.duration_days)
    return ngettext("%(num)d mois", "%(num)d mois", legal.duration_months)


@dataclass(frozen=True)
class ReceiptFacts:
    received: date
    decision_date: date | None
    implicit: str
    delay: str | None
    reference_text: str | None
    appeal: str | None
    expected_processing: str | None


def receipt_facts(received: date, legal: LegalRegime) -> ReceiptFacts:
    """`expected_processing` is what usually happens, in the démarche's own words (for "Et maintenant ?")."""
    decision = implicit_decision_date(received, legal)
    return ReceiptFacts(received, decision, legal.implicit, delay_in_words(legal) if decision else None,
                        legal.reference, legal.appeal, legal.expected_processing)
