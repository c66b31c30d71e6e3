"""The legal content of a receipt (decree 2015-1404 art. 5): implicit-decision date and mentions."""
from dataclasses import dataclass
from datetime import date

from flask import current_app

from guichet.demarches.definitions import LegalRegime
from guichet.requests.deadlines import CountingRules, decision_due


def counting_rules() -> CountingRules:
    """The organisation's counting rules, from the settings file of the running app."""
    return CountingRules.from_settings(current_app.config["SETTINGS"])


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
    """The date stated is the one the back office keeps (`decision_due` at submission); `expected_processing`
    is what usually happens, in the démarche's own words (for "Et maintenant ?")."""
    decision = decision_due(received, legal, [], counting_rules())
    return ReceiptFacts(received, decision, legal.implicit, delay_in_words(legal) if decision else None,
                        legal.reference, legal.appeal, legal.expected_processing)
