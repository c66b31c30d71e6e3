"""Language: French by default, English as the second language, chosen by a cookie."""
from flask import Flask, request

LANGUAGES = {"fr": "Français", "en": "English"}
LANGUAGE_COOKIE = "langue"


def select_locale() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else "fr"


def init_app(app: Flask, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
