"""Articles as text: plain text, Markdown or HTML, with the optional corpus header.

The corpus header is a few ``key: value`` lines (``source:``, ``published:``) closed by a line
``---``. Offsets of the plain text map back to the characters of the input, so a sentence's
span points into the file as written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from graph.errors import SourceError

MAX_BYTES = 5_000_000  # a news page with its markup; more is not an article
MAX_TEXT_CHARS = 200_000  # the plain text of one article (news pages hold far less)

_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z_]+):[ \t]*(?P<value>.*?)[ \t]*$")
_HEADER_KEYS = {"source", "published", "title", "url", "publisher"}
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# "Published on 28/05/2026", "Posted: 2026-05-28" near the top of a page's text
_STATED_DATE = re.compile(r"(?im)^[^\n]{0,40}?\b(?:published|posted|issued)(?:\s+on)?\s*:?\s*"
                          r"(?:(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>(?:19|20)\d\d)|"
                          r"(?P<iso>(?:19|20)\d\d-\d\d-\d\d))\b")
_STATED_WITHIN = 3000  # characters of text read for it

# Block-level tags end a paragraph; their content starts on a new line.
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "blockquote", "figcaption", "figure",
    "title", "pre", "hr", "dd", "dt", "main", "aside", "caption", "address",
}
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head",
                 "nav", "form", "button", "select", "textarea", "canvas"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
              "param", "source", "track", "wbr"}


@dataclass
class Article:
    """The plain text of an article, its header fields, and where its characters came from."""

    name: str
    text: str
    body_start: int = 0  # where the article's own text starts (after the header)
    source: str | None = None
    published: dt.date | None = None
    published_text: str | None = None  # as the header or the caller gave it
    format: str = "text"
    # Pieces of ``text`` mapped to the input: (text offset, input offset, same length?)
    _pieces: list[tuple[int, int, bool]] = field(default_factory=list, repr=False)

    @property
    def title(self) -> str:
        """The first non-empty line of the body."""
        for line in self.text[self.body_start:].splitlines():
            if line.strip():
                return line.strip()
        return ""

    def input_offset(self, offset: int) -> int:
        """The offset in the input (the file as read) of a character of ``text``."""
        if not self._pieces:
            return offset
        starts = [piece[0] for piece in self._pieces]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        text_start, input_start, exact = self._pieces[i]
        return input_start + (offset - text_start if exact else 0)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the input that the text span ``start:end`` comes from."""
        if not self._pieces:
            return start, end
        return self.input_offset(start), self.input_offset(max(end - 1, start)) + 1


def _parse_published(value: str | dt.date | None) -> dt.date | None:
    """A publication date from a header or an option: ISO day, or None when unknown."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text or text.lower() in {"unknown", "none", "null", "n/a"}:
        return None
    if not _ISO_DATE.match(text) or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _stated_date(text: str) -> tuple[dt.date, str] | None:
    """The publication date a page's text states near its top ("Published on 28/05/2026":
    day first, as most of the world writes it, unless the first number cannot be a month's
    day and the second can), with its words; None when it states none."""
    match = _STATED_DATE.search(text)
    if match is None:
        return None
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso")), match.group("iso")
        day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
        if month > 12 >= day:
            day, month = month, day
        words = match.group(0)[match.start("d") - match.start():]
        return dt.date(year, month, day), words
    except ValueError:
        return None


def _split_header(text: str) -> tuple[dict[str, str], int]:
    """The header fields and where the body starts; no header gives ({}, 0)."""
    fields: dict[str, str] = {}
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == "---":
            return (fields, position + len(line)) if fields else ({}, 0)
        match = _HEADER_LINE.match(stripped)
        if not match or match.group("key").lower() not in _HEADER_KEYS:
            return {}, 0
        fields[match.group("key").lower()] = match.group("value")
        position += len(line)
        if len(fields) > 10:
            break
    return {}, 0


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML page, with the input offset of each piece."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, bool]] = []
        self.length = 0
        self._skip_depth = 0
        self.title: str | None = None
        self._in_title = False
        self.published: str | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _emit(self, text: str, input_offset: int, exact: bool) -> None:
        if not text:
            return
        self.pieces.append((self.length, input_offset, exact))
        self.parts.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self._emit("\n", self._offset(), False)

    def _dates(self, tag: str, attrs: list) -> None:
        """A publication date the page states in its markup."""
        values = {k: v for k, v in attrs if v}
        if tag == "meta" and (values.get("property") or values.get("name") or "").lower() in {
                "article:published_time", "date", "pubdate", "publish-date", "dc.date",
                "dcterms.issued", "og:published_time"}:
            self.published = self.published or values.get("content")
        elif tag == "time" and values.get("datetime") and self.published is None:
            self.published = values["datetime"]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._dates(tag, attrs)
        if tag in _SKIPPED_TAGS and tag not in _VOID_TAGS:
            self._skip_depth += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self._newline()
        if tag == "figcaption" and not self._skip_depth:
            self._emit("Photo: ", self._offset(), False)  # a caption: no event, no signing

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._dates(tag, attrs)
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skip_depth:
            self._skip_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self._newline()

    def _text(self, text: str, exact: bool) -> None:
        if self._in_title:
            self.title = (self.title or "") + text
            return
        if self._skip_depth:
            return
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
        self._emit(text, self._offset(), exact)

    def handle_data(self, data: str) -> None:
        self._text(data, True)

    def handle_entityref(self, name: str) -> None:
        self._text(unescape(f"&{name};"), False)

    def handle_charref(self, name: str) -> None:
        self._text(unescape(f"&#{name};"), False)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page or fragment rather than prose."""
    head = text[:4000].lower()
    if re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", head):
        return True
    tags = re.findall(r"</?(p|div|span|a|br|h[1-6]|article|section|script|style)\b", head)
    return len(tags) >= 3


