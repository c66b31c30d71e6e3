"""The base form: WTForms' own messages in the page's language, from catalogues read once."""
import pytest
from wtforms import IntegerField

from guichet.web.input import Form, wtforms_translations


class NumberForm(Form):
    class Meta:
        csrf = False

    number = IntegerField("Nombre")


@pytest.mark.parametrize("language, message", [("fr", "N'est pas un entier valide"), ("en", "Not a valid integer value")])
def test_wtforms_messages_follow_the_page_language(app, language, message):
    with app.test_request_context("/", method="POST", data={"number": "abc"},
                                  headers={"Cookie": f"langue={language}"}):
        form = NumberForm()
        assert not form.validate()
        assert message in form.number.errors[0]


def test_a_catalogue_is_read_once_per_language(app):
    wtforms_translations.cache_clear()
    for _ in range(3):
        with app.test_request_context("/", method="POST", data={"number": "1"}):
            NumberForm().validate()
    assert wtforms_translations.cache_info().currsize == 1
    assert wtforms_translations.cache_info().misses == 1
