"""Frame codebooks: the YAML format and its loader with line-numbered errors.

A codebook is a named set of frames; each frame lists the terms that signal it. The format
is documented for users in ``docs/codebook-format.md``. This module only reads, checks and
writes codebooks (the syntax of one term is :mod:`analysis.term_syntax`);
:mod:`analysis.frames` matches them against a corpus.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from analysis.atomic import write_text_atomic
from analysis.resources import resource
from analysis.term_syntax import (  # re-exported: the term syntax is part of the format
    PHRASE_GAP,
    WORD_SPLIT,
    check_pattern,
    check_term,
    term_regex,
    terms_regex,
)

__all__ = ["Codebook", "Frame", "Term", "CodebookError", "DEFAULT_LANGUAGE", "in_language",
           "load_codebook", "parse_codebook",
           "dump_codebook", "save_codebook", "builtin_codebook_names", "term_regex",
           "terms_regex", "PHRASE_GAP", "WORD_SPLIT",
           "check_term", "check_pattern", "DEFAULT_NEGATION_WINDOW"]

#: The language of terms written without one (and of documents without a language).
DEFAULT_LANGUAGE = "en"
#: Languages whose terms may not use the ``*`` wildcard: their words come from a segmenter.
_NO_WILDCARD = {"zh": "Chinese", "ja": "Japanese"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

#: Tokens before a term that are searched for a negator when a codebook sets no window.
DEFAULT_NEGATION_WINDOW = 3

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

_CODEBOOK_KEYS = ("id", "label", "version", "description", "language", "negation_window",
                  "frames")
_FRAME_KEYS = ("id", "label", "description", "terms", "exclusions", "negation_window",
               "residual")


class CodebookError(ValueError):
    """A codebook (or dictionary file) that cannot be used.

    The message reads ``"<source>, line <n>: <reason>"`` (or ``"<source>: <reason>"`` when
    no line is known); the parts are kept in ``source``, ``line`` and ``reason``.
    """

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source, self.reason, self.line = source, reason, line
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {reason}")


class Term(NamedTuple):
    """A codebook term, regex or exclusion phrase and the language it is written in.

    A term is matched only in documents of its ``language`` (an ISO 639-1 code such as
    ``"en"``, ``"zh"`` or ``"ru"``), so one frame can carry the same concept in several
    languages.
    """

    text: str
    language: str = DEFAULT_LANGUAGE


def _terms(items: Iterable[str | Term]) -> tuple[Term, ...]:
    return tuple(t if isinstance(t, Term) else Term(str(t)) for t in items)


def in_language(items: Iterable[Term], language: str) -> tuple[str, ...]:
    """The texts of the ``items`` written in ``language``."""
    return tuple(t.text for t in items if t.language == language)


@dataclass(frozen=True)
class Frame:
    """One frame of a codebook.

    Attributes
    ----------
    id, label, description : str
        ``id`` is used in column names (``"<codebook>.<frame>"``): letters, digits, ``_``, ``-``.
    terms : tuple of Term
        Words and phrases, each with its language; ``*`` is a wildcard for any word
        characters (``sanction*``). Multi-word terms match across spaces and hyphens alike
        ("no-limits" ~ "no limits"). Plain strings given here are taken as English terms.
    patterns : tuple of Term
        Regular expressions (case-insensitive, used as written: add ``\\b`` yourself).
    exclusions : tuple of Term
        Phrases (same syntax as ``terms``) inside which the frame's terms do not count:
        ``public-private partnership`` vetoes ``partnership`` there and only there.
    negation_window : int or None
        Tokens before a match searched for a negator; ``None`` uses the codebook's value,
        ``0`` turns negation off.
    residual : bool
        A catch-all frame ("other") with no terms; it is listed but never matched.
    """

    id: str
    label: str = ""
    description: str = ""
    terms: tuple[Term, ...] = ()
    patterns: tuple[Term, ...] = ()
    exclusions: tuple[Term, ...] = ()
    negation_window: int | None = None
    residual: bool = False

    def __post_init__(self) -> None:
        for name in ("terms", "patterns", "exclusions"):
            object.__setattr__(self, name, _terms(getattr(self, name)))

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the frame's terms and regexes, in order of first use."""
        return tuple(dict.fromkeys(t.language for t in (*self.terms, *self.patterns)))


@dataclass(frozen=True)
class Codebook:
    """A named, versioned set of frames (see ``docs/codebook-format.md``)."""

    id: str
    label: str = ""
    version: str = "1"
    description: str = ""
    language: str = DEFAULT_LANGUAGE
    negation_window: int = DEFAULT_NEGATION_WINDOW
    frames: tuple[Frame, ...] = ()

    @property
    def frame_ids(self) -> list[str]:
        return [f.id for f in self.frames]

    def frame(self, frame_id: str) -> Frame:
        for f in self.frames:
            if f.id == frame_id:
                return f
        raise KeyError(frame_id)

    def window_for(self, frame: Frame) -> int:
        """The negation window that applies to ``frame``."""
        return self.negation_window if frame.negation_window is None else frame.negation_window


