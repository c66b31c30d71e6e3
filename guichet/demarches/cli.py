"""`flask drafts purge` and `flask demarches check`."""
import click
from flask import current_app
from flask.cli import AppGroup

from guichet import db
from guichet.demarches import drafts
from guichet.demarches.definitions import DefinitionError, load_catalogue
from guichet.demarches.identity import unlinked_repeats
from guichet.paths import FORMS_DIR

drafts_cli = AppGroup("drafts", help="Démarches in progress.")
demarches_cli = AppGroup("demarches", help="Démarche definitions.")


@drafts_cli.command("purge")
def drafts_purge() -> None:
    """Delete expired drafts, their files and orphan files (run at start; schedule it, e.g. every 10 minutes)."""
    session = db.session()
    purged = drafts.purge(session)
    session.commit()
    click.echo(f"{purged.drafts} expired draft(s) deleted, {purged.orphan_files} orphan file(s) removed.")


@demarches_cli.command("check")
def demarches_check() -> None:
    """Validate every démarche definition strictly."""
    try:
        catalogue = load_catalogue(FORMS_DIR, current_app.config["SETTINGS"]["services"], strict=True)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from error
    for demarche in catalogue.all():
        missing = unlinked_repeats(demarche)
        if missing:
            raise click.ClickException(
                f"{demarche.path}: identity_prefill: la démarche pose déjà une question de ce type ({', '.join(missing)}). "
                "Dites si c'est celle de la personne (l'id de la question) ou non (none).")
    click.echo(f"{len(catalogue.all())} démarche definitions are valid.")
