"""What the application accepts from the network, before any view reads it.

Browsers never send control characters in form fields or URLs on their own; robots do, and a
NUL byte breaks PostgreSQL text columns, file names and HTTP headers far from where it came in.
So every form value, query value and uploaded file name has them replaced by "�" here (then the
usual validation refuses or keeps a visible mark), and a URL segment holding one is not found:
nothing further down has to think about them.
"""
import re
import unicodedata
from functools import cache

from babel.support import Translations
from flask import Flask, Request, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, FileStorage, ImmutableMultiDict, MultiDict, iter_multi_items
from werkzeug.routing import BaseConverter, PathConverter
from wtforms import FileField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

KEPT_CONTROLS = "\t\n\r"
EMAIL_RE = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
REPLACEMENT = "\ufffd"
# A URL segment: anything but "/", control characters (C0, DEL, C1) and lone surrogates.
SEGMENT = r"[^/\x00-\x1f\x7f-\x9f\ud800-\udfff]+"


def printable(text: str) -> str:
    """The text with each control character (tab and line breaks excepted) and lone surrogate shown as "�",
    as werkzeug shows bytes that are not UTF-8: a value made of them is not silently emptied."""
    if text.isprintable():
        return text
    return "".join(char if char in KEPT_CONTROLS or unicodedata.category(char) not in ("Cc", "Cs") else REPLACEMENT
                   for char in text)


def _clean(value):
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, FileStorage) and value.filename:
        value.filename = printable(value.filename)
    return value


class PrintableMultiDict(ImmutableMultiDict):
    """Form, query and file values with control characters replaced as they are parsed."""

    def __init__(self, mapping=None):
        super().__init__([(printable(key), _clean(value)) for key, value in iter_multi_items(mapping or ())])


class CleanRequest(Request):
    parameter_storage_class = PrintableMultiDict


class SegmentConverter(BaseConverter):
    """The default `<name>` converter, refusing control characters: such a URL is simply not found."""

    regex = SEGMENT


class CleanPathConverter(PathConverter):
    regex = rf"{SEGMENT}(?:/{SEGMENT})*"


def init_app(app: Flask) -> None:
    """Call before any route is added: converters are read when a rule is compiled."""
    app.request_class = CleanRequest
    app.url_map.converters["default"] = SegmentConverter
    app.url_map.converters["string"] = SegmentConverter
    app.url_map.converters["path"] = CleanPathConverter


class Form(FlaskForm):
    """The base of every form: an uploaded file only ever fills a file field.

    Flask-WTF merges all uploads into the form data, so a file sent under a text field's name would
    replace the text with a file object; here such a file is ignored, as if the field were empty.
    WTForms' own messages are translated from catalogues read once per language (Flask-WTF reads the
    file again for every request that builds a form).
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return wtforms_translations(str(get_locale()))

        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if not isinstance(wrapped, CombinedMultiDict):
                return wrapped
            file_fields = {field.name for field in form if isinstance(field, FileField)}
            uploads = [(name, upload) for name, upload in request.files.items(multi=True) if name in file_fields]
            return CombinedMultiDict((MultiDict(uploads), request.form))


@cache
def wtforms_translations(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


def email_address(_form, field) -> None:
    """An optional email field, checked the way the démarche engine checks its email questions."""
    if field.data and not EMAIL_RE.fullmatch(field.data.strip()):
        raise ValidationError(_l("Écrivez une adresse e-mail complète, par exemple nom@exemple.fr."))
