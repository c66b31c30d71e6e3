"""The plain-language checker on a fiche being written: the same code and thresholds as
`python -m lexicon check` in `make test`, with lines counted in the body as the editor sees it."""
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from lexicon import Config, InputError, Report, check, load_vocabulary

from guichet.content.frontmatter import FrontMatterError, body_offset
from guichet.paths import CHECKOUT_ROOT


@dataclass(frozen=True)
class Finding:
    severity: str
    line: int | None  # line of the body; None: in the header ("En bref", title…)
    message: str
    suggestion: str | None
    excerpt: str | None


@dataclass(frozen=True)
class CheckResult:
    score: float | None
    words_per_sentence: float
    findings: tuple[Finding, ...]
    problem: str | None = None  # the text could not be read at all

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error") + (1 if self.problem else 0)

    @property
    def limits(self) -> Config:
        """The thresholds the score and sentence length are judged by."""
        return config()

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")


@lru_cache(maxsize=1)
def config() -> Config:
    """The `[tool.lexicon]` table of the checkout's pyproject.toml, as the command reads it, else the defaults."""
    pyproject = CHECKOUT_ROOT / "pyproject.toml"
    return Config.from_pyproject(pyproject) if pyproject.is_file() else Config()


def check_source(source: str, slug: str) -> CheckResult:
    """Check a fiche's file text; errors and warnings are kept, remarks (info) are not shown, as in the command."""
    try:
        report: Report = check(source, filename=f"{slug}.md", config=config(), vocabulary=load_vocabulary())
        offset = body_offset(source)
    except (InputError, FrontMatterError) as error:
        return CheckResult(None, 0.0, (), str(getattr(error, "message_fr", error)))
    findings = tuple(Finding(finding.severity, finding.line - offset if finding.line > offset else None,
                             finding.message, finding.suggestion, finding.excerpt)
                     for finding in report.findings if finding.severity in ("error", "warning"))
    return CheckResult(report.stats.reading_ease, report.stats.words_per_sentence, findings)


TAG_RE = re.compile(r"(<[^>]+>)")


def highlight(html: str, findings: tuple[Finding, ...]) -> str:
    """Mark, in rendered HTML, the first occurrence of each finding's words (outside tags).

    Excerpts shortened by the checker ("… ") are marked up to the cut."""
    excerpts = {finding.excerpt.split(" …")[0].strip() for finding in findings if finding.excerpt}
    pieces = TAG_RE.split(html)
    for excerpt in sorted(filter(None, excerpts), key=len, reverse=True):
        for index, piece in enumerate(pieces):
            if piece.startswith("<") or excerpt not in piece:
                continue
            escaped = escape(excerpt)
            before, _found, after = piece.partition(excerpt)
            pieces[index:index + 1] = [before, "<mark>", escaped, "</mark>", after]
            break
    return "".join(pieces)
