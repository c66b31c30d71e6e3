"""Plain-language checker and vocabulary for Guichet's French administrative texts.

Public API (documented in lexicon/README.md; keep it stable)::

    from lexicon import load_vocabulary, check, check_file, Config
"""

from .checker import check, check_file
from .config import Config, ConfigError
from .measures import Stats
from .report import Finding, Report
from .rules import RULES
from .text import MAX_BYTES, InputError
from .vocabulary import CATEGORIES, LEVELS, Entry, Match, Vocabulary, VocabularyError, load_vocabulary

__all__ = [
    "CATEGORIES",
    "LEVELS",
    "MAX_BYTES",
    "RULES",
    "Config",
    "ConfigError",
    "Entry",
    "Finding",
    "InputError",
    "Match",
    "Report",
    "Stats",
    "Vocabulary",
    "VocabularyError",
    "check",
    "check_file",
    "load_vocabulary",
]
