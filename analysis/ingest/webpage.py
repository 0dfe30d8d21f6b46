"""Web pages: keep the article, record the rest of the page as a reversible removal.

A saved page (``.html``, or a ``.mhtml`` web archive) is read twice: once as the whole
page, one line per block element, which becomes the document's ``raw_text``; once by
trafilatura, the main-text extractor, which finds the article body and reads the title,
author, date, site name and URL from the page's metadata (``<meta>``, Open Graph,
JSON-LD). Lines of the whole page that are not in the article are then removed with the
reason :data:`OUTSIDE_ARTICLE`, so the Document view greys them and :func:`whole_page`
puts them back.
"""
from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from pathlib import Path

from analysis.corpus import Document, Removal

__all__ = ["OUTSIDE_ARTICLE", "HTML_MODES", "WEB_SUFFIXES", "ArticleText", "extract_article",
           "page_text", "read_mhtml_html", "article_removals", "whole_page", "article_only",
           "saved_page_folder", "read_webpage"]

OUTSIDE_ARTICLE = "outside the article"
#: How a web page is imported: its article (default) or everything visible on it.
HTML_MODES = ("article", "whole-page")
WEB_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht")

# Elements whose text is never visible on the page. Navigation, forms and asides ARE
# visible: they belong to the whole page and are removed (reversibly) as outside the
# article. Some sites wrap the whole page in a <form>, which must not empty it.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "header", "footer", "main", "li", "ul", "ol",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "dd",
               "dt", "figcaption", "figure", "address", "hr", "td", "th", "nav", "aside",
               "form", "button", "label", "option", "dl", "details", "summary", "body"))
# One token per CJK character (no spaces to split on), else runs of letters and digits.
_SPACE_RUN = re.compile(r"\s+")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")
# A line this short must equal a whole article line to count as article ("World" in a
# menu is not the article's "World" in a sentence).
_SHORT = 4


class ArticleText:
    """The article trafilatura found: ``text`` (None when it found none) and ``meta``."""

    def __init__(self, text: str | None, meta: dict[str, str]) -> None:
        self.text = text
        self.meta = meta


def page_text(html: str) -> str:
    """Everything visible on the page, one line per block element.

    One pass over lxml's tree (fast on megabyte pages; no recursion, so deep nesting is
    harmless); text is whitespace-collapsed except inside ``<pre>``.
    """
    from lxml import etree
    from lxml import html as lxml_html

    # huge_tree: no depth limit of 256 (text nested deeper would silently vanish).
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  huge_tree=True)
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing but whitespace or markup debris
        return ""
    for el in list(root.iter(*_INVISIBLE)):
        el.drop_tree()  # keeps the text that follows the element
    out: list[str] = []
    in_pre = 0

    def add(text: str | None) -> None:
        if text:
            out.append(text if in_pre else _SPACE_RUN.sub(" ", text))

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                out.append("\n")
            if tag == "li":
                out.append("• ")
            if tag == "pre":
                in_pre += 1
            add(el.text)
        else:
            if tag == "pre":
                in_pre -= 1
            if tag in _BLOCK_TAGS:
                out.append("\n")
            add(el.tail)
    return "".join(out)


