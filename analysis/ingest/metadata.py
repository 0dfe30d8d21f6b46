"""Metadata found in an article's own text: title, bylines, source lines, dates, DOIs."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from analysis.corpus import Removal
from analysis.ingest.boilerplate import BYLINE, line_span
from analysis.ingest.outlets import OutletRegistry

__all__ = ["Extracted", "extract_metadata", "parse_date", "guess_language"]

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日"),
    re.compile(_MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b",
               re.I),
]
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+[^\s\"<>,;.)\]])")
_AUTHOR_LINE = re.compile(r"^(?:authors?|written\s+by|by|作者|撰文|文)\s*[:：|]?\s*(?P<v>.+)$",
                          re.I)
_SOURCE_LINE = re.compile(r"^(?:source|来源|原文来源|источник)\s*[:：]\s*(?P<v>.+?)\.?$", re.I)
_DATE_LINE = re.compile(r"^(?:published|updated|posted|date|dated|时间|日期|发布时间|发表时间)"
                        r"(?:\s+(?:on|at))?\s*[:：]?\s*(?P<v>.+)$", re.I)
_DOI_LINE = re.compile(r"^(?:doi\s*[:：]?\s*|https?://(?:dx\.)?doi\.org/)(?P<v>10\.\S+)$", re.I)
# Keys of "key: value | key: value" byline bars, as in bilingual web pages.
_FIELD_KEYS = {
    "author": "author", "authors": "author", "by": "author", "作者": "author",
    "time": "date", "date": "date", "published": "date", "时间": "date", "日期": "date",
    "发布时间": "date", "source": "outlet", "来源": "outlet", "editor": "editor",
    "责编": "editor", "责任编辑": "editor", "编辑": "editor",
}
# A bare outlet cell opening a field bar: a few words of a name, no colon or code marks.
_BARE_OUTLET = re.compile(r"^[^:：`]{2,60}$")
# A wire dateline opening the first paragraph: "BEIJING, June 7 (Xinhua) -- ...".
_DATELINE = re.compile(r"^[A-Z][A-Za-z0-9 .,'/-]{1,60}?\((?P<o>[A-Za-z][\w .-]{1,30})\)"
                       r"\s*(?:--|—|–|-)")
_NAME = re.compile(r"^[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}$|^[\u4e00-\u9fff]{2,4}$")


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Letters Russian does not use: Ukrainian і ї є ґ, Belarusian ў (and і).
_UKRAINIAN = re.compile(r"[їєґЇЄҐ]|(?<=[а-яё])і|і(?=[а-яё])", re.I)
_BELARUSIAN = re.compile(r"[ўЎ]")
_NON_LATIN = re.compile(r"[\u4e00-\u9fff\u0400-\u04ff\u3040-\u30ff\uac00-\ud7af]")
# The most frequent function words of each Latin-script language the corpora meet.
_COMMON = {
    "en": frozenset("the and of to in is that for".split()),
    "fr": frozenset("le les et des est une dans que pour du au".split()),
    "de": frozenset("der die und das ist nicht mit den sich auf dem".split()),
    "es": frozenset("el los las y que del por una con para se".split()),
}
_COMMON_WORDS = frozenset().union(*_COMMON.values())


@dataclass
class Extracted:
    """Metadata values found in a text, and the byline lines to remove from analysis."""

    meta: dict[str, str] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)


def parse_date(text: str) -> str:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` ("" when none).

    Understands 2018-06-07, 2018/06/07, 2018年6月7日, "June 7, 2018", "Feb. 8, 2024" and
    "7 June 2018".
    """
    best: tuple[int, str] | None = None
    for pat in _DATE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        month = int(m.group("m")) if "m" in pat.groupindex else _MONTHS[m.group("mon")[:3].lower()]
        day, year = int(m.group("d")), int(m.group("y"))
        if 1 <= month <= 12 and 1 <= day <= 31 and (best is None or m.start() < best[0]):
            best = (m.start(), f"{year:04d}-{month:02d}-{day:02d}")
    return best[1] if best else ""


