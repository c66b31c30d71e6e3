"""The organisation settings file is checked at start-up; a problem names the file and the key."""
import pytest
import yaml

from guichet.paths import DEFAULT_SETTINGS
from guichet.settings import SettingsError, load_settings


def settings() -> dict:
    return yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))


def error_for(tmp_path, raw) -> SettingsError:
    path = tmp_path / "ville.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def test_real_settings_load():
    assert load_settings(DEFAULT_SETTINGS)["services"]["accueil"]["email"] == "contact@admiville.fr"


def test_missing_service_field_names_the_key(tmp_path):
    raw = settings()
    del raw["services"]["voirie"]["hours"]
    error = error_for(tmp_path, raw)
    assert (error.key, error.problem) == ("services.voirie.hours", "clé obligatoire manquante")


def test_design_token_cannot_inject_css(tmp_path):
    raw = settings()
    raw["organisation"]["tokens"]["brand"] = "red;}body{display:none"
    error = error_for(tmp_path, raw)
    assert error.key == "organisation.tokens.brand" and "valeur CSS simple" in error.problem


def test_unknown_key_is_refused(tmp_path):
    raw = settings()
    raw["organisation"]["nom"] = "Ville"
    error = error_for(tmp_path, raw)
    assert error.key == "organisation.nom" and "clé inconnue" in error.problem


def test_service_key_must_be_a_slug(tmp_path):
    raw = settings()
    raw["services"]["État civil"] = raw["services"]["etat-civil"]
    assert error_for(tmp_path, raw).key == "services.État civil"


def test_file_that_is_not_a_mapping(tmp_path):
    error = error_for(tmp_path, ["organisation"])
    assert error.key == "(fichier)" and "clés" in error.problem