def _html_to_text(source: str) -> tuple[str, list[tuple[int, int, bool]], str | None,
                                        str | None]:
    parser = _TextExtractor(source)
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser gives up on some broken markup
        raise SourceError(f"unreadable HTML: {err}") from err
    text = "".join(parser.parts)
    title = " ".join((parser.title or "").split()) or None
    published = (parser.published or "")[:10] or None
    return text, parser.pieces, title, published


_MARKDOWN = [
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), None),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), None),  # quotes
    (re.compile(r"^\s*[-*+]\s+", re.M), None),  # bullets
    (re.compile(r"(\*\*|__|\*|`)"), None),  # emphasis, code marks
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), 1),  # links and images: keep the label
]


def _markdown_to_text(source: str) -> str:
    """Markdown markup blanked out with spaces, so every offset stays that of the input."""
    text = source
    for pattern, keep in _MARKDOWN:
        def blank(match: re.Match, keep: int | None = keep) -> str:
            if keep is None:
                return " " * len(match.group(0))
            label = match.group(keep)
            start = match.start(keep) - match.start(0)
            out = [" "] * len(match.group(0))
            out[start:start + len(label)] = label
            return "".join(out)
        text = pattern.sub(blank, text)
    return text


def parse_article(raw: str, *, name: str, published: str | dt.date | None = None,
                  fmt: str | None = None) -> Article:
    """An Article from the text of a file: header, format (``text``, ``markdown``, ``html``,
    or guessed), plain text. ``published`` applies when the header gives no date."""
    if "\x00" in raw[:10000]:
        raise SourceError(f"{name}: a binary file, not an article")
    if len(raw) > MAX_BYTES:
        raise SourceError(f"{name}: too large for an article ({len(raw) / 1e6:.1f} MB; "
                          f"the extractor reads up to {MAX_BYTES / 1e6:.0f} MB)")
    raw = raw.removeprefix("\ufeff")
    fields, body_start = _split_header(raw)
    header_published = fields.get("published")
    date = _parse_published(header_published) or _parse_published(published)
    published_text = header_published
    if _parse_published(header_published) is None and published is not None:
        published_text = published.isoformat() if isinstance(published, dt.date) else published
    fmt = fmt or ("html" if looks_like_html(raw[body_start:]) else "text")
    article = Article(name=name, text=raw, body_start=body_start,
                      source=fields.get("source") or fields.get("url") or None,
                      published=date, published_text=published_text, format=fmt)
    if fmt == "markdown":
        article.text = raw[:body_start] + _markdown_to_text(raw[body_start:])
    elif fmt == "html":
        text, pieces, title, page_date = _html_to_text(raw[body_start:])
        if article.published is None and page_date:
            article.published = _parse_published(page_date)
            article.published_text = article.published_text or page_date
        if title and not text.lstrip().startswith(title[:40]):
            text = title + "\n" + text
            pieces = [(0, body_start, False)] + [(t + len(title) + 1, i, e)
                                                 for t, i, e in pieces]
        head = raw[:body_start]
        article.text = head + text
        article._pieces = [(0, 0, True)] + [(t + body_start, i + body_start, e)
                                            for t, i, e in pieces]
    if article.published is None:
        stated = _stated_date(article.text[body_start:body_start + _STATED_WITHIN])
        if stated is not None:
            article.published, article.published_text = stated
    if len(article.text) - body_start > MAX_TEXT_CHARS:
        raise SourceError(f"{name}: too long for an article ({len(article.text):,} characters "
                          f"of text; the extractor reads up to {MAX_TEXT_CHARS:,})")
    return article


def read_article(path: str | Path, *, published: str | dt.date | None = None) -> Article:
    """Read an article file (``.txt``, ``.md``, ``.html``); SourceError if it cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"{path}: too large for an article ({size / 1e6:.1f} MB; "
                              f"the extractor reads up to {MAX_BYTES / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(f"{path}: cannot read: {err.strerror}") from err
    if b"\x00" in data[:10000]:
        raise SourceError(f"{path}: a binary file, not an article")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            raw = data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise SourceError(f"{path}: not text ({err.reason} at byte {err.start})") from err
    suffix = path.suffix.lower()
    fmt = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}.get(
        suffix)
    return parse_article(raw, name=str(path), published=published, fmt=fmt)
