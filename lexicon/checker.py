"""Entry points: check a text or a file and get a `Report`."""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .report import Report
from .rules import analyse, run_rules
from .text import InputError, parse, read_source
from .vocabulary import Vocabulary, load_vocabulary


def check(
    text: str,
    *,
    filename: str | None = None,
    config: Config | None = None,
    vocabulary: Vocabulary | None = None,
) -> Report:
    """Check a fiche (Markdown with front matter), a plain text or, when
    `filename` ends in .yaml/.yml, a démarche definition.

    Raises `InputError` for malformed front matter or YAML, or text over 1 MiB.
    """
    config = config or Config()
    vocabulary = vocabulary or load_vocabulary(config.vocabulary)
    try:
        document = parse(text, filename=filename)
    except InputError as error:
        raise error.in_file(filename) from None
    analysis = analyse(document, vocabulary, config)
    return Report(filename, run_rules(analysis), analysis.stats)


def check_file(path: str | Path, config: Config | None = None) -> Report:
    """Read and check one file; raises `InputError` when it cannot be read."""
    return check(read_source(path), filename=str(path), config=config)
