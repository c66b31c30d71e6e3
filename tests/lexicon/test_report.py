"""Report JSON shape and configuration."""

import json

import pytest

from lexicon import Config, ConfigError


def test_report_to_dict_shape(run):
    report = run("Contactez la MDPH.", filename="fiche.md")
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == {"version", "filename", "ok", "counts", "stats", "findings"}
    assert data["version"] == 1 and data["filename"] == "fiche.md" and data["ok"] is True
    assert data["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert set(data["stats"]) == {
        "reading_ease", "words", "sentences", "words_per_sentence", "long_sentences",
        "long_words_share", "paragraphs", "max_paragraph_sentences", "syllables",
    }
    assert data["findings"] == [
        {
            "rule": "sigle-non-explique",
            "severity": "warning",
            "line": 1,
            "col": 14,
            "message": "Le sigle « MDPH » n'est pas expliqué.",
            "suggestion": "La première fois, écrivez le nom en entier suivi du sigle : « nom complet (MDPH) ».",
            "excerpt": "MDPH",
        }
    ]


def test_report_errors_and_warnings(run):
    report = run("Respectez la deadline. Contactez la MDPH.")
    assert [f.rule for f in report.errors] == ["lexique-remplacer"]
    assert [f.rule for f in report.warnings] == ["sigle-non-explique"]
    assert not report.ok


def test_config_from_dict_accepts_hyphens_and_checks_types():
    config = Config.from_dict({"score-error": 50, "long_sentence_words": 30, "disabled-rules": ["majuscules"]})
    assert (config.score_error, config.long_sentence_words) == (50.0, 30)
    assert config.disabled_rules == frozenset({"majuscules"})
    with pytest.raises(ConfigError, match="inconnue"):
        Config.from_dict({"score": 50})
    with pytest.raises(ConfigError, match="nombre"):
        Config.from_dict({"score-error": "high"})


def test_config_from_pyproject(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.lexicon]\nwords-per-sentence-warning = 12\n', encoding="utf-8")
    assert Config.from_pyproject(path).words_per_sentence_warning == 12.0
    with pytest.raises(ConfigError):
        Config.from_pyproject(tmp_path / "absent.toml")
