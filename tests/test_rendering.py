"""Rendering user content: word counts, the sanitizer's allowlist, video embeds, citations.

Safety is checked by parsing the output (html.parser) and walking every element against
the allowlist that DESIGN.md states, not by looking for the attack strings themselves.
"""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import pytest

from coursehub.rendering import (
    CitedVideo,
    Rendered,
    count_words,
    parse_clock,
    render_markdown,
    video_source,
)

PREFIX = "t-"
UPLOADS = "/courses/3/uploads/"
TITLES = {12: 'Mirror <b>neurons</b> & "empathy"', 7: "Intro"}
LENGTHS = {7: 50 * 3600}  # the length of 12 is not known
YOUTUBE_ID = "dQw4w9WgXcQ"
NOCOOKIE = f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}"
VIMEO = "https://player.vimeo.com/video/76979871?dnt=1"


def known_videos(ids):
    return {
        video_id: CitedVideo(TITLES[video_id], LENGTHS.get(video_id))
        for video_id in ids
        if video_id in TITLES
    }


def render(text: str, **kwargs) -> Rendered:
    options = {"id_prefix": PREFIX, "uploads_path": UPLOADS, "cited_videos": known_videos}
    return render_markdown(text, **(options | kwargs))


def words(text: str) -> int:
    return render(text).word_count


# --- Walking the output ----------------------------------------------------------------