# --- YAML with line numbers -----------------------------------------------------------------

class _LineDict(dict):
    line: int = 0
    key_lines: dict


class _LineStr(str):
    line: int = 0


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that remembers where each mapping and string came from."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise CodebookError("", f"duplicate key {key!r}", key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> _LineStr:
    out = _LineStr(loader.construct_scalar(node))
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _line(obj: object, key: str | None = None) -> int | None:
    if key is not None and isinstance(obj, _LineDict):
        return obj.key_lines.get(key, obj.line)
    return getattr(obj, "line", None) or None


def _window(value: object, source: str, where: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CodebookError(source, f"negation_window must be a whole number >= 0, not {value!r}",
                            where)
    return value


def _text(value: object, key: str, source: str, where: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise CodebookError(source, f"{key} must be text", where)
    return str(value).strip()


def _check_keys(data: _LineDict, allowed: tuple[str, ...], what: str, source: str) -> None:
    for key in data:
        if key not in allowed:
            raise CodebookError(source, f"unknown key {key!r} in {what} (expected one of: "
                                f"{', '.join(allowed)})", _line(data, key))


def _check_id(value: object, what: str, source: str, where: int | None) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CodebookError(source, f"{what} has no id", where)
    text = str(value).strip()
    if not _ID.match(text):
        raise CodebookError(source, f"{what} id {text!r} may only contain letters, digits, "
                            "'_' and '-' (it becomes part of column names)", where)
    return text


def _language(value: object, what: str, source: str, where: int | None) -> str:
    code = str(value if value is not None else "").strip().lower()
    if not _LANGUAGE.match(code):
        raise CodebookError(source, f"{what}: {str(value)!r} is not a language code (use a "
                            "two-letter ISO 639-1 code such as en, zh or ru)", where)
    return code


def _parse_terms(items: object, key: str, frame: str, language: str, source: str,
                 where: int | None) -> tuple[list[Term], list[Term]]:
    """Terms and regexes of one frame's ``terms`` (or ``exclusions``) entry.

    The entry is a list (every term in the codebook's ``language``) or a mapping from a
    language code to such a list. ``frame`` names the codebook and frame for messages.
    """
    if items is None:
        return [], []
    if isinstance(items, dict):
        terms: list[Term] = []
        patterns: list[Term] = []
        for lang, listed in items.items():
            code = _language(lang, f"{frame}: {key}", source, _line(items, lang))
            more, regexes = _parse_terms(listed if listed is not None else [], key, frame,
                                         code, source, _line(items, lang))
            terms += more
            patterns += regexes
        return terms, patterns
    if not isinstance(items, list):
        raise CodebookError(source, f"{frame}: {key} must be a list, or a mapping from a "
                            "language code to a list", where)
    terms, patterns = [], []
    label = "" if language == DEFAULT_LANGUAGE else f"{language} "
    for item in items:
        at = _line(item) or where
        if isinstance(item, dict):
            if set(item) != {"regex"}:
                raise CodebookError(source, f"{frame}: a {key} entry that is a "
                                    "mapping must be exactly {regex: '...'}", at)
            if key != "terms":
                raise CodebookError(source, f"{frame}: regex entries are only "
                                    "allowed in terms", at)
            pattern = item["regex"]
            problem = check_pattern(pattern)
            if problem:
                raise CodebookError(source, f"{frame}: {label}{problem}",
                                    _line(pattern) or at)
            patterns.append(Term(str(pattern), language))
            continue
        problem = check_term(item)
        if problem is None and language in _NO_WILDCARD and "*" in str(item):
            problem = (f"term {str(item)!r}: {_NO_WILDCARD[language]} terms cannot use the "
                       "* wildcard (their words come from a segmenter); list the words")
        if problem:
            raise CodebookError(source, f"{frame}: {label}{problem}", at)
        terms.append(Term(" ".join(str(item).split()), language))
    return terms, patterns


def _parse_frame(data: object, codebook: str, language: str, default_line: int | None,
                 source: str) -> Frame:
    if not isinstance(data, dict):
        raise CodebookError(source, "each frame must be a mapping with at least an id",
                            _line(data) or default_line)
    where = _line(data)
    _check_keys(data, _FRAME_KEYS, "frame", source)
    frame_id = _check_id(data.get("id"), "frame", source, _line(data, "id"))
    named = f"codebook {codebook!r}, frame {frame_id!r}"
    terms, patterns = _parse_terms(data.get("terms"), "terms", named, language, source,
                                   _line(data, "terms"))
    exclusions, _ = _parse_terms(data.get("exclusions"), "exclusions", named, language,
                                 source, _line(data, "exclusions"))
    residual = data.get("residual", False)
    if not isinstance(residual, bool):
        raise CodebookError(source, f"{named}: residual must be true or false",
                            _line(data, "residual"))
    if residual and (terms or patterns):
        raise CodebookError(source, f"{named} is residual (never matched) but "
                            "lists terms; remove the terms or 'residual: true'", where)
    if not residual and not (terms or patterns):
        raise CodebookError(source, f"{named} has no terms (a catch-all frame "
                            "without terms must say 'residual: true')", where)
    window = data.get("negation_window")
    return Frame(
        id=frame_id,
        label=_text(data.get("label"), "label", source, where) or frame_id,
        description=_text(data.get("description"), "description", source, where),
        terms=tuple(terms), patterns=tuple(patterns), exclusions=tuple(exclusions),
        negation_window=None if window is None else _window(
            window, source, _line(data, "negation_window")),
        residual=residual)


def parse_codebook(yaml_text: str, source: str = "<codebook>") -> Codebook:
    """Parse and check a codebook written in YAML.

    Raises
    ------
    CodebookError
        Naming ``source``, the line where possible, and the reason: YAML syntax errors,
        unknown keys, missing or duplicate ids, frames without terms, empty terms, bad regexes.
    """
    try:
        data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except CodebookError as exc:
        raise CodebookError(source, exc.reason, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CodebookError(source, f"not valid YAML ({problem})",
                            mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise CodebookError(source, "a codebook must be a YAML mapping with id, label and "
                            "frames", _line(data))
    _check_keys(data, _CODEBOOK_KEYS, "codebook", source)
    cb_id = _check_id(data.get("id"), "codebook", source, _line(data, "id") or 1)
    language = _language(data.get("language") or DEFAULT_LANGUAGE, f"codebook {cb_id!r}",
                         source, _line(data, "language"))
    frames_data = data.get("frames")
    if not isinstance(frames_data, list) or not frames_data:
        raise CodebookError(source, "the codebook has no frames (expected a list under "
                            "'frames:')", _line(data, "frames"))
    frames: list[Frame] = []
    seen: set[str] = set()
    for item in frames_data:
        frame = _parse_frame(item, cb_id, language, _line(data, "frames"), source)
        if frame.id in seen:
            raise CodebookError(source, f"duplicate frame id {frame.id!r}",
                                _line(item, "id"))
        seen.add(frame.id)
        frames.append(frame)
    window = data.get("negation_window", DEFAULT_NEGATION_WINDOW)
    return Codebook(
        id=cb_id,
        label=_text(data.get("label"), "label", source, _line(data)) or cb_id,
        version=str(data.get("version", "1")).strip(),
        description=_text(data.get("description"), "description", source, _line(data)),
        language=language,
        negation_window=_window(window, source, _line(data, "negation_window")),
        frames=tuple(frames))


def builtin_codebook_names() -> list[str]:
    """Names of the codebooks shipped with Sinoru ("china_russia", "generic", "policy")."""
    folder = resource("codebooks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_codebook(name_or_path: str | os.PathLike[str]) -> Codebook:
    """A built-in codebook by name, or a codebook YAML file by path.

    Raises
    ------
    CodebookError
        When the file does not exist, cannot be read or is malformed.
    """
    name = str(name_or_path)
    if not isinstance(name_or_path, Path) and name in builtin_codebook_names():
        text = resource("codebooks", f"{name}.yaml").read_text(encoding="utf-8")
        return parse_codebook(text, source=f"{name}.yaml (built-in)")
    path = Path(name_or_path)
    if not path.is_file():
        raise CodebookError(name, "no such codebook file and no built-in codebook of that "
                            f"name (built-in: {', '.join(builtin_codebook_names())})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(name, f"cannot be read ({exc})") from None
    return parse_codebook(text, source=name)


def _by_language(items: Sequence[Term], default: str) -> list | dict:
    """Terms as YAML: a plain list when all are in ``default``, else language -> list."""
    def entry(t: Term, regex: bool):
        return {"regex": t.text} if regex else t.text

    if all(t.language == default for t, _ in items):
        return [entry(t, regex) for t, regex in items]
    grouped: dict[str, list] = {}
    for t, regex in items:
        grouped.setdefault(t.language, []).append(entry(t, regex))
    return grouped


def _codebook_dict(cb: Codebook) -> dict:
    frames = []
    for f in cb.frames:
        item: dict = {"id": f.id, "label": f.label}
        if f.description:
            item["description"] = f.description
        if f.residual:
            item["residual"] = True
        if f.terms or f.patterns:
            item["terms"] = _by_language([*((t, False) for t in f.terms),
                                          *((p, True) for p in f.patterns)], cb.language)
        if f.exclusions:
            item["exclusions"] = _by_language([(t, False) for t in f.exclusions], cb.language)
        if f.negation_window is not None:
            item["negation_window"] = f.negation_window
        frames.append(item)
    return {"id": cb.id, "label": cb.label, "version": cb.version,
            "description": cb.description, "language": cb.language,
            "negation_window": cb.negation_window, "frames": frames}


def dump_codebook(cb: Codebook) -> str:
    """The codebook as YAML text; ``parse_codebook(dump_codebook(cb)) == cb``."""
    return yaml.safe_dump(_codebook_dict(cb), sort_keys=False, allow_unicode=True, width=88,
                          default_flow_style=False)


def save_codebook(cb: Codebook, path: str | os.PathLike[str]) -> None:
    """Write the codebook as YAML, atomically (the user owns this file)."""
    write_text_atomic(path, dump_codebook(cb))
