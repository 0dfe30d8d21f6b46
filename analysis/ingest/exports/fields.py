"""What every export splitter shares: the article record and field clean-up."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["ExportArticle", "NotAnExport", "language_code", "word_count", "person_name",
           "clean_lines"]


class NotAnExport(Exception):
    """The file has the marks of an export but no article could be split from it; the
    message says why."""


@dataclass
class ExportArticle:
    """One article of an export: its body paragraphs and the export's own fields
    (title, outlet, date, author, section, word_count, language, url, export_id).
    ``error`` is set when the article's part of the file cannot be read."""

    body: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    error: str = ""


# Language names as the databases print them (English, ENGLISH, Chinese - Simplified ...).
_LANGUAGES = {"english": "en", "chinese": "zh", "russian": "ru", "french": "fr",
              "german": "de", "spanish": "es", "japanese": "ja", "korean": "ko",
              "arabic": "ar", "italian": "it", "portuguese": "pt", "ukrainian": "uk",
              "dutch": "nl", "polish": "pl", "turkish": "tr", "vietnamese": "vi"}
_LANGUAGE_NAMES = "|".join(_LANGUAGES)
LANGUAGE_LINE = re.compile(rf"^(?:{_LANGUAGE_NAMES})(?:\s*[-–(].*)?$", re.I)


def language_code(name: str) -> str:
    """ISO 639-1 code of a language name ("ENGLISH" -> "en"); the name itself, lower
    case, when it is not a known one."""
    first = re.split(r"[\s;,(/-]", name.strip().lower(), maxsplit=1)[0]
    return _LANGUAGES.get(first, name.strip().lower())


def word_count(value: str) -> str:
    """"1,234 words" -> "1234" ("" when there is no number)."""
    m = re.search(r"\d[\d,.\s]*", value)
    return re.sub(r"\D", "", m.group(0)) if m else ""


def person_name(value: str) -> str:
    """A byline as a name list: "By Jane Doe" -> "Jane Doe"; "Doe, Jane" -> "Jane Doe"."""
    value = re.sub(r"^\s*by\s+", "", value.strip(), flags=re.I).strip()
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 2 and all(p and " " not in p for p in parts):
        return f"{parts[1]} {parts[0]}"
    return value


def clean_lines(text_or_lines) -> list[str]:
    """Lines with non-breaking spaces as spaces and trailing blanks stripped."""
    lines = text_or_lines.splitlines() if isinstance(text_or_lines, str) else text_or_lines
    return [line.replace("\u00a0", " ").rstrip() for line in lines]
