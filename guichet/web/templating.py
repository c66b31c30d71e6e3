"""What every template can use: organisation settings, asset URLs, language links, the report form,
the parts kept for everyone."""
import re
from datetime import date, datetime

from babel.dates import format_date
from flask import Flask, current_app, request
from flask_babel import get_locale
from jinja2 import Template

from guichet.demarches.forms import french_number
from guichet.web import charts, fragments
from guichet.web.assets import store
from guichet.web.device import is_text_browser
from guichet.web.fragments import insert_kept, shared_part
from guichet.web.i18n import LANGUAGES
from guichet.web.typography import french_spacing


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    fragments.init_app(app)
    app.add_template_filter(long_date)
    app.add_template_filter(short_time)
    app.add_template_filter(first_sentence)
    app.add_template_filter(day_name)
    app.add_template_filter(wall_time)
    app.add_template_filter(french_number)
    app.add_template_global(static_url)
    app.add_template_global(described_by)
    app.add_template_global(form_errors)
    app.add_template_global(file_limits)
    app.add_template_global(offers_appointments)
    app.add_template_global(shared_part)
    app.add_template_global(report_form)
    app.add_template_global(charts.Value, "chart_value")
    app.add_template_global(charts.rows, "rows_chart")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.template_class = TypographicTemplate



class TypographicTemplate(Template):
    """Every rendered page and fragment gets French typography once, at the end (see typography.py),
    then the parts kept for everyone, which already have theirs (see fragments.py).

    Plain-text emails are left as written: mail clients wrap them their own way.
    """

    def render(self, *args, **kwargs) -> str:
        rendered = super().render(*args, **kwargs)
        return insert_kept(french_spacing(rendered) if (self.name or "").endswith(".html") else rendered)


def static_url(name: str) -> str:
    return store().url(name)


def described_by(field_id: str, has_hint: bool, errors) -> str:
    """The aria-describedby value linking a field to its hint and its error messages."""
    ids = [f"{field_id}-aide"] if has_hint else []
    ids += [f"{field_id}-erreur{index}" for index in range(1, len(errors or []) + 1)]
    return " ".join(ids)


def form_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for the error summary, in the order of the form."""
    return [(field.id, message) for field in form if field.type != "CSRFTokenField" for message in field.errors]


def file_limits(question) -> str:
    """The accepted formats and size of a file question, said before choosing the file."""
    from guichet.demarches.files import limits_sentence
    return limits_sentence(question.validation.accept, question.validation.max_bytes)


def long_date(value: date | datetime | str, locale: str | None = None) -> str:
    """A date written in full, as in « le 22 janvier 2027 » (without the article)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="long", locale=locale or str(get_locale()))


def day_name(value: date | datetime, locale: str | None = None) -> str:
    """A day with its weekday, as in « mardi 8 décembre 2026 »: people choose appointments by weekday."""
    return format_date(value, format="EEEE d MMMM y", locale=locale or str(get_locale()))


def wall_time(moment: datetime, locale: str | None = None) -> str:
    """A time already in the town's time (appointment slots), as in « 9 h 20 »."""
    return f"{moment.hour} h {moment.minute:02d}" if (locale or str(get_locale())) == "fr" \
        else moment.strftime("%H:%M")


def offers_appointments(service_key: str | None) -> bool:
    """Whether the service has opening slots for appointments (once per request and service)."""
    from flask import g

    from guichet import db
    from guichet.appointments.booking import services_with_openings
    if "appointment_services" not in g:
        g.appointment_services = set(services_with_openings(db.session()))
    return service_key in g.appointment_services


def first_sentence(text: str) -> str:
    """A teaser for cards: the first sentence, so a list of démarches stays short to read."""
    match = re.search(r"^.+?[.?!](?=\s|$)", text.strip(), flags=re.S)
    return match.group(0) if match else text


def short_time(moment: datetime) -> str:
    """A time of day in French time, as in « 14 h 32 »."""
    from zoneinfo import ZoneInfo
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    local = aware.astimezone(ZoneInfo("Europe/Paris"))
    return f"{local.hour} h {local.minute:02d}" if str(get_locale()) == "fr" else local.strftime("%H:%M")


def report_form():
    """The "Signaler une difficulté" form of this page, built only when the widget is rendered (it is
    usually kept, see fragments.py); with what was typed after a POST, except on error pages."""
    from guichet.citizen.forms import ReportForm
    from guichet.web.errors import on_error_page

    typed = request.form if request.method == "POST" and not on_error_page() else None
    return ReportForm(page=request.path, formdata=typed)


def _context() -> dict:
    settings = current_app.config["SETTINGS"]
    lang = str(get_locale())
    return {
        "org": settings["organisation"],
        "settings": settings,
        "lang": lang,
        "other_languages": {code: name for code, name in LANGUAGES.items() if code != lang},
        "page_id": request.path,
        "text_browser": is_text_browser(request.headers.get("User-Agent", "")),
    }

