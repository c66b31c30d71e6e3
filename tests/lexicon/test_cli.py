"""The command line, run as a user would: `python -m lexicon` in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

from lexicon import MAX_BYTES

from .helpers import FIXTURES, TEST_VOCABULARY

ROOT = Path(__file__).resolve().parents[2]
GOOD = "---\ntitle: Voter\n---\n## Qui est concerné\n\nVous pouvez voter à 18 ans.\n"


def lexicon(*args, vocabulary=TEST_VOCABULARY):
    command = [sys.executable, "-m", "lexicon", *map(str, args)]
    if vocabulary and args[0] != "rules":
        command += ["--vocabulary", str(vocabulary)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def assert_input_error(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("erreur : ") and "\nerror: " in result.stderr
    for word in words:
        assert word in result.stderr


def test_bad_fiche_exits_1_with_one_line_per_finding_and_a_summary():
    result = lexicon("check", FIXTURES / "fiche-mauvaise.md")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{FIXTURES / 'fiche-mauvaise.md'}:3:21: error lexique-remplacer « ARE »" in lines[0]
    assert any(":14:12: warning voix-passive " in line for line in lines)
    assert not any(" info " in line for line in lines)  # infos are hidden by default
    assert lines[-1].startswith(f"{FIXTURES / 'fiche-mauvaise.md'} : lisibilité ")
    assert "3 erreurs" in lines[-1]


def test_good_file_exits_0(tmp_path):
    (tmp_path / "bon.md").write_text(GOOD, encoding="utf-8")
    result = lexicon("check", tmp_path / "bon.md")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 erreur ; 0 avertissement")


def test_verbose_shows_infos_and_quiet_hides_summaries():
    verbose = lexicon("check", "--verbose", FIXTURES / "fiche-mauvaise.md")
    assert any(": info lexique-expliquer " in line for line in verbose.stdout.splitlines())
    quiet = lexicon("check", "--quiet", FIXTURES / "fiche-mauvaise.md")
    assert "lisibilité" not in quiet.stdout and quiet.stdout.splitlines()[-1].startswith("Total : 1 fichier vérifié")


def test_json_format_is_one_document_with_every_finding():
    result = lexicon("check", "--format", "json", FIXTURES / "fiche-mauvaise.md")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert set(data) == {"version", "files", "failures", "counts"}
    (report,) = data["files"]
    assert report["filename"].endswith("fiche-mauvaise.md") and report["ok"] is False
    assert data["counts"] == {"error": 3, "warning": 11, "info": 1}
    assert {"rule", "severity", "line", "col", "message", "suggestion", "excerpt"} == set(report["findings"][0])


def test_folder_recursion_skips_readme_other_languages_and_yaml_outside_forms(tmp_path):
    for name in ("fr/a.md", "notes.txt", "README.md", "en/b.md", "forms/demarche.yaml", "settings/site.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD if name.endswith((".md", ".txt")) else "title: Démarche simple\n", encoding="utf-8")
    result = lexicon("check", "--format", "json", tmp_path)
    reports = json.loads(result.stdout)["files"]
    checked = sorted(Path(report["filename"]).relative_to(tmp_path).as_posix() for report in reports)
    assert checked == ["forms/demarche.yaml", "fr/a.md", "notes.txt"]


def test_missing_file_exits_2():
    assert_input_error(lexicon("check", "absent.md"), "introuvable", "no such file")


def test_folder_without_files_exits_2(tmp_path):
    (tmp_path / "image.svg").write_text("<svg/>", encoding="utf-8")
    assert_input_error(lexicon("check", tmp_path), "aucun fichier", "no file")


def test_non_utf8_file_exits_2(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("Bonjour.\nÉté à la mairie.\n".encode("latin-1"))
    assert_input_error(lexicon("check", path), f"{path}:2:", "UTF-8")


def test_malformed_front_matter_exits_2_with_its_line(tmp_path):
    path = tmp_path / "fiche.md"
    path.write_text("---\nslug: fiche\ntitle: Voter: oui\n---\nTexte.\n", encoding="utf-8")
    assert_input_error(lexicon("check", path), f"{path}:3:", "YAML")


def test_empty_file_exits_2(tmp_path):
    path = tmp_path / "vide.md"
    path.write_text("  \n", encoding="utf-8")
    assert_input_error(lexicon("check", path), "vide", "empty")


def test_file_over_1_mb_is_refused_with_exit_2(tmp_path):
    path = tmp_path / "gros.md"
    path.write_text("Vous pouvez voter. " * (MAX_BYTES // 19 + 1), encoding="utf-8")
    assert_input_error(lexicon("check", path), "trop gros", "too large")


def test_other_files_are_still_checked_when_one_is_unreadable(tmp_path):
    (tmp_path / "bon.md").write_text(GOOD, encoding="utf-8")
    result = lexicon("check", tmp_path / "bon.md", tmp_path / "absent.md")
    assert result.returncode == 2 and "bon.md : lisibilité" in result.stdout


def test_unknown_rule_to_disable_exits_2():
    assert_input_error(lexicon("check", "--disable", "nope", FIXTURES / "fiche-mauvaise.md"), "nope")


def test_vocab_prints_counts_and_exits_0():
    result = lexicon("vocab")
    assert result.returncode == 0
    assert "8 entrées valides" in result.stdout and "sigle" in result.stdout and "à remplacer" in result.stdout


def test_vocab_exits_1_naming_file_and_field_when_data_is_invalid(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEST_VOCABULARY.read_text(encoding="utf-8").replace("level: à remplacer", "level: remplacer", 1))
    result = lexicon("vocab", vocabulary=bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bad.yaml" in result.stderr and "« level »" in result.stderr and "slug « are »" in result.stderr


def test_rules_lists_every_rule_id():
    result = lexicon("rules")
    assert result.returncode == 0 and "lisibilite" in result.stdout and "voix-passive" in result.stdout
