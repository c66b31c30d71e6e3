"""Command line: ``python -m lexicon check PATH...`` and ``python -m lexicon vocab``.

Exit status: 0 no error, 1 at least one error finding (or an invalid vocabulary
for ``vocab``), 2 unreadable input or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, TextIO

from .checker import check_file
from .config import Config, ConfigError
from .report import Finding, Report
from .rules import RULES
from .text import InputError
from .vocabulary import CATEGORIES, DEFAULT_PATH, LEVELS, VocabularyError, load_vocabulary

EXIT_OK, EXIT_ERRORS, EXIT_INPUT = 0, 1, 2
TEXT_SUFFIXES = (".md", ".txt")
FORM_SUFFIXES = (".yaml", ".yml")


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "vocab":
        return _vocab(args, out, err)
    if args.command == "rules":
        for rule, description in RULES.items():
            print(f"{rule:20} {description}", file=out)
        return EXIT_OK
    return _check(args, out, err)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lexicon", description="Vérificateur de langage clair.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="vérifier des fiches, textes ou démarches")
    check.add_argument("paths", nargs="+", metavar="PATH", help="fichiers ou dossiers")
    check.add_argument("--format", choices=("text", "json"), default="text")
    verbosity = check.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="afficher aussi les remarques (info)")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="seulement les problèmes et le total")
    check.add_argument("--config", type=Path, help="fichier TOML avec une table [tool.lexicon]")
    check.add_argument("--vocabulary", help="dossier ou fichier de vocabulaire (défaut : lexicon/data)")
    check.add_argument("--score-error", type=float, help="score de lisibilité minimal (erreur)")
    check.add_argument("--score-warning", type=float, help="score de lisibilité conseillé (avertissement)")
    check.add_argument("--wps-error", type=float, help="mots par phrase maximum (erreur)")
    check.add_argument("--wps-warning", type=float, help="mots par phrase conseillés (avertissement)")
    check.add_argument("--long-sentence", type=int, help="nombre de mots au-delà duquel une phrase est longue")
    check.add_argument("--disable", action="append", default=[], metavar="RULE", help="désactiver une règle")

    vocab = commands.add_parser("vocab", help="valider le vocabulaire et afficher ses chiffres")
    vocab.add_argument("--vocabulary", help="dossier ou fichier de vocabulaire (défaut : lexicon/data)")

    commands.add_parser("rules", help="lister les règles")
    return parser


# --- check ---------------------------------------------------------------------


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        config = _config(args)
        load_vocabulary(config.vocabulary)
    except ConfigError as error:
        return _fail(err, f"configuration invalide : {error}", "invalid configuration.")
    except VocabularyError as error:
        return _fail(err, f"vocabulaire invalide : {error}", "invalid vocabulary data.")
    reports: list[Report] = []
    failures: list[InputError] = []
    for path in args.paths:
        try:
            files = collect_files(Path(path))
        except InputError as error:
            failures.append(error)
            continue
        for file in files:
            try:
                reports.append(check_file(file, config))
            except InputError as error:
                failures.append(error)
    if args.format == "json":
        _print_json(reports, failures, out)
    else:
        _print_text(reports, args, out)
        for failure in failures:
            _print_failure(failure, err)
    if failures:
        return EXIT_INPUT
    return EXIT_ERRORS if any(report.errors for report in reports) else EXIT_OK


def _config(args: argparse.Namespace) -> Config:
    if args.config:
        config = Config.from_pyproject(args.config)
    elif Path("pyproject.toml").is_file():
        config = Config.from_pyproject("pyproject.toml")
    else:
        config = Config()
    unknown = [rule for rule in args.disable if rule not in RULES]
    if unknown:
        raise ConfigError(f"règle inconnue : {', '.join(unknown)} ; règles : {', '.join(RULES)}")
    overrides = {
        "score_error": args.score_error,
        "score_warning": args.score_warning,
        "words_per_sentence_error": args.wps_error,
        "words_per_sentence_warning": args.wps_warning,
        "long_sentence_words": args.long_sentence,
        "vocabulary": args.vocabulary,
    }
    config = config.replace(**{key: value for key, value in overrides.items() if value is not None})
    return config.replace(disabled_rules=config.disabled_rules | set(args.disable))


def collect_files(path: Path) -> list[Path]:
    """A file as given; a folder's .md and .txt files, and .yaml files under a
    `forms` folder. README files and folders of other languages (en/, de/…)
    are skipped: they are not French content."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError("fichier ou dossier introuvable.", "no such file or directory.", filename=str(path))
    files = [file for file in sorted(path.rglob("*")) if file.is_file() and _is_content(file, path)]
    if not files:
        raise InputError(
            "aucun fichier à vérifier dans ce dossier (.md, .txt, ou .yaml sous forms/).",
            "no file to check in this folder (.md, .txt, or .yaml under forms/).",
            filename=str(path),
        )
    return files