def guess_language(text: str) -> str:
    """ISO 639-1 code when the script or common words make the language plain, else "".

    Scripts: Chinese ("zh"; Han characters), Japanese ("ja"; Han with kana), Korean
    ("ko"), Russian ("ru"), Ukrainian ("uk") and Belarusian ("be") by the letters Russian
    does not use. Latin script: English, French, German or Spanish by their most frequent
    function words. No model is needed, and a wrong guess can be corrected in the corpus
    table.
    """
    sample = text[:2000]
    # Without a letter of these scripts every share below is 0: skip counting letters.
    if not sample.isascii() and _NON_LATIN.search(sample):
        han, cyr = len(_HAN.findall(sample)), len(_CYRILLIC.findall(sample))
        kana, hangul = len(_KANA.findall(sample)), len(_HANGUL.findall(sample))
        letters = han + cyr + kana + hangul + len(_LATIN.findall(sample))
        if letters and hangul / letters > 0.3:
            return "ko"
        if letters and (han + kana) / letters > 0.3:
            return "ja" if kana > 0.05 * (han + kana) else "zh"
        if letters and cyr / letters > 0.3:
            if _BELARUSIAN.search(sample):
                return "be"
            return "uk" if len(_UKRAINIAN.findall(sample)) > 0.005 * cyr else "ru"
    tokens = sample.lower().split()
    if not tokens:
        return ""
    # One pass over the tokens picks the function words out; each language then sums its
    # dozen words' counts (a pass over every token per language cost twice as much).
    found = Counter(filter(_COMMON_WORDS.__contains__, tokens))
    shares = {lang: sum(found[w] for w in words) / len(tokens)
              for lang, words in _COMMON.items()}
    best = max(shares, key=shares.get)
    return best if shares[best] > 0.08 else ""


def _split_names(value: str, registry: OutletRegistry | None) -> tuple[list[str], str]:
    """Names in an author byline, and an outlet named among them ("Kinling Lo, SCMP")."""
    parts = [p.strip(" .") for p in re.split(r",|;|、|\band\b|&|\|", value) if p.strip(" .")]
    names, outlet = [], ""
    for p in parts:
        info = registry.lookup(p) if registry else None
        if info and not outlet:
            outlet = info.name
        elif _NAME.match(p):
            names.append(p)
    return names, outlet


def _field_bar(line: str) -> dict[str, str] | None:
    """Fields of a "作者: Zhao Mingwen | 时间: 2018-06-07 | 责编: ..." bar (None if not one)."""
    cells = [c.strip() for c in re.split(r"\s*[|｜]\s*", line.strip(" :：")) if c.strip()]
    if len(cells) < 2:
        return None
    found: dict[str, str] = {}
    for i, cell in enumerate(cells):
        m = re.match(r"^([^:：]{1,12})\s*[:：]\s*(.+)$", cell)
        if m and m.group(1).strip().lower() in _FIELD_KEYS:
            value = m.group(2).strip()
            if any(ch.isalnum() for ch in value):  # "作者: …" is a placeholder, not a name
                found.setdefault(_FIELD_KEYS[m.group(1).strip().lower()], value)
        elif i == 0 and not m and _BARE_OUTLET.match(cell):
            # A bare leading cell names the publication: a short name, not a sentence.
            found.setdefault("outlet", cell)
    return found if len(found) >= 2 and ("author" in found or "date" in found) else None


def _title(lines: list[tuple[int, int, str]]) -> str:
    """The first heading-like line: short, no list of sentences, not a byline or date."""
    for _s, _e, line in lines[:5]:
        clean = line.strip("#* ").strip()
        if (2 <= len(clean) <= 250 and any(ch.isalpha() for ch in clean)
                and not clean.endswith((",", ";")) and clean.count(". ") < 2
                and not _field_bar(clean) and not _SOURCE_LINE.match(clean)
                and not _DATE_LINE.match(clean) and not _DOI_LINE.match(clean)
                and not re.match(r"^(?:authors?|by)\s*:", clean, re.I)):
            return clean
    return ""


