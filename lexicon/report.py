"""Findings and reports, with the JSON shape the back office consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .measures import Stats

SEVERITIES = ("error", "warning", "info")
REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning" | "info"
    line: int  # 1-based, in the original file (front matter included)
    col: int  # 1-based, in characters
    message: str  # plain French
    suggestion: str | None = None  # plain French
    excerpt: str | None = None  # the words concerned, as written, for highlighting

    def sort_key(self) -> tuple[int, int, int, str]:
        return self.line, self.col, SEVERITIES.index(self.severity), self.rule


@dataclass
class Report:
    filename: str | None
    findings: list[Finding]
    stats: Stats

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks publication (no error)."""
        return not self.errors

    def to_dict(self) -> dict:
        """JSON-serialisable form; documented in lexicon/README.md, keep it stable."""
        stats = asdict(self.stats)
        for key in ("reading_ease", "words_per_sentence", "long_words_share"):
            if stats[key] is not None:
                stats[key] = round(stats[key], 2)
        return {
            "version": REPORT_FORMAT_VERSION,
            "filename": self.filename,
            "ok": self.ok,
            "counts": {"error": len(self.errors), "warning": len(self.warnings), "info": len(self.infos)},
            "stats": stats,
            "findings": [asdict(finding) for finding in self.findings],
        }
