"""The English catalogue translates every interface string, placeholders intact."""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "guichet" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def test_catalogue_is_up_to_date_with_the_templates_and_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True)
    extracted = {message.id for message in read_po(fresh.open("rb")) if message.id}
    translated = {message.id for message in read_po(CATALOGUE.open("rb")) if message.id}
    missing = extracted - translated
    assert not missing, f"run pybabel update and translate: {sorted(map(str, missing))[:10]}"


def test_every_message_is_translated_with_the_same_placeholders():
    for message in read_po(CATALOGUE.open("rb")):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {ids[0]}"
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, f"placeholders differ: {ids[0]!r} → {string!r}"