def extract_metadata(text: str, registry: OutletRegistry | None = None) -> Extracted:
    """Find metadata in ``text`` (one paragraph per line).

    Looks at the first twenty and last six lines for bylines ("Authors: A, B, SCMP",
    "By A and B"), source lines ("Source: Peace and Development, No.2 2018"), field bars
    ("作者: … | 时间: … | 责编: …"), date lines and DOI lines; those lines are returned as
    removals with reason ``"byline"``. A wire dateline ("BEIJING, June 7 (Xinhua) --")
    names the outlet when nothing else does. The title is the first heading-like line; a DOI
    anywhere in the text fills ``reference``; the language is guessed from the script.

    Returns
    -------
    Extracted
        ``meta`` has only the keys found (title, author, date, outlet, reference, editor,
        language); values are plain strings.
    """
    lines = [(m.start(), m.end(), m.group(0).strip()) for m in re.finditer(r"[^\n]+", text)]
    lines = [t for t in lines if t[2]]
    out = Extracted()
    meta = out.meta
    title = _title(lines)
    if title:
        meta["title"] = title
    head = lines[:20]
    candidates = head + [t for t in lines[-6:] if t not in head]
    for start, end, line in candidates:
        if len(line) > 200 or line.strip("#* ") == title:
            continue
        used = False
        bar = _field_bar(line)
        m_author, m_source = _AUTHOR_LINE.match(line), _SOURCE_LINE.match(line)
        m_date, m_doi = _DATE_LINE.match(line), _DOI_LINE.match(line)
        if bar:
            for key, value in bar.items():
                if key == "date":
                    value = parse_date(value) or value
                elif key == "outlet" and registry and registry.lookup(value):
                    value = registry.lookup(value).name
                meta.setdefault(key, value)
            used = True
        elif m_author and (line.lower().startswith(("author", "written", "作者", "撰文"))
                           or line.startswith(("By ", "BY "))):
            names, outlet = _split_names(m_author.group("v"), registry)
            if names or outlet:
                if names:
                    meta.setdefault("author", "; ".join(names))
                if outlet:
                    meta.setdefault("outlet", outlet)
                used = True
        elif m_source:
            value = m_source.group("v").strip()
            meta.setdefault("reference", value)
            info = registry.lookup(value.split(",")[0]) if registry else None
            if info:
                meta.setdefault("outlet", info.name)
            used = True
        elif m_date and parse_date(m_date.group("v")):
            meta.setdefault("date", parse_date(m_date.group("v")))
            used = True
        elif m_doi:
            meta.setdefault("doi", m_doi.group("v").rstrip("."))
            used = True
        if used:
            s, e = line_span(text, start, end)
            out.removals.append(Removal(s, e, text[s:e], BYLINE))
    if "author" not in meta and len(lines) > 2:
        # A bare name under the title that the author block repeats ("Zhang Xin" above
        # "Zhang Xin, PhD in Political Science"): an academic byline.
        start, end, line = lines[1]
        if _NAME.match(line) and any(t[2].startswith(line + ",") for t in lines[2:20]):
            meta["author"] = line
            s, e = line_span(text, start, end)
            out.removals.append(Removal(s, e, text[s:e], BYLINE))
    if "doi" not in meta and "10." in text:
        m = DOI.search(text)
        if m:
            meta["doi"] = m.group(1)
    if meta.get("doi"):
        meta.setdefault("reference", "doi:" + meta["doi"])
    if "outlet" not in meta and registry is not None:
        for _s, _e, line in lines[:6]:
            m = _DATELINE.match(line)
            info = registry.lookup(m.group("o")) if m else None
            if info is not None:
                meta["outlet"] = info.name
                break
    if "date" not in meta:
        # A date on one of the first lines, e.g. "Feb. 8, 2024 11:02 AM" under the title.
        for _s, _e, line in lines[1:6]:
            if len(line) < 60 and parse_date(line):
                meta["date"] = parse_date(line)
                break
    lang = guess_language(text)
    if lang:
        meta["language"] = lang
    return out