def _looks_like_domain(name: str) -> bool:
    return bool(re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", name.strip()))


def extract_article(html: str) -> ArticleText:
    """The article body and metadata of a page, found by trafilatura."""
    import trafilatura

    options = dict(with_metadata=True, include_comments=False, include_tables=True,
                   include_images=False, deduplicate=False, as_dict=False,
                   # No dates guessed from the page text (a copyright year is not a date).
                   date_extraction_params={"extensive_search": False, "original_date": True})
    # Precision mode leaves out teaser lists and info lines that the default keeps; when
    # it finds nothing, the default's wider net is better than the whole page.
    doc = trafilatura.bare_extraction(html, favor_precision=True, **options)
    if doc is None or not (doc.text or "").strip():
        doc = trafilatura.bare_extraction(html, **options)
    if doc is None:
        return ArticleText(None, {})
    meta = {"title": doc.title or "", "author": (doc.author or "").replace("; ", ", "),
            "date": doc.date or "", "url": doc.url or ""}
    # trafilatura falls back to the domain when a page names no site: leave that to the
    # outlet registry, which knows outlets by their domains.
    if doc.sitename and not _looks_like_domain(doc.sitename):
        meta["outlet"] = doc.sitename
    text = doc.text or ""
    return ArticleText(text if any(ch.isalnum() for ch in text) else None,
                       {k: v.strip() for k, v in meta.items() if v and v.strip()})


def _norm(text: str) -> str:
    return " ".join(t.lower() for t in _TOKEN.findall(text))


def article_removals(raw_text: str, article: str, title: str = "") -> list[Removal]:
    """Removals for the lines of ``raw_text`` that are not part of ``article``.

    A line belongs to the article when its words are a whole article line, or occur in
    the article starting where an article line starts or where the previous article line
    of the page ended (the extractor may join or split lines). A short line (a menu item)
    counts only as a whole article line or right after the previous article line, and a
    headline repeated inside the first sentence does not count. Lines without any word
    (separators) go with the page, and so does the headline (``title``): it is the
    document's title, not body text, as in hand-coded article bodies.
    """
    from analysis.ingest.boilerplate import line_span

    title = _norm(title)
    lines = [n for n in (_norm(line) for line in article.splitlines()) if n and n != title]
    joined = " " + " ".join(lines) + " "
    # Where article lines start in ``joined`` (the index of the space before each), by
    # the whole line and by its first words, so each page line is checked in O(length).
    by_line: dict[str, list[int]] = {}
    by_head: dict[str, list[int]] = {}
    pos = 0
    for line in lines:
        by_line.setdefault(line, []).append(pos)
        by_head.setdefault(_head(joined, pos), []).append(pos)
        pos += len(line) + 1
    if title and joined.startswith(f" {title} "):  # a headline the extractor ran on
        by_head.setdefault(_head(joined, len(title) + 1), []).append(len(title) + 1)
    cursor = 0
    found: list[Removal] = []
    for m in re.finditer(r"[^\n]+", raw_text):
        words = _norm(m.group(0))
        at = _match(words, joined, by_line, by_head, cursor) if words and words != title \
            else -1
        if at >= 0:
            cursor = at + len(words) + 1
            continue
        s, e = line_span(raw_text, m.start(), m.end())
        found.append(Removal(s, e, raw_text[s:e], OUTSIDE_ARTICLE))
    return found


def _head(joined: str, pos: int) -> str:
    """The first few words of the text starting at ``pos`` in ``joined``."""
    return " ".join(joined[pos + 1:pos + 400].split(" ")[:_SHORT])


def _match(words: str, joined: str, by_line: dict[str, list[int]],
           by_head: dict[str, list[int]], cursor: int) -> int:
    """Where the page line ``words`` sits in the article (-1: not in it)."""
    key = f" {words} "
    if cursor > 0 and joined.startswith(key, cursor):  # continues the previous line
        return cursor
    if words in by_line:
        starts = by_line[words]
        return next((p for p in starts if p >= cursor), starts[0])
    if len(words.split()) < _SHORT:
        return -1
    return next((p for p in by_head.get(_head(key, 0), ()) if joined.startswith(key, p)), -1)


def read_mhtml_html(data: bytes) -> tuple[str, str]:
    """The HTML of the page in a ``.mhtml`` web archive and its URL (Content-Location).

    The archive is a MIME multipart/related message; its first text/html part is the page
    (quoted-printable or base64, in the part's declared charset). Raises ``ValueError``
    when there is no HTML part.
    """
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        from analysis.ingest.readers import decode_or_skip

        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        try:
            html = payload.decode(charset, errors="replace") if charset else None
        except LookupError:  # an unknown charset name
            html = None
        if html is None:  # browsers often leave the charset to the page's <meta>
            html, _enc = decode_or_skip(payload)
        return html, (part.get("Content-Location") or msg.get("Snapshot-Content-Location")
                      or "").strip()
    raise ValueError("no HTML page inside this web archive")


def read_webpage(path: Path, data: bytes, sha256: str):
    """A :class:`~analysis.ingest.readers.RawItem` of a web page or web archive: the whole
    page as text, the article in ``article`` and the page's metadata in ``meta``."""
    from analysis.ingest.limits import html_problem
    from analysis.ingest.readers import RawItem, SkipFile, decode_or_skip

    url = ""
    if path.suffix.lower() in (".mhtml", ".mht"):
        try:
            html, url = read_mhtml_html(data)
        except ValueError as exc:
            raise SkipFile(str(exc)) from exc
        enc = "mhtml"
    else:
        html, enc = decode_or_skip(data)
    problem = html_problem(html)  # before parsing: a deep tree costs the parsers dearly
    if problem:
        raise SkipFile(problem)
    found = extract_article(html)
    meta = dict(found.meta)
    if url and "url" not in meta:
        meta["url"] = url
    return RawItem(pages=[page_text(html)], source=str(path), sha256=sha256, encoding=enc,
                   wrapped=False, meta=meta, article=found.text)


def whole_page(doc: Document) -> Document:
    """``doc`` with the parts of its web page outside the article put back."""
    from analysis.ingest.boilerplate import apply_removals

    kept = tuple(r for r in doc.removed if r.reason != OUTSIDE_ARTICLE)
    text, kept = apply_removals(doc.raw_text, kept)
    return replace(doc, text=text, removed=kept)


def article_only(doc: Document) -> Document:
    """``doc`` (imported whole) reduced to its article again, found anew in its source
    page. Raises ``ValueError`` when the source file is gone, has changed since the import
    or is not a web page."""
    import hashlib

    from analysis.ingest.boilerplate import apply_removals

    path = Path(doc.source)
    if path.suffix.lower() not in WEB_SUFFIXES:
        raise ValueError(f"{doc.source}: not a web page")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{doc.source}: cannot read the page again "
                         f"({exc.strerror or exc})") from exc
    if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
        raise ValueError(f"{doc.source}: the page has changed since it was imported")
    item = read_webpage(path, data, doc.sha256)
    if item.article is None:
        raise ValueError(f"{doc.source}: no article found on the page")
    kept = [r for r in doc.removed if r.reason != OUTSIDE_ARTICLE]
    found = article_removals(doc.raw_text, item.article, item.meta.get("title", ""))
    text, removed = apply_removals(doc.raw_text, [*kept, *found])
    return replace(doc, text=text, removed=removed)


def saved_page_folder(path: Path) -> Path | None:
    """The ``NAME_files`` folder a browser saved beside ``NAME.html`` that holds ``path``
    (its images, styles, scripts and frames: parts of that page, not documents)."""
    for folder in path.parents:
        m = re.fullmatch(r"(.+?)(?:_files|-files|-Dateien|_fichiers|\.files)", folder.name)
        if m and any((folder.parent / (m.group(1) + ext)).is_file() for ext in WEB_SUFFIXES):
            return folder
    return None
