"""Turning what users type into safe HTML, once, at save time.

Markdown → HTML → nh3 allowlist. Things the allowlist must never pass (iframes)
are added after sanitizing, built by the server from data it checked: embeds of
YouTube and Vimeo links, and lecture citations such as `[[video:12@14:05]]`.
"""

import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Literal, NamedTuple
from urllib.parse import parse_qs, urlsplit

import markdown
import nh3

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class VideoSource:
    """Where a lecture video plays: a privacy-enhanced iframe, or an HTML5 <video>."""

    kind: Literal["youtube", "vimeo", "file"]
    embed_url: str

    def at(self, seconds: int) -> str:
        """The embed URL that starts playing at `seconds`."""
        if seconds <= 0:
            return self.embed_url
        if self.kind == "youtube":
            return f"{self.embed_url}?start={seconds}"
        if self.kind == "vimeo":
            return f"{self.embed_url}#t={seconds}s"
        return f"{self.embed_url}#t={seconds}"


def video_source(url: str) -> VideoSource:
    """Classify a lecture video URL. Raises ValueError when it is not a usable https URL."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        raise ValueError("That is not a valid URL.") from None
    if parts.scheme != "https" or not host:
        raise ValueError("Use an https:// link to the video.")
    path = parts.path.rstrip("/")
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        if host == "youtu.be":
            video_id = path.lstrip("/")
        elif path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        else:
            video_id = re.sub(r"^/(embed|shorts|live|v)/", "", path)
        if not _YOUTUBE_ID.fullmatch(video_id):
            raise ValueError("That YouTube link does not name a video.")
        return VideoSource("youtube", f"https://www.youtube-nocookie.com/embed/{video_id}")
    if host in _VIMEO_HOSTS:
        match = re.fullmatch(r"(?:/video)?/([0-9]+)", path)
        if not match:
            raise ValueError("That Vimeo link does not name a video.")
        return VideoSource("vimeo", f"https://player.vimeo.com/video/{match[1]}?dnt=1")
    return VideoSource("file", parts.geturl())


# --- Markdown to safe HTML -------------------------------------------------------------

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "td": {"style"},
    "th": {"style", "scope"},
}
_CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
_MARKDOWN_EXTENSIONS = ["footnotes", "tables", "fenced_code", "sane_lists"]

# `[[video:12@14:05]]` or `[[video:12@1:02:03]]`: seconds, and minutes after hours, below 60
CITATION = re.compile(
    r"\[\[video:([0-9]{1,9})@((?:[0-9]{1,3}:[0-5][0-9]|[0-9]{1,2}):[0-5][0-9])\]\]"
)
# Python-Markdown's fences: at the start of the line, closed by the same fence alone.
_FENCE = re.compile(r"(~{3,}|`{3,})")
_LONE_URL = re.compile(r"^ {0,3}<?(https://[^\s<>]+)>?\s*$")
# An upload is one file name in the course's uploads folder: no "..", "/", "\\" or "%".
_UPLOAD_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)*")
# Sanitized HTML quotes every attribute value and escapes "<" in text, so a tag runs from
# "<" to the first ">" outside quotes and everything between tags is text.
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')
_TAG_NAME = re.compile(r"<(/?)([a-z0-9]+)")
# Only inside a table cell's start tag: text is escaped, so "<t" cannot come from it.
_HEADING = re.compile(r"<h([1-6])\b", re.I)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.I)
_ALIGN_STYLE = re.compile(r'(<t[dh]\b[^>]*?) style="text-align:(left|center|right)"')
_WORD = re.compile(r"[^\W_]+(?:['’\-‐][^\W_]+)*")


class CitedVideo(NamedTuple):
    title: str
    duration_seconds: int | None  # when known, a citation past the end stays text


@dataclass(frozen=True)
class Rendered:
    html: str
    word_count: int
    # (video id, seconds) of each lecture citation, in order of appearance.
    citations: list[tuple[int, int]] = field(default_factory=list)


def render_markdown(
    text: str,
    *,
    id_prefix: str,
    uploads_path: str | None = None,
    cited_videos: Callable[[Iterable[int]], Mapping[int, CitedVideo]] | None = None,
) -> Rendered:
    """Render user Markdown to sanitized HTML and count its words.

    `id_prefix` keeps footnote ids of different texts on one page apart.
    `uploads_path` ("/courses/3/uploads/") is where images may come from besides https.
    `cited_videos` maps video ids of the course to their titles and lengths; citations of
    other ids, or past a video's end, stay text.
    """
    nonce = secrets.token_hex(8)
    source, embeds = _extract_embeds(text, nonce)
    html = markdown.markdown(source, extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    html = _shift_headings(html)
    html = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter(id_prefix, uploads_path),
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
        allowed_classes=_CLASSES,
        filter_style_properties={"text-align"},
        id_prefix=id_prefix,
    )
    # The page's CSP forbids style attributes; table alignment travels as a class.
    html = _ALIGN_STYLE.sub(r'\1 class="align-\2"', html)
    for token, (url, source_) in embeds.items():
        html = html.replace(f"<p>{token}</p>", _embed_html(source_))
        # Where Markdown put the line inside other markup (raw HTML), it stays as typed.
        html = html.replace(token, escape(url))
    html, citations = _link_citations(html, cited_videos)
    return Rendered(html=html, word_count=count_words(html), citations=citations)


def _shift_headings(html: str) -> str:
    """The page title is the only <h1>: the text's highest heading becomes <h2> and the
    rest keep their distance below it, so the outline never skips a level at the top."""
    levels = [int(level) for level in _HEADING.findall(html)]
    if not levels:
        return html
    offset = 2 - min(levels)
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + offset, 6)}", html)


def _extract_embeds(text: str, nonce: str) -> tuple[str, dict[str, tuple[str, VideoSource]]]:
    """Swap each YouTube or Vimeo link alone on its line (outside code) for a token."""
    lines: list[str] = []
    embeds: dict[str, tuple[str, VideoSource]] = {}
    fence: str | None = None
    # Lines as Markdown sees them: str.splitlines() would also split at U+2028 and others.
    for line in re.split(r"\r\n?|\n", text):
        if fence is None and (opening := _FENCE.match(line)):
            fence = opening[1]
        elif fence is not None and line.rstrip(" \t") == fence:
            fence = None
        match = None if fence else _LONE_URL.match(line)
        source = _embeddable(match[1]) if match else None
        if source is None:
            lines.append(line)
            continue
        token = f"CHEMBED{nonce}N{len(embeds)}E"  # E: no token is the start of another
        embeds[token] = (match[1], source)
        lines.extend(["", token, ""])
    return "\n".join(lines), embeds


def _embeddable(url: str) -> VideoSource | None:
    try:
        source = video_source(url)
    except ValueError:
        return None
    return source if source.kind != "file" else None


def _embed_html(source: VideoSource) -> str:
    return (
        f'<div class="embed embed-{source.kind}"><iframe src="{escape(source.embed_url)}" '
        'title="Embedded video" loading="lazy" allowfullscreen '
        'allow="fullscreen; picture-in-picture; encrypted-media" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>'
    )


def _attribute_filter(id_prefix: str, uploads_path: str | None):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href" and value.strip().startswith("#"):
            # Footnote links follow their ids, which nh3 prefixes unless already prefixed.
            target = value.strip()[1:]
            return f"#{target}" if target.startswith(id_prefix) else f"#{id_prefix}{target}"
        if tag == "img" and attribute == "src":
            own = (
                uploads_path is not None
                and value.startswith(uploads_path)
                and _UPLOAD_NAME.fullmatch(value[len(uploads_path) :]) is not None
            )
            return value if value.startswith("https://") or own else None
        return value

    return keep


def _link_citations(
    html: str, cited_videos: Callable[[Iterable[int]], Mapping[int, CitedVideo]] | None
) -> tuple[str, list[tuple[int, int]]]:
    """Turn citations in text into links to that moment of the lecture video.

    Only text outside code and links: not attribute values, where a link would break the
    tag open, and not another link's text, where links would nest.
    """
    pieces = _TAG.split(html)  # text, tag, text, tag, ..., text
    linkable: list[bool] = []
    depth = 0  # open <a>, <code> and <pre> around the text
    for i, piece in enumerate(pieces):
        name = _TAG_NAME.match(piece) if i % 2 else None
        if name and name[2] in {"a", "code", "pre"}:
            depth += -1 if name[1] else 1
        linkable.append(not i % 2 and depth == 0)
    wanted = {
        int(match[1])
        for piece, ok in zip(pieces, linkable, strict=True)
        if ok
        for match in CITATION.finditer(piece)
    }
    videos = cited_videos(wanted) if wanted and cited_videos else {}
    citations: list[tuple[int, int]] = []

    def link(match: re.Match[str]) -> str:
        video_id, seconds = int(match[1]), parse_clock(match[2])
        video = videos.get(video_id)
        if video is None:
            return match[0]
        if video.duration_seconds is not None and seconds > video.duration_seconds:
            return match[0]  # past the end of the lecture
        citations.append((video_id, seconds))
        return (
            f'<a class="citation" href="/videos/{video_id}?t={seconds}">'
            f"▶ {escape(video.title)} · {format_timestamp(seconds)}</a>"
        )

    html = "".join(
        CITATION.sub(link, piece) if ok else piece
        for piece, ok in zip(pieces, linkable, strict=True)
    )
    return html, citations


def parse_clock(text: str) -> int:
    """Seconds in "MM:SS" or "H:MM:SS" (already matched by a pattern)."""
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def format_timestamp(seconds: int) -> str:
    """125 -> "2:05", 3725 -> "1:02:05", as video players show time."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _ReaderText(HTMLParser):
    """The text a reader sees, less quotes, code, footnote markers and citations."""

    _SKIPPED_TAGS = {"blockquote", "code", "pre"}
    _SKIPPED_CLASSES = {"footnote-ref", "footnote-backref", "citation"}
    # Text flows across the edges of these, so "**un**believable" is one word.
    _INLINE_TAGS = {
        "a", "abbr", "b", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "strong",
        "sub", "sup", "wbr",
    }  # fmt: skip
    _VOID_TAGS = {"br", "hr", "img", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: does it hide its text?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        hides = tag in self._SKIPPED_TAGS or bool(classes & self._SKIPPED_CLASSES)
        if tag not in self._VOID_TAGS:
            self._stack.append(hides)
        self._separate(tag, hides)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID_TAGS:
            return  # <br/> reaches here too, and opened nothing
        hides = self._stack.pop() if self._stack else False
        self._separate(tag, hides)

    def handle_data(self, data: str) -> None:
        if not any(self._stack):
            self.parts.append(data)

    def _separate(self, tag: str, hides: bool) -> None:
        # A block, a line break, an image or a hidden element ends the word before it.
        if tag not in self._INLINE_TAGS or hides:
            self.parts.append(" ")


# Combining marks (accents, vowel signs) and invisible format characters (soft hyphen,
# zero-width space) belong to the letters around them: they neither split nor make a word.
_INVISIBLE_IN_WORDS = {"Mn", "Mc", "Me", "Cf"}


def count_words(html: str) -> int:
    """Words as the credit rules define them, in sanitized HTML."""
    reader = _ReaderText()
    reader.feed(html)
    reader.close()
    text = "".join(
        ch for ch in "".join(reader.parts) if unicodedata.category(ch) not in _INVISIBLE_IN_WORDS
    )
    return len(_WORD.findall(text))