def _is_content(file: Path, root: Path) -> bool:
    folders = file.relative_to(root).parts[:-1]
    if any(part.startswith(".") or _is_other_language(part) for part in folders):
        return False
    if file.name.startswith(".") or file.stem.upper() == "README":
        return False
    if file.suffix in FORM_SUFFIXES:
        return "forms" in file.parts[:-1]
    return file.suffix in TEXT_SUFFIXES


def _is_other_language(folder: str) -> bool:
    return len(folder) == 2 and folder.isalpha() and folder.islower() and folder != "fr"


def _print_text(reports: list[Report], args: argparse.Namespace, out: TextIO) -> None:
    shown = ("error", "warning", "info") if args.verbose else ("error", "warning")
    for report in reports:
        for finding in report.findings:
            if finding.severity in shown:
                print(format_finding(report.filename, finding), file=out)
        if not args.quiet:
            print(_summary_line(report, args.verbose), file=out)
    if len(reports) > 1 or args.quiet:
        errors = sum(len(r.errors) for r in reports)
        warnings = sum(len(r.warnings) for r in reports)
        print(
            f"Total : {_plural(len(reports), 'fichier vérifié', 'fichiers vérifiés')}, "
            f"{_plural(errors, 'erreur', 'erreurs')}, {_plural(warnings, 'avertissement', 'avertissements')}.",
            file=out,
        )


def format_finding(filename: str | None, finding: Finding) -> str:
    line = f"{filename or '-'}:{finding.line}:{finding.col}: {finding.severity} {finding.rule} {finding.message}"
    return line + (f" Conseil : {finding.suggestion}" if finding.suggestion else "")


def _summary_line(report: Report, verbose: bool) -> str:
    stats = report.stats
    score = "non calculée" if stats.reading_ease is None else f"{stats.reading_ease:.1f}".replace(".", ",")
    parts = [
        f"lisibilité {score}",
        f"{stats.words_per_sentence:.1f}".replace(".", ",") + " mots par phrase",
        _plural(len(report.errors), "erreur", "erreurs"),
        _plural(len(report.warnings), "avertissement", "avertissements"),
    ]
    if verbose:
        parts.append(_plural(len(report.infos), "info", "infos"))
    return f"{report.filename} : " + " ; ".join(parts)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count < 2 else plural}"


def _print_json(reports: list[Report], failures: list[InputError], out: TextIO) -> None:
    document = {
        "version": 1,
        "files": [report.to_dict() for report in reports],
        "failures": [
            {"filename": f.filename, "line": f.line, "message_fr": f.message_fr, "message_en": f.message_en}
            for f in failures
        ],
        "counts": {
            severity: sum(len([x for x in r.findings if x.severity == severity]) for r in reports)
            for severity in ("error", "warning", "info")
        },
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _print_failure(error: InputError, err: TextIO) -> None:
    print(f"erreur : {error.location()}{error.message_fr}", file=err)
    print(f"error: {error.location()}{error.message_en}", file=err)


def _fail(err: TextIO, message_fr: str, message_en: str) -> int:
    print(f"erreur : {message_fr}", file=err)
    print(f"error: {message_en}", file=err)
    return EXIT_INPUT


# --- vocab ---------------------------------------------------------------------


def _vocab(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = args.vocabulary or DEFAULT_PATH
    try:
        vocabulary = load_vocabulary(path)
    except VocabularyError as error:
        print(f"erreur : vocabulaire invalide : {error}", file=err)
        print("error: invalid vocabulary data.", file=err)
        return EXIT_ERRORS
    print(f"Vocabulaire {path} : {len(vocabulary)} entrées valides.", file=out)
    _print_counts("Par catégorie", Counter(e.category for e in vocabulary.entries), CATEGORIES, out)
    _print_counts("Par niveau", Counter(e.level for e in vocabulary.entries), LEVELS, out)
    forms = sum(len(e.forms) for e in vocabulary.entries)
    print(f"Formes reconnues dans les textes : {forms}.", file=out)
    return EXIT_OK


def _print_counts(title: str, counts: Counter, order: Iterable[str], out: TextIO) -> None:
    print(f"{title} :", file=out)
    for name in order:
        print(f"  {name:24} {counts.get(name, 0):4}", file=out)
