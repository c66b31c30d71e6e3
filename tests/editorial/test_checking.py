"""The checker beside the text is the command's checker: same code, same thresholds, same findings."""
import io
import json

from guichet.editorial.checking import check_source
from guichet.paths import CONTENT_DIR
from lexicon.cli import main

JARGON = "Nonobstant les dispositions afférentes, il convient de procéder à la demande idoine."


def test_findings_match_the_command_with_lines_counted_in_the_body(tmp_path):
    text = (CONTENT_DIR / "fr" / "pacs.md").read_text(encoding="utf-8")
    changed = text.replace("Vous pouvez être de même sexe ou de sexe différent.", JARGON)
    path = tmp_path / "pacs.md"
    path.write_text(changed, encoding="utf-8")
    out = io.StringIO()
    assert main(["check", "--format", "json", str(path)], out=out) == 1
    command = json.loads(out.getvalue())["files"][0]
    result = check_source(changed, "pacs")
    shown = [f for f in command["findings"] if f["severity"] in ("error", "warning")]
    assert [(f.message, f.severity) for f in result.findings] == [(f["message"], f["severity"]) for f in shown]
    assert result.errors == command["counts"]["error"]
    assert round(result.score, 2) == command["stats"]["reading_ease"]
    body_lines = changed.split("\n---\n", 1)[1].strip("\n").split("\n")
    assert JARGON in body_lines[result.findings[0].line - 1]


def test_an_unreadable_header_is_one_blocking_problem():
    result = check_source("---\ntitle: [\n---\n\nTexte.", "x")
    assert result.errors == 1 and result.problem


def test_findings_are_marked_in_the_preview_outside_tags_and_links():
    from guichet.editorial.checking import Finding, highlight
    findings = (Finding("error", 1, "m", None, "afférentes"), Finding("warning", 1, "m", None, "Nonobstant les …"))
    html = highlight('<p>Nonobstant les clauses afférentes, <a href="/afférentes">afférentes</a></p>', findings)
    assert html == ('<p><mark>Nonobstant les</mark> clauses <mark>afférentes</mark>, '
                    '<a href="/afférentes">afférentes</a></p>')
