"""The register of processing activities (GDPR art. 30), generated from what the site really does.

One entry per démarche, from its `privacy` block (the texts the citizen read before starting, and
the duration the worker enforces); then the processing every site has: appointments, call-backs,
difficulty reports, staff accounts and the audit trail. Durations are the ones the worker applies. The démarches' texts are the editors' French; the fixed entries are
interface texts, translated like the rest.
"""
import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from guichet.appointments import booking
from guichet.callbacks import service as callbacks
from guichet.demarches.definitions import Demarche

CSV_COLUMNS = {
    "name": "Traitement", "controller": "Responsable", "purpose": "Finalité", "legal_basis": "Base légale",
    "subjects": "Personnes concernées", "data": "Données", "recipients": "Destinataires",
    "transfers": "Transferts hors de l'Union européenne", "retention": "Durée de conservation",
    "retention_months": "Durée appliquée (mois)", "security": "Mesures de sécurité",
}


@dataclass(frozen=True)
class Entry:
    name: str
    controller: str
    purpose: str
    legal_basis: str
    subjects: str
    data: str
    recipients: str
    transfers: str
    retention: str
    retention_months: int | None  # None: not deleted by a duration (see `retention`)
    security: str
    french_only: bool = False  # written by the editors in French only


def _security() -> str:
    return _("Accès réservé aux agents habilités, par service ; connexion avec un second facteur ; "
             "chaque consultation et chaque changement est écrit dans un journal chaîné ; "
             "chiffrement des échanges (HTTPS).")


def demarche_entry(demarche: Demarche) -> Entry:
    privacy = demarche.privacy
    questions = "; ".join(question.label for question in demarche.all_questions())
    return Entry(
        name=demarche.title, controller=privacy.controller, purpose=privacy.purpose,
        legal_basis=privacy.legal_basis, subjects="Les personnes qui font la démarche, et celles pour qui elles la font.",
        data=f"Identité et coordonnées (nom, prénom, adresse, e-mail, téléphone). Réponses : {questions}",
        recipients=privacy.recipients, transfers="Aucun.", retention=privacy.retention,
        retention_months=privacy.retention_months, security=_security(), french_only=True)


def _months(days: int) -> int:
    """The register's column counts in months; the worker erases by days."""
    return round(days / 30.4)


def fixed_entries(organisation: str, report_contact_months: int) -> list[Entry]:
    return [
        Entry(name=_("Rendez-vous"), controller=organisation,
              purpose=_("Recevoir les habitants au guichet à l'heure choisie, leur envoyer la confirmation et un "
                        "rappel la veille, et savoir qui est venu."),
              legal_basis=_("Mission d'intérêt public (article 6.1.e du RGPD)."),
              subjects=_("Les personnes qui prennent rendez-vous, en ligne ou par un agent au téléphone."),
              data=_("Nom, téléphone, adresse e-mail si la personne la donne, objet du rendez-vous, page d'où elle "
                     "est partie, langue, service, jour et heure ; venue ou non ; date de l'annulation."),
              recipients=_("Les agents et superviseurs du service concerné, les administrateurs."),
              transfers=_("Aucun."),
              retention=_("Le rendez-vous est effacé %(days)s jours après son jour, même s'il a été annulé.",
                          days=booking.KEPT_AFTER_DAYS),
              retention_months=_months(booking.KEPT_AFTER_DAYS), security=_security()),
        Entry(name=_("Demandes de rappel"), controller=organisation,
              purpose=_("Rappeler par téléphone les personnes qui le demandent, au moment où elles peuvent "
                        "répondre."),
              legal_basis=_("Mission d'intérêt public (article 6.1.e du RGPD)."),
              subjects=_("Les personnes qui demandent à être rappelées."),
              data=_("Nom, téléphone, adresse e-mail si la personne la donne, jours et moments où l'appeler, objet, "
                     "message, page d'où elle est partie, langue ; notes des agents, nombre d'appels, résultat."),
              recipients=_("Les agents et superviseurs du service concerné."),
              transfers=_("Aucun."),
              retention=_("La demande est effacée %(days)s jours après le dernier appel. Une demande jamais "
                          "traitée est effacée %(limit)s jours après avoir été faite.",
                          days=callbacks.KEPT_AFTER_DAYS, limit=callbacks.KEPT_AT_MOST_DAYS),
              retention_months=_months(callbacks.KEPT_AFTER_DAYS), security=_security()),
        Entry(name=_("Signalements de difficulté"), controller=organisation,
              purpose=_("Comprendre ce qui gêne les habitants sur le site, y répondre, et améliorer les pages."),
              legal_basis=_("Mission d'intérêt public (article 6.1.e du RGPD) ; pour l'adresse de contact, "
                            "l'accord de la personne (article 6.1.a)."),
              subjects=_("Les personnes qui signalent une difficulté."),
              data=_("Le type de difficulté, le texte écrit, la page, la langue, le type d'appareil ; "
                     "l'adresse e-mail seulement si la personne accepte d'être recontactée."),
              recipients=_("Les superviseurs, les éditeurs et relecteurs des pages, les administrateurs."),
              transfers=_("Aucun."),
              retention=_("L'adresse de contact est effacée %(months)s mois après le signalement ; "
                          "le signalement reste, sans adresse.", months=report_contact_months),
              retention_months=report_contact_months, security=_security()),
        Entry(name=_("Comptes des agents et journal des accès"), controller=organisation,
              purpose=_("Permettre aux agents de se connecter, et savoir qui a vu ou changé quoi, et quand."),
              legal_basis=_("Obligation de sécurité du responsable de traitement (articles 5.1.f, 5.2 et 32 du RGPD)."),
              subjects=_("Les agents de la ville."),
              data=_("Nom, prénom, adresse e-mail professionnelle, rôles, mot de passe chiffré, secret du second "
                     "facteur ; journal : date, agent, action, numéro de la demande ou de la personne."),
              recipients=_("Les administrateurs et le délégué à la protection des données."),
              transfers=_("Aucun."),
              retention=_("Comptes : tant que l'agent travaille pour la ville, puis désactivés. Journal : conservé "
                          "sans limite. Ses entrées sont chaînées, en supprimer une casserait la preuve que le journal "
                          "est intact. Il ne contient ni réponses ni adresses : les personnes y sont désignées par un "
                          "numéro. Il sert à répondre de chaque accès aux données."),
              retention_months=None, security=_security()),
    ]


def entries(demarches: list[Demarche], organisation: str, report_contact_months: int) -> list[Entry]:
    return [demarche_entry(demarche) for demarche in demarches] + fixed_entries(organisation, report_contact_months)


def as_csv(found: list[Entry]) -> str:
    """UTF-8 with a byte-order mark and semicolons: it opens as columns in a French spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS.values())
    for entry in found:
        writer.writerow(["" if getattr(entry, name) is None else getattr(entry, name) for name in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()

