"""Paths and small helpers shared by the lexicon tests."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
TEST_VOCABULARY = FIXTURES / "vocabulary.yaml"


def located(report, rule=None):
    """(rule, line, col) of each finding, optionally of one rule only."""
    return [(f.rule, f.line, f.col) for f in report.findings if rule is None or f.rule == rule]