# What DESIGN.md allows users, stated here on its own so that widening the module's
# allowlist makes these tests fail rather than follow along.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "td": {"class"},
    "th": {"class", "scope"},
    "div": {"class"},
}
ALIGN = {"align-left", "align-center", "align-right"}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
    "td": ALIGN,
    "th": ALIGN,
}
VOID_TAGS = {"br", "hr", "img"}
EMBED_SRC = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}"
    r"|https://player\.vimeo\.com/video/[0-9]+\?dnt=1"
)
EMBED_ATTRIBUTES = {"src", "title", "loading", "allowfullscreen", "allow", "referrerpolicy"}
CITATION_HREF = re.compile(r"/videos/[0-9]+\?t=[0-9]+")
UPLOAD_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)*")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: "Element | None"
    children: list["Element"] = field(default_factory=list)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Walk(HTMLParser):
    """The parsed output: every element with its parent, the text, and anything odd."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.oddities: list[str] = []
        self.text_parts: list[str] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()
        if self._open:
            self.oddities.append(f"unclosed {[e.tag for e in self._open]}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._open[-1] if self._open else None
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.oddities.append(f"<{tag}> repeats an attribute: {names}")
        element = Element(tag, dict(attrs), parent)
        self.elements.append(element)
        if parent:
            parent.children.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            self.oddities.append(f"</{tag}>")
        elif not self._open or self._open[-1].tag != tag:
            self.oddities.append(f"</{tag}> closes {[e.tag for e in self._open]}")
        else:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for element in self._open:
            element.text += data

    def handle_comment(self, data: str) -> None:
        self.oddities.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.oddities.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.oddities.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.oddities.append(f"declaration {data!r}")

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def scheme(url: str) -> str | None:
    """The scheme a browser would see: after entities, without whitespace and controls."""
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]", "", unescape(unescape(url))).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match[1] if match else None


def is_server_embed(element: Element) -> bool:
    parent = element.parent
    return (
        element.tag == "iframe"
        and set(element.attrs) == EMBED_ATTRIBUTES
        and EMBED_SRC.fullmatch(element.attrs["src"] or "") is not None
        and not element.children
        and parent is not None
        and parent.tag == "div"
        and parent.classes in ({"embed", "embed-youtube"}, {"embed", "embed-vimeo"})
        and parent.children == [element]
        and set(parent.attrs) == {"class"}
    )


def is_server_citation(element: Element) -> bool:
    return (
        element.tag == "a"
        and set(element.attrs) == {"class", "href"}
        and element.attrs["class"] == "citation"
        and CITATION_HREF.fullmatch(element.attrs["href"] or "") is not None
        and not element.children
        and element.text.startswith("▶ ")
    )


def problems(html: str, id_prefix: str = PREFIX, uploads: str | None = UPLOADS) -> list[str]:
    """Every way the output breaks the allowlist, as parsed by html.parser."""
    walk = Walk(html)
    found = list(walk.oddities)
    for element in walk.elements:
        tag, attrs = element.tag, element.attrs
        where = f"<{tag} {attrs}>"
        if tag == "iframe" or "embed" in element.classes:
            server = is_server_embed(element) or any(map(is_server_embed, element.children))
            if not server:
                found.append(f"not a server embed: {where}")
            continue
        if "citation" in element.classes:
            if not is_server_citation(element):
                found.append(f"not a server citation: {where}")
            continue
        if tag not in ALLOWED_TAGS:
            found.append(f"tag outside the allowlist: {where}")
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on"):
                found.append(f"event handler: {where}")
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                found.append(f"attribute outside the allowlist: {name} in {where}")
            if name == "style" and not re.fullmatch(r"text-align:\s*(left|right|center)", value):
                found.append(f"style other than text-align: {where}")
            if name == "class" and not element.classes <= ALLOWED_CLASSES.get(tag, set()):
                found.append(f"class outside the allowlist: {where}")
            if name == "id" and not value.startswith(id_prefix):
                found.append(f"id without the prefix: {where}")
            if name == "href" and scheme(value) not in {None, "http", "https", "mailto"}:
                found.append(f"href scheme: {where}")
            if name == "src":
                own = (
                    uploads is not None
                    and value.startswith(uploads)
                    and UPLOAD_NAME.fullmatch(value[len(uploads) :]) is not None
                )
                if not (value.startswith("https://") or own):
                    found.append(f"image source: {where}")
        if tag == "a" and not {"nofollow", "noopener", "ugc"} <= set(
            (attrs.get("rel") or "").split()
        ):
            found.append(f"link without rel=nofollow noopener ugc: {where}")
    return found


def assert_safe(html: str, **kwargs) -> Walk:
    found = problems(html, **kwargs)
    assert not found, "\n".join([html, *found])
    return Walk(html)


# --- The checker itself catches what it is for ---------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="java&#9;script:alert(1)" rel="nofollow noopener ugc">x</a>',
        '<a href="https://example.com/">no rel</a>',
        '<img src="http://example.com/a.png">',
        '<img src="/courses/3/uploads/../../4/uploads/a.png">',
        '<img src="/courses/4/uploads/a.png">',
        '<li id="fn:1">x</li>',
        '<td style="color:red">x</td>',
        '<div class="embed embed-youtube"><iframe src="https://evil.example/"></iframe></div>',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
        '<a class="citation" href="javascript:alert(1)">▶ x</a>',
        '<p title="<a class="x">y</p>',
        "<p><b>x</p></b>",
        "<!-- x -->",
    ],
)
def test_the_checker_flags_unsafe_output(html):
    assert problems(html)


# --- Word count ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Hello world.", 2),
        ("One, two; three: four! five? (six) [seven] {eight} nine...", 9),
        ("  spaced   out\twords  ", 3),
        ("first line\nsecond line", 4),
        ("hard  \nbreak", 2),
        ("first paragraph\n\nsecond paragraph", 4),
        # Numbers: a run of digits is a word; "." and "," are not joiners.
        ("3.14", 2),
        ("1,000,000", 3),
        ("42 is the answer", 4),
        ("COVID-19", 1),
        ("2024-05-01", 1),
        # An apostrophe or hyphen joins only between two runs.
        ("don't", 1),
        ("don’t", 1),
        ("well-known", 1),
        ("well‐known", 1),  # U+2010 HYPHEN
        ("rock'n'roll", 1),
        ("O'Neil-Smith", 1),
        ("'quoted'", 1),
        ("‘quoted’", 1),
        ("'tis the students' essays", 4),
        ("well--known", 2),
        ("a - b", 2),
        ("- -", 0),
        ("it's-", 1),
        # Other dashes and joiners separate.
        ("word—word", 2),
        ("word–word", 2),
        ("snake_case", 2),
        ("a/b", 2),
        ("e.g.", 2),
        ("@user #hashtag", 2),
        # Letters of any script.
        ("Καλημέρα κόσμε", 2),
        ("Привет, мир", 2),
        ("café naïve", 2),
        ("cafe\u0301 nai\u0308ve", 2),  # decomposed: combining marks belong to their letter
        ("مرحبا بالعالم", 2),
        ("नमस्ते दुनिया", 2),  # vowel signs and viramas are marks, not breaks
        ("שלום עולם", 2),
        # CJK has no spaces: a run of ideographs or kana is one run, so one word.
        ("我喜欢学习中文", 1),
        ("東京 大阪", 2),
        ("日本語のテキスト", 1),
        ("我喜欢，学习。", 2),  # CJK punctuation separates
        # Emoji and symbols are not words, and separate the words around them.
        ("🎉 🎉 🎉", 0),
        ("great 👍", 1),
        ("word👍word", 2),
        ("€ $ % & * + = | ~ ^", 0),
        # Invisible characters neither split a word nor make one.
        ("ex\u00adtra\u00ador\u00addi\u00adnary", 1),  # soft hyphens
        ("wo\u200brd", 1),  # zero-width space
        ("\u200b \u200b \u200b", 0),
        ("\u200e\u200f", 0),
        # Entities are the characters they stand for.
        ("Tom &amp; Jerry", 2),
        ("caf&eacute;", 1),
        ("don&#39;t", 1),
        ("&#x41;&#x42;C", 1),
        ("&lt;tag&gt;", 1),
        ("a&nbsp;b", 2),
        ("&copy; 2024", 1),
        # Markdown structure: headings, lists, tables.
        ("# Title here\n\nBody text", 4),
        ("###### Small heading", 2),
        ("Setext heading\n===", 2),
        ("- one\n- two\n- three", 3),
        ("1. one\n2. two\n10. ten", 3),  # list numbers are not text
        ("| a | b |\n|---|---|\n| c d | e |", 5),
        ("| left | right |\n|:-----|------:|\n| x | y |", 4),
        ("Term\n\n---\n\nAfter", 2),
        # Links: the text a reader sees counts, the URL does not.
        ("[link text](https://example.com/some/long-path?with=query)", 2),
        ('[link](https://example.com/ "a long title")', 1),
        ("<https://example.com/path>", 4),  # the URL is the visible text here
        ("[ref link][r]\n\n[r]: https://example.com/hidden/words", 2),
        # Inline formatting does not split a word.
        ("**un**believable", 1),
        ("*in*credible", 1),
        ("un<em>believ</em>able", 1),
        ("H<sub>2</sub>O", 1),
        ("x<sup>2</sup> + y", 2),
        ("~~struck~~ <del>out</del> <ins>in</ins>", 3),
        ("<kbd>Ctrl</kbd>+<kbd>C</kbd>", 2),
        ("un<span>believable</span>", 1),
        # Blockquotes are excluded, however deep.
        ("Mine.\n\n> Quoted words here\n> > nested deeper", 1),
        ("> quote\n\nafter", 1),
        ("> - quoted list\n> - more\n>\n> ```\n> code\n> ```", 0),
        ("<blockquote>raw <b>quoted</b> words</blockquote> own", 1),
        # Code is excluded, inline or in blocks.
        ("Use `print(x)` here", 2),
        ("foo`bar`baz", 2),  # hidden code ends the word before it
        ("```\nfenced code words\n```\nafter", 1),
        ("~~~python\ndef f(): return 1\n~~~", 0),
        ("Text\n\n    indented code words\n\nmore", 2),
        ("<pre>raw pre words</pre>", 0),
        ("<code>raw code</code> text", 1),
        # Image alt text is excluded, also where the image itself is dropped.
        ("![a picture of many words](https://example.com/a.png) caption", 1),
        ("![alt words](http://example.com/a.png)", 0),
        ('<img alt="hidden alt words" src="https://example.com/a.png">', 0),
        ("one![](https://example.com/a.png)two", 2),
        # Footnotes: the markers and back-links are not words, the notes are.
        ("Claim[^1] here.\n\n[^1]: Smith, 2020, page 4.", 6),
        ("a[^n] b[^n]\n\n[^n]: note", 3),
        ("Hello[^1]world\n\n[^1]: x", 3),
        # Raw HTML: what the sanitizer drops is not counted, what it keeps is.
        ("<script>alert('many words here')</script>Visible", 1),
        ("<style>p { color: red }</style>", 0),
        ("<span>kept text</span>", 2),
        ("<!-- hidden comment words -->", 0),
        ('<abbr title="National Aeronautics and Space Administration">NASA</abbr>', 1),
        ('<a title="title words" href="https://example.com">one</a>', 1),
        ("<p>one</p><p>two</p>", 2),
        ("<table><tr><td>a</td><td>b</td></tr></table>", 2),
        ("<template>template words</template>", 0),
        # Text the sanitizer keeps after dropping its tag is what a reader sees.
        ("<textarea>typed words</textarea>", 2),
        # Template syntax is text like any other.
        ("{{ seven_times_seven }}", 3),  # "_" is not a letter
        # Embeds add no words.
        (f"https://youtu.be/{YOUTUBE_ID}", 0),
        (f"Look:\n\nhttps://youtu.be/{YOUTUBE_ID}\n\nThat was it.", 4),
    ],
)
def test_word_count(text, expected):
    assert words(text) == expected


def test_lecture_citations_are_generated_text_and_not_counted():
    # The link reads "▶ Mirror neurons & "empathy" · 14:05": the server wrote it, not the
    # student, so it adds nothing. A citation of a video the course lacks stays as typed
    # and counts as the text a reader sees: "video", "99", "1", "00".
    assert words("See [[video:12@14:05]] now") == 2
    assert words("See [[video:99@1:00]] now") == 6
    assert words("`[[video:12@14:05]]`") == 0


def test_word_count_counts_what_the_reader_sees_not_the_source():
    rendered = render(
        "# Mirror neurons\n\n"
        "They **fire** when we act[^1] and when we *watch* others act.\n\n"
        "> Rizzolatti said so.\n\n"
        "![brain scan](https://example.com/scan.png)\n\n"
        "```\nnot counted\n```\n\n"
        "[^1]: Rizzolatti, 1996.\n"
    )
    # Mirror neurons (2) + They fire when we act and when we watch others act (11)
    # + Rizzolatti 1996 (2)
    assert rendered.word_count == 15


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a<br/>b</p><blockquote><p>q<br/>r</p></blockquote><p>c</p>", 3),
        ("<p>one</p><p>two</p>", 2),
        ("<p>un<wbr>believable</p>", 1),
        ("<ul><li>a</li><li>b</li></ul>", 2),
        ("<h2>Head</h2><p>body</p>", 2),
        ('<p>x<a class="citation" href="/videos/1?t=0">▶ T · 0:00</a>y</p>', 2),
        ('<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>', 1),
    ],
)
def test_count_words_on_html(html, expected):
    assert count_words(html) == expected


def test_word_count_cannot_be_inflated_by_invisible_characters():
    plain = "Mirror neurons fire when we watch others act."
    padded = "\u00ad".join(plain) + " \u200b" * 100
    assert words(padded) == words(plain) == 8


# --- Sanitizer: attack payloads --------------------------------------------------------

PAYLOADS = [
    # Scripts and event handlers
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "\x00<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror=alert&#40;1&#41;>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<img srcset="https://evil.example/a.png 1x" src="https://ok.example/a.png">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<x onclick=alert(1)>click</x>",
    '<a href="https://ok.example/"\nonmouseover=alert(1)>x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<h1 onclick=alert(1)>x</h1>",
    "<table><tr><td onclick=alert(1)>x</td></tr></table>",
    # Frames, objects, forms, document-level elements
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    f'<iframe src="{NOCOOKIE}"></iframe>',
    f'<div class="embed embed-youtube"><iframe src="{NOCOOKIE}" onload=alert(1)></iframe></div>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    "<input onfocus=alert(1) autofocus>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)",
    # Styles
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '<table><tr><td style="text-align:left;background:url(javascript:alert(1))">x</td></tr>'
    "</table>",
    '<table><tr><th style="text-align: center; position: fixed">x</th></tr></table>',
    '<a href="https://ok.example/" style="position:fixed;top:0">x</a>',
    # Link schemes, raw HTML
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\njavascript:alert(1)">x</a>',
    '<a href="&#1;javascript:alert(1)">x</a>',
    '<a href="javascript%3Aalert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<a href="https://ok.example/" rel="opener" target="_blank">x</a>',
    '<a href="https://ok.example/?q=&quot;&gt;&lt;script&gt;">x</a>',
    # Link schemes, Markdown
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](javascript&colon;alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](http://insecure.example/a.png)",
    "![x](//evil.example/a.png)",
    '[x](https://ok.example/ "title\\" onmouseover=\\"alert(1)")',
    '[x](https://ok.example/ "\\"><script>alert(1)</script>")',
    '![alt" onerror="alert(1)](https://ok.example/a.png)',
    '![\\"><script>alert(1)</script>](https://ok.example/a.png)',
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x][e]\n\n[e]: https://ok.example/ "\\"><img src=x onerror=alert(1)>"',
    "![x][img]\n\n[img]: javascript:alert(1)",
    '- <a href="javascript:alert(1)">x</a>\n- [y](javascript:alert(1))',
    "| a |\n|---|\n| <img src=x onerror=alert(1)> [x](javascript:alert(1)) |",
    "text[^1]\n\n[^1]: <script>alert(1)</script> [x](javascript:alert(1))",
    # Images from elsewhere on this site
    '<img src="/courses/3/uploads/../../4/uploads/a.png">',
    '<img src="/courses/3/uploads/%2e%2e/%2e%2e/accounts/logout">',
    '<img src="/courses/3/uploads/..\\..\\accounts\\logout">',
    '<img src="/courses/3/uploads/a.png?next=/accounts/logout">',
    '<img src="/courses/4/uploads/a.png">',
    "![x](/accounts/logout)",
    # Mutation XSS and parser confusion
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
    '&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<a href="https://ok.example/" title="</a><img src=x onerror=alert(1)>">x</a>',
    "<div><p>unclosed <b>bold <i>italic",
    '<a href="https://ok.example/">unclosed link',
    "</p></div></blockquote>stray closers",
    "<!-- <script>alert(1)</script> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><x onload=alert(1)>',
    "<!DOCTYPE html><html><body onload=alert(1)>",
    # Ids and classes: only the prefixed footnote ids, only the footnote classes
    '<p id="fn:1" name="x">forged</p><li id="fnref:1">x</li><h2 id="comments">x</h2>',
    '<sup id="t-fn:1">x</sup><a href="#comments">jump</a>',
    '<a href="https://ok.example/" class="footnote-ref citation embed">x</a>',
    '<div class="embed embed-vimeo footnote">x</div>',
    '<div id="x" data-x="y" aria-label="z" class="alert">x</div>',
    # The server's own pieces, forged
    "CHEMBED0000000000000000N0",
    "CHEMBED0000000000000000N0E",
    f"CHEMBED0000000000000000N0E\n\nhttps://youtu.be/{YOUTUBE_ID}",
    '<a class="citation" href="javascript:alert(1)">▶ x</a>',
    'https://youtu.be/abc"onload=alert(1)',
    f'https://youtu.be/{YOUTUBE_ID}"onload=alert(1)',
    f'https://www.youtube.com/watch?v={YOUTUBE_ID}&x="><script>alert(1)</script>',
    f'https://www.youtube.com/watch?v={YOUTUBE_ID}&x="onload="alert(1)',
    f"https://www.youtube.com/watch?v={YOUTUBE_ID}%0A",
    f"https://www.youtube.com/watch?v={YOUTUBE_ID}%22onload%3Dalert(1)",
    f'https://youtu.be/{YOUTUBE_ID}#"><svg onload=alert(1)>',
    'https://vimeo.com/123"onload=alert(1)',
    "https://vimeo.com/javascript:alert(1)",
    "[[video:12@1:00]] [[video:7@0:10]]",
    '<a title="[[video:12@1:00]]<img src=x onerror=alert(1)>" href="https://ok.example/">x</a>',
    '[see [[video:12@1:00]]](https://ok.example/ "[[video:12@0:01]]")',
    "![[[video:12@0:02]]](https://ok.example/a.png)",
    # Template syntax is text
    "{{7*7}} {% if true %}x{% endif %} {{ config }} ${7*7} #{7*7}",
]


def test_there_are_many_payloads():
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_output_stays_inside_the_allowlist(payload):
    rendered = render(payload)
    walk = assert_safe(rendered.html)  # any iframe in it is a server embed of a video id
    assert not walk.find("script")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_output_stays_inside_the_allowlist_without_options(payload):
    rendered = render_markdown(payload, id_prefix="c1a2b3c4-")
    assert_safe(rendered.html, id_prefix="c1a2b3c4-", uploads=None)


def test_template_syntax_stays_literal():
    html = render("{{7*7}} {% if true %}x{% endif %}").html
    assert "{{7*7}} {% if true %}x{% endif %}" in Walk(html).text
    assert "49" not in html


def test_a_forged_embed_token_stays_text():
    forged = "CHEMBED0000000000000000N0E"
    rendered = render(f"{forged}\n\nhttps://youtu.be/{YOUTUBE_ID}\n\n{forged[:-1]}")
    walk = assert_safe(rendered.html)
    assert len(walk.find("iframe")) == 1
    assert [p.text for p in walk.find("p")] == [forged, forged[:-1]]


def test_user_iframes_never_pass_even_to_allowed_hosts():
    html = render(f'<div class="embed embed-youtube"><iframe src="{NOCOOKIE}"></iframe></div>').html
    walk = assert_safe(html)
    assert not walk.find("iframe")
    assert all("embed" not in e.classes for e in walk.elements)


def test_a_youtube_link_with_quotes_embeds_only_the_video_id():
    html = render(f'https://www.youtube.com/watch?v={YOUTUBE_ID}&x="onload="alert(1)').html
    walk = assert_safe(html)
    [iframe] = walk.find("iframe")
    assert iframe.attrs["src"] == NOCOOKIE


@pytest.mark.parametrize(
    "line",
    [
        'https://youtu.be/abc"onload=alert(1)',
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}%0A",
        f'https://www.youtube.com/watch?v={YOUTUBE_ID}&x="><script>alert(1)</script>',
        "https://vimeo.com/١٢٣",  # Arabic-Indic digits are not a Vimeo id
    ],
)
def test_broken_video_links_are_not_embedded(line):
    walk = assert_safe(render(line).html)
    assert not walk.find("iframe")


def test_raw_html_ids_are_prefixed_or_dropped():
    html = render(
        '<p id="fn:1">a</p><li id="fnref:1">b</li><sup id="top">c</sup>'
        '<span id="s">d</span><h2 id="comments">e</h2>'
    ).html
    walk = assert_safe(html)
    ids = [e.attrs["id"] for e in walk.elements if "id" in e.attrs]
    assert ids == ["t-fnref:1", "t-top"]


def test_each_text_keeps_its_own_ids():
    source = 'A[^1]\n\n[^1]: note\n\n<li id="x">y</li>'
    first = render(source, id_prefix="c0000aaaa-").html
    second = render(source, id_prefix="c1111bbbb-").html
    first_ids = {e.attrs["id"] for e in Walk(first).elements if "id" in e.attrs}
    second_ids = {e.attrs["id"] for e in Walk(second).elements if "id" in e.attrs}
    assert first_ids and second_ids and not first_ids & second_ids
    assert_safe(first, id_prefix="c0000aaaa-")
    assert_safe(second, id_prefix="c1111bbbb-")


def test_a_citation_in_an_attribute_does_not_break_the_tag_open():
    # Linking a citation inside title="..." used to close the quote early, which left the
    # user's link without rel and spilled the rest of the tag into the page.
    rendered = render('[see it](https://ok.example/ "[[video:12@0:01]] more")')
    walk = assert_safe(rendered.html)
    [link] = walk.find("a")
    assert link.attrs["title"] == "[[video:12@0:01]] more"
    assert rendered.citations == []


# --- Sanitizer: what survives ----------------------------------------------------------


def test_footnotes_have_prefixed_ids_and_links_that_match():
    rendered = render(
        "Mirror neurons[^rizz] fire[^2] when we watch[^rizz].\n\n"
        "[^rizz]: Rizzolatti, 1996.\n[^2]: Second note with [a link](https://example.com).\n"
    )
    walk = assert_safe(rendered.html)
    ids = {e.attrs["id"] for e in walk.elements if "id" in e.attrs}
    assert {"t-fn:rizz", "t-fn:2", "t-fnref:rizz", "t-fnref2:rizz", "t-fnref:2"} <= ids
    fragments = [e.attrs["href"] for e in walk.find("a") if e.attrs["href"].startswith("#")]
    assert len(fragments) == 6  # three markers, three back-links
    assert all(href[1:] in ids for href in fragments)
    refs = [e for e in walk.find("a") if "footnote-ref" in e.classes]
    assert [r.text for r in refs] == ["1", "2", "1"]
    [notes] = [e for e in walk.find("div") if "footnote" in e.classes]
    assert "Rizzolatti, 1996." in notes.text


def test_user_fragment_links_follow_prefixed_ids():
    walk = assert_safe(render('<li id="part">x</li>\n\n[to part](#part) [t](#t-part)').html)
    assert [e.attrs["href"] for e in walk.find("a")] == ["#t-part", "#t-part"]
    assert [e.attrs["id"] for e in walk.find("li")] == ["t-part"]


def test_tables_keep_alignment():
    walk = assert_safe(render("| L | C | R |\n|:--|:-:|--:|\n| 1 | 2 | 3 |").html)
    cells = [e for e in walk.elements if e.tag in {"th", "td"}]
    assert [e.attrs.get("class") for e in cells] == [
        f"align-{s}" for s in ("left", "center", "right")
    ] * 2
    assert not any("style" in e.attrs for e in cells), "the CSP would block style attributes"
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= {e.tag for e in walk.elements}


def test_fenced_code_shows_html_escaped():
    source = '```html\n<script>alert(1)</script>\n<a href="javascript:x">y</a>\n```'
    walk = assert_safe(render(source).html)
    [code] = walk.find("code")
    assert code.parent.tag == "pre"
    assert code.text == '<script>alert(1)</script>\n<a href="javascript:x">y</a>\n'
    assert code.attrs == {}  # the language class is not on the allowlist
    assert [e.tag for e in walk.elements] == ["pre", "code"]


def test_inline_code_shows_html_escaped():
    walk = assert_safe(render("Write `<img src=x onerror=alert(1)>` to break it.").html)
    assert [c.text for c in walk.find("code")] == ["<img src=x onerror=alert(1)>"]
    assert not walk.find("img")


@pytest.mark.parametrize(
    "href",
    [
        "http://example.com/page",
        "https://example.com/page?q=1&r=2#frag",
        "mailto:teacher@example.com",
        "/courses/3/posts/5",
        "../chapter-2",
        "notes.html",
        "?page=2",
    ],
)
def test_safe_links_are_kept_with_rel(href):
    walk = assert_safe(render(f"[a link]({href})").html)
    [link] = walk.find("a")
    assert link.attrs["href"] == href
    assert link.attrs["rel"] == "nofollow noopener ugc"
    assert link.text == "a link"


def test_link_titles_are_kept_as_text():
    walk = assert_safe(render('[x](https://example.com "It\'s <b>bold</b> & done")').html)
    [link] = walk.find("a")
    assert link.attrs["title"] == "It's <b>bold</b> & done"
    assert [e.tag for e in walk.elements] == ["p", "a"]


@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("https://example.com/scan.png", True),
        ("/courses/3/uploads/Ab3_x-Y9.png", True),
        ("/courses/3/uploads/photo.final.jpeg", True),
        ("/courses/4/uploads/Ab3_x-Y9.png", False),  # another course's upload
        ("/courses/3/uploads/", False),
        ("/courses/3/uploads/../../4/uploads/a.png", False),
        ("/courses/3/uploads/%2e%2e/%2e%2e/4/uploads/a.png", False),
        ("/courses/3/uploads/..\\..\\4\\uploads\\a.png", False),
        ("/courses/3/uploads/sub/a.png", False),
        ("/courses/3/uploads/a.png?x=1", False),
        ("/courses/3/uploadsX/a.png", False),
        ("/courses/33/uploads/a.png", False),
        ("http://example.com/scan.png", False),
        ("//example.com/scan.png", False),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("a.png", False),
    ],
)
def test_image_sources(src, kept):
    walk = assert_safe(render(f"![A brain scan]({src})").html)
    [image] = walk.find("img")
    assert image.attrs.get("src") == (src if kept else None)
    assert image.attrs["alt"] == "A brain scan"


def test_without_uploads_path_only_https_images_are_kept():
    html = render_markdown(
        "![a](/courses/3/uploads/a.png) ![b](https://example.com/b.png)", id_prefix="c1-"
    ).html
    walk = assert_safe(html, id_prefix="c1-", uploads=None)
    assert [e.attrs.get("src") for e in walk.find("img")] == [None, "https://example.com/b.png"]


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ("# One", "h2"),
        ("## Two", "h2"),
        ("### Three", "h2"),
        ("###### Six", "h2"),
        ("Setext\n===", "h2"),
        ("<h1>Raw</h1>", "h2"),
        ("<H1>Raw upper case</H1>", "h2"),
        ("<h3>Raw three</h3>", "h2"),
    ],
)
def test_user_headings_start_below_the_page_title(source, tag):
    walk = assert_safe(render(source).html)
    assert [e.tag for e in walk.elements] == [tag]


def test_headings_keep_their_distances_below_the_highest():
    walk = assert_safe(render("## A\n\n### B\n\n##### C\n\n## D\n\n###### E").html)
    assert [e.tag for e in walk.elements] == ["h2", "h3", "h5", "h2", "h6"]


def test_formatting_survives():
    walk = assert_safe(
        render(
            "**b** *i* ~~s~~ <del>d</del> <ins>n</ins> <kbd>k</kbd> <mark>m</mark> "
            '<sub>2</sub> <sup>3</sup> <small>s</small> <abbr title="t">A</abbr>\n\n'
            "---\n\n3. three\n4. four\n\n- x\n- y\n\nline  \nbreak"
        ).html
    )
    tags = {e.tag for e in walk.elements}
    assert {
        "strong", "em", "del", "ins", "kbd", "mark", "sub", "sup", "small", "abbr", "hr",
        "ol", "ul", "li", "br",
    } <= tags  # fmt: skip
    assert [e.attrs.get("start") for e in walk.find("ol")] == ["3"]
    assert [e.attrs["title"] for e in walk.find("abbr")] == ["t"]


def test_scripts_and_styles_lose_their_content():
    walk = assert_safe(render("<script>var secret = 1;</script><style>p{}</style>after").html)
    assert walk.text.strip() == "after"


# --- Embeds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "src"),
    [
        (f"https://www.youtube.com/watch?v={YOUTUBE_ID}", NOCOOKIE),
        (f"https://youtube.com/watch?v={YOUTUBE_ID}", NOCOOKIE),
        (f"https://www.youtube.com/watch?v={YOUTUBE_ID}&t=42s&list=PL123", NOCOOKIE),
        (f"https://www.youtube.com/watch?feature=share&v={YOUTUBE_ID}", NOCOOKIE),
        (f"https://m.youtube.com/watch?v={YOUTUBE_ID}&feature=share", NOCOOKIE),
        (f"https://youtu.be/{YOUTUBE_ID}", NOCOOKIE),
        (f"https://youtu.be/{YOUTUBE_ID}?t=42", NOCOOKIE),
        (f"https://youtu.be/{YOUTUBE_ID}?si=abcdef&t=1m2s", NOCOOKIE),
        (f"https://www.youtube.com/shorts/{YOUTUBE_ID}", NOCOOKIE),
        (f"https://www.youtube.com/embed/{YOUTUBE_ID}?start=30", NOCOOKIE),
        (f"https://www.youtube.com/live/{YOUTUBE_ID}", NOCOOKIE),
        (f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}", NOCOOKIE),
        (f"<https://youtu.be/{YOUTUBE_ID}>", NOCOOKIE),
        (f"   https://youtu.be/{YOUTUBE_ID}   ", NOCOOKIE),
        ("https://vimeo.com/76979871", VIMEO),
        ("https://www.vimeo.com/76979871/", VIMEO),
        ("https://vimeo.com/76979871#t=30s", VIMEO),
        ("https://player.vimeo.com/video/76979871", VIMEO),
        ("https://player.vimeo.com/video/76979871?h=abc123", VIMEO),
    ],
)
def test_a_video_link_alone_on_its_line_becomes_one_embed(line, src):
    rendered = render(f"Before.\n{line}\nAfter.")
    walk = assert_safe(rendered.html)
    [iframe] = walk.find("iframe")
    assert iframe.attrs["src"] == src
    assert iframe.attrs["referrerpolicy"] == "strict-origin-when-cross-origin"
    assert iframe.parent.tag == "div" and iframe.parent.parent is None
    assert [p.text for p in walk.find("p")] == ["Before.", "After."]
    assert "CHEMBED" not in rendered.html


@pytest.mark.parametrize(
    "text",
    [
        f"Watch https://youtu.be/{YOUTUBE_ID} now",
        f"[the lecture](https://youtu.be/{YOUTUBE_ID})",
        f"```\nhttps://youtu.be/{YOUTUBE_ID}\n```",
        f"~~~\nhttps://youtu.be/{YOUTUBE_ID}\n~~~",
        f"```python\nhttps://youtu.be/{YOUTUBE_ID}\n```",
        f"~~~\n```\nhttps://youtu.be/{YOUTUBE_ID}\n~~~",  # ``` does not close ~~~
        f"````\n```\nhttps://youtu.be/{YOUTUBE_ID}\n````",  # nor does ``` close ````
        f"Code:\n\n    https://youtu.be/{YOUTUBE_ID}",
        f"Code:\n\n\thttps://youtu.be/{YOUTUBE_ID}",
        f"> https://youtu.be/{YOUTUBE_ID}",
        f"- https://youtu.be/{YOUTUBE_ID}",
        f"`https://youtu.be/{YOUTUBE_ID}`",
        f"http://youtu.be/{YOUTUBE_ID}",  # embeds are built from https links only
        f"see\u2028https://youtu.be/{YOUTUBE_ID}",  # one line to Markdown
        "https://example.com/lecture.mp4",
        "https://example.com/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UC1234567890",
        f"https://youtube.com.evil.example/watch?v={YOUTUBE_ID}",
        f"https://evil.example/?u=https://youtu.be/{YOUTUBE_ID}",
        f"https://youtube.com@evil.example/watch?v={YOUTUBE_ID}",
        "https://vimeo.com/76979871/abcdef",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_other_video_links_do_not_embed(text):
    rendered = render(text)
    walk = assert_safe(rendered.html)
    assert not walk.find("iframe")
    assert "CHEMBED" not in rendered.html


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"```\nhttps://youtu.be/{YOUTUBE_ID}\n```", f"https://youtu.be/{YOUTUBE_ID}\n"),
        (f"~~~\n```\nhttps://youtu.be/{YOUTUBE_ID}\n~~~", f"```\nhttps://youtu.be/{YOUTUBE_ID}\n"),
        (
            f"````\n```\nhttps://youtu.be/{YOUTUBE_ID}\n````",
            f"```\nhttps://youtu.be/{YOUTUBE_ID}\n",
        ),
        (
            f"```\nintro\n\n   https://youtu.be/{YOUTUBE_ID}\n```",
            f"intro\n\n   https://youtu.be/{YOUTUBE_ID}\n",
        ),
    ],
)
def test_a_video_link_in_fenced_code_is_shown_as_typed(text, shown):
    walk = assert_safe(render(text).html)
    [code] = walk.find("code")
    assert code.text == shown


def test_a_video_link_inside_raw_html_stays_as_typed():
    rendered = render(f"<div>\nhttps://youtu.be/{YOUTUBE_ID}\n</div>")
    walk = assert_safe(rendered.html)
    assert not walk.find("iframe")
    assert f"https://youtu.be/{YOUTUBE_ID}" in walk.text
    assert "CHEMBED" not in rendered.html


def test_several_embeds_keep_their_order_and_the_text_between():
    rendered = render(
        f"https://youtu.be/{YOUTUBE_ID}\r\nMiddle text.\r\nhttps://vimeo.com/76979871\r\n"
        f"\nhttps://youtu.be/{YOUTUBE_ID}"
    )
    walk = assert_safe(rendered.html)
    assert [i.attrs["src"] for i in walk.find("iframe")] == [NOCOOKIE, VIMEO, NOCOOKIE]
    assert [p.text for p in walk.find("p")] == ["Middle text."]


def test_many_embeds_each_become_an_iframe():
    # Tokens N1 and N10 must not be mistaken for each other.
    lines = [f"https://youtu.be/{YOUTUBE_ID}"] * 6 + ["https://vimeo.com/76979871"] * 6
    rendered = render("\n".join(lines))
    walk = assert_safe(rendered.html)
    assert [i.attrs["src"] for i in walk.find("iframe")] == [NOCOOKIE] * 6 + [VIMEO] * 6
    assert rendered.word_count == 0
    assert "CHEMBED" not in rendered.html


def test_an_embed_after_a_fence_closes():
    walk = assert_safe(
        render(f"```\ncode\n```\nhttps://youtu.be/{YOUTUBE_ID}\n~~~\nmore\n~~~").html
    )
    assert len(walk.find("iframe")) == 1


@pytest.mark.parametrize(
    ("url", "kind", "embed"),
    [
        (f"https://youtu.be/{YOUTUBE_ID}", "youtube", NOCOOKIE),
        ("https://vimeo.com/76979871", "vimeo", VIMEO),
        ("https://example.com/lecture.mp4", "file", "https://example.com/lecture.mp4"),
    ],
)
def test_video_source(url, kind, embed):
    source = video_source(url)
    assert (source.kind, source.embed_url) == (kind, embed)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/lecture.mp4",
        "javascript:alert(1)",
        "https://",
        "not a url",
        "https://www.youtube.com/watch?v=short",
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}%0A",
        "https://vimeo.com/abc",
        "https://vimeo.com/١٢٣",
    ],
)
def test_video_source_refuses(url):
    with pytest.raises(ValueError):
        video_source(url)


def test_video_source_start_times():
    assert video_source(f"https://youtu.be/{YOUTUBE_ID}").at(90) == f"{NOCOOKIE}?start=90"
    assert video_source("https://vimeo.com/76979871").at(90) == f"{VIMEO}#t=90s"
    assert video_source("https://example.com/a.mp4").at(0) == "https://example.com/a.mp4"


# --- Citations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "seconds"),
    [("0:00", 0), ("0:59", 59), ("14:05", 845), ("1:02:03", 3723), ("10:00:00", 36000)],
)
def test_parse_clock(clock, seconds):
    assert parse_clock(clock) == seconds


@pytest.mark.parametrize(
    ("citation", "video_id", "seconds"),
    [
        ("[[video:12@14:05]]", 12, 845),
        ("[[video:12@1:02:03]]", 12, 3723),
        ("[[video:7@0:00]]", 7, 0),
    ],
)
def test_a_known_citation_links_to_its_moment(citation, video_id, seconds):
    rendered = render(f"As shown in {citation}, we see.")
    walk = assert_safe(rendered.html)
    [link] = walk.find("a")
    assert link.attrs == {"class": "citation", "href": f"/videos/{video_id}?t={seconds}"}
    assert rendered.citations == [(video_id, seconds)]


def test_a_citation_past_the_end_of_the_video_stays_text():
    rendered = render("[[video:7@50:00:00]] and [[video:7@50:00:01]]", cited_videos=known_videos)
    assert rendered.citations == [(7, 180000)]
    assert "[[video:7@50:00:01]]" in Walk(rendered.html).text


@pytest.mark.parametrize(("typed", "shown"), [("00:30", "0:30"), ("01:02:03", "1:02:03")])
def test_a_citation_shows_its_moment_as_players_do(typed, shown):
    [link] = assert_safe(render(f"[[video:7@{typed}]]").html).find("a")
    assert link.text == f"▶ Intro · {shown}"


def test_a_citation_title_is_escaped():
    rendered = render("[[video:12@14:05]]")
    walk = assert_safe(rendered.html)
    [link] = walk.find("a")
    assert link.text == '▶ Mirror <b>neurons</b> & "empathy" · 14:05'
    assert not link.children
    assert "<b>" not in rendered.html


def test_citations_are_listed_in_order_without_unknown_videos():
    rendered = render(
        "[[video:7@0:10]] then [[video:99@0:01]], [[video:12@1:00]].\n\n"
        "- [[video:7@0:10]]\n\n| c |\n|---|\n| [[video:12@2:00]] |\n\n## [[video:7@1:00:00]]"
    )
    assert rendered.citations == [(7, 10), (12, 60), (7, 10), (12, 120), (7, 3600)]
    walk = assert_safe(rendered.html)
    assert len([a for a in walk.find("a") if "citation" in a.classes]) == 5
    assert "[[video:99@0:01]]" in walk.text


@pytest.mark.parametrize(
    "text",
    [
        "[[video:99@1:00]]",
        "`[[video:12@1:00]]`",
        "```\n[[video:12@1:00]]\n```",
        "    [[video:12@1:00]]",
        "<pre>[[video:12@1:00]]</pre>",
        "[see [[video:12@1:00]]](https://example.com)",
        '[see](https://example.com "[[video:12@1:00]]")',
        "![[[video:12@1:00]]](https://example.com/a.png)",
        '<abbr title="[[video:12@1:00]]">x</abbr>',
        "[[video:12@1:2]]",
        "[[video:12@99:99]]",
        "[[video:12@1:60:00]]",
        "[[video:12@]]",
        "[[video:x@1:00]]",
        "[[video:١٢@1:00]]",
        "[[ video:12@1:00 ]]",
        "[video:12@1:00]",
    ],
)
def test_citations_stay_as_typed_where_they_cannot_link(text):
    rendered = render(text)
    walk = assert_safe(rendered.html)
    assert rendered.citations == []
    assert not [a for a in walk.find("a") if "citation" in a.classes]


def test_citations_stay_as_typed_in_code_next_to_ones_that_link():
    rendered = render("`[[video:12@1:00]]` and [[video:12@2:00]]\n\n```\n[[video:7@0:01]]\n```")
    walk = assert_safe(rendered.html)
    assert [c.text for c in walk.find("code")] == ["[[video:12@1:00]]", "[[video:7@0:01]]\n"]
    assert rendered.citations == [(12, 120)]


def test_cited_videos_is_asked_only_about_citations_that_can_link():
    asked = []

    def videos(ids):
        asked.append(set(ids))
        return known_videos(ids)

    render(
        '[[video:12@1:00]] `[[video:7@1:00]]` [x](https://e.com "[[video:5@1:00]]") '
        "[[video:99@1:00]]",
        cited_videos=videos,
    )
    assert asked == [{12, 99}]
    asked.clear()
    render("no citations here", cited_videos=videos)
    assert asked == []


def test_without_cited_videos_citations_stay_text():
    rendered = render_markdown("[[video:12@1:00]]", id_prefix="c1-")
    assert rendered.citations == []
    assert "[[video:12@1:00]]" in Walk(rendered.html).text
