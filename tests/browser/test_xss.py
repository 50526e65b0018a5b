"""Stored XSS: no payload of xss_payloads.json runs on any page that shows it."""

# Payloads are saved through the services, as users save text, then every page that
# shows them is loaded in Chromium twice: as served, and with its Content-Security-Policy
# stripped, so that the sanitizer is shown to hold on its own. A payload that ran calls
# alert(), logs XSS-CANARY or asks for CANARY_URL (a closed port on this machine).
# Pages are also inspected for markup sanitized text never has (event-handler
# attributes, javascript: URLs, scripts, foreign frames): payloads that need a click.

import json
import math
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from coursehub.accounts import services as accounts
from coursehub.accounts.models import DISPLAY_NAME_MAX
from coursehub.blogs import services as blogs
from coursehub.courses import services as courses
from coursehub.courses.models import TITLE_MAX
from coursehub.courses.services import SegmentSpec, TopicSpec
from coursehub.courses.views import ROSTER_PAGE_SIZE
from coursehub.db import utcnow
from coursehub.extensions import db
from coursehub.participation import services as participation
from coursehub.participation.models import REASON_MAX
from coursehub.rendering import render_markdown
from coursehub.security import FRAME_SOURCES
from tests.factories import PASSWORD

PAYLOADS: list[str] = json.loads((Path(__file__).parent / "xss_payloads.json").read_text())
CANARY_URL = "http://127.0.0.1:9/canary"
CANARY_TEXT = "XSS-CANARY"
# Payloads per post body, prompt and editor preview. Every payload is also a comment of
# its own, so batching saves pages without losing isolation.
BATCH_SIZE = 20
# Template syntax must come out as the literal text typed, never evaluated.
TEMPLATE = re.compile(r"\{\{|\{%|\$\{|#\{|<%")
# Real mouse moves wait for a frame (~20 ms each), so only the first screens get them.
MOUSE_SCREENS = 2
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FILE_VIDEO = "https://example.org/lecture.mp4?a=\"><script>alert(1)</script>&b='onerror='alert(1)"
EMBED_HOSTS = sorted(urlsplit(source).netloc for source in FRAME_SOURCES.split())


# --- What users type, where -----------------------------------------------------------


def typed(text: str, *, single_line: bool = False) -> str:
    """Text as a form hands it to a service: without NUL (coursehub.forms strips it),
    and without line breaks where the field is an <input>, which drops them."""
    text = text.replace("\x00", "")
    return re.sub(r"[\r\n]", "", text) if single_line else text


def pack(texts: list[str], limit: int) -> list[str]:
    """Single-line texts joined by spaces into as few strings of at most `limit`
    characters as possible; a text longer than the limit cannot be typed there."""
    packed: list[str] = []
    for text in (typed(t, single_line=True).strip() for t in texts):
        if not text or len(text) > limit:
            continue
        if packed and len(packed[-1]) + 1 + len(text) <= limit:
            packed[-1] += " " + text
        else:
            packed.append(text)
    return packed


def batches(payloads: list[str], size: int) -> list[str]:
    """Markdown texts of up to `size` payloads, each after a marker paragraph.

    A payload after which Markdown no longer reads Markdown (an unclosed <body> makes
    the rest raw HTML, an unclosed <style> in MathML hides it) goes last in its batch,
    and every batch must show all its markers: each payload is really tested in its
    batch, not swallowed by a neighbour.
    """
    indexed = [(i, typed(p)) for i, p in enumerate(payloads)]
    disrupts = {i for i, text in indexed if "<em>END</em>" not in _render(f"{text}\n\n*END*")}
    plain = [item for item in indexed if item[0] not in disrupts]
    last = [item for item in indexed if item[0] in disrupts]
    count = max(math.ceil(len(indexed) / size), len(last))
    groups = [plain[k::count] for k in range(count)]
    for k, item in enumerate(last):
        groups[k].append(item)
    texts = []
    for group in groups:
        text = "\n\n".join(f"{_marker(i)}\n\n{payload}" for i, payload in group)
        shown = _render(text)
        hidden = [i for i, _ in group if _marker(i) not in shown]
        assert not hidden, f"payloads before {hidden} hide the rest of their batch"
        texts.append(text)
    return texts


def _marker(index: int) -> str:
    return f"Payload {index} follows."


def _render(text: str) -> str:
    return render_markdown(text, id_prefix="check-").html


# --- The course full of payloads ------------------------------------------------------


@dataclass
class Visit:
    """A page to load as `user`, and texts it must show verbatim: {selector: texts}."""

    label: str
    user: str
    path: str
    shows: dict[str, list[str]] = field(default_factory=dict)
    roster: bool = False  # one of the people pages, which show `Scene.people` between them


@dataclass
class Scene:
    instructor: str
    student: str
    assignment_id: int
    batches: list[str]
    comments: dict[int, str]  # comment id -> payload
    people: list[str]  # display names
    visits: list[Visit]


def build_scene(payloads: list[str]) -> Scene:
    """Every payload in every kind of text a user can write, saved through the services.

    Single-line fields (titles, names, reasons) get the payloads packed into as few
    values as fit, spread over as many courses, chapters, videos, assignments, posts,
    people and overrides; bodies and prompts get batches; each payload is a comment.
    """
    now = utcnow()
    titles = pack(payloads, TITLE_MAX)
    names = pack(payloads, DISPLAY_NAME_MAX)
    reasons = pack(payloads, REASON_MAX)
    texts = batches(payloads, BATCH_SIZE)
    assert len(names) > len(titles) >= len(texts), "too few people to write every title"
    # Assignments with a batch for a prompt; the other titles name assignments elsewhere.
    batch_titles, other_titles = titles[: len(texts)], titles[len(texts) :]

    def person(username: str, name: str):
        return accounts.register_user(username, f"{username}@example.org", PASSWORD, name, now)

    instructor = person("ines", names[0])
    students = [person(f"s{k:03d}", name) for k, name in enumerate(names[1:])]
    everything = "\n".join(typed(p) for p in payloads)
    course = courses.create_course(instructor, "XSS 101", titles[0], everything, now)
    other = courses.create_course(instructor, "XSS 102", titles[1], titles[1], now)
    for k, title in enumerate(titles[2:], start=3):
        courses.create_course(instructor, f"XSS {100 + k}", title, title, now)
    for student in students:
        courses.join_course(student, course.join_code, now)
    courses.join_course(students[0], other.join_code, now)

    slugs, topics = set(), [TopicSpec("Structures", titles[0])]
    for name in names[:8]:  # a sample: a chapter has at most 30 topics
        if courses.slugify(name) and courses.slugify(name) not in slugs:
            slugs.add(courses.slugify(name))
            topics.append(TopicSpec(name, titles[len(topics)]))
    chapter = courses.create_chapter(course, 1, titles[0], titles[0], topics)
    for number, title in enumerate(titles[1:], start=2):
        courses.create_chapter(course, number, title, title, [])
    segments = [SegmentSpec(10 * k, title) for k, title in enumerate(titles)]
    videos = [courses.create_video(chapter, titles[0], YOUTUBE, 3600, segments)]
    videos += [courses.create_video(chapter, title, YOUTUBE, 60, []) for title in titles[1:]]
    file_video = courses.create_video(chapter, titles[1], FILE_VIDEO, 60, [SegmentSpec(5, "x")])

    topic_ids = tuple(topic.id for topic in chapter.topics)
    rules = {"min_words": 5, "required_comments": 2, "comment_min_words": 3}
    points = {"post_points": 10, "comment_points": 5}
    assignments = [
        blogs.create_assignment(
            chapter, blogs.AssignmentSpec(title, text, topic_ids, **rules, **points), now
        )
        for title, text in zip(batch_titles, texts, strict=True)
    ]
    other_chapter = courses.create_chapter(other, 1, "Assignment titles", "", [])
    for title in other_titles:
        blogs.create_assignment(other_chapter, blogs.AssignmentSpec(title), now)

    topic = [topic_ids[0]]
    citations = "\n\n".join(f"Cited: [[video:{video.id}@0:01]]" for video in videos)
    # The first post starts as the last batch and is edited into the first, with a
    # citation of every video: its revision page shows one batch, the post another.
    posts = [blogs.create_post(students[0], assignments[0], titles[0], texts[-1], topic, True, now)]
    blogs.update_post(posts[0], titles[0], f"{texts[0]}\n\n{citations}", topic, True, now)
    posts += [
        blogs.create_post(students[k], assignments[k], title, text, topic, True, now)
        for k, (title, text) in enumerate(zip(batch_titles, texts, strict=True))
        if k
    ]
    short = "A short post on how brain structures connect."
    peer_posts = [
        blogs.create_post(student, assignments[0], title, short, topic, True, now)
        for student, title in zip(students[len(texts) :], other_titles, strict=False)
    ]

    comments: dict[int, str] = {}
    previous = None
    for k, payload in enumerate(payloads):
        author = students[1 + k % (len(students) - 1)]  # never the post's author
        parent = previous.id if previous is not None and k % 4 == 3 else None
        previous = blogs.add_comment(author, posts[0], typed(payload), parent, now)
        comments[previous.id] = payload
    blogs.add_comment(students[0], peer_posts[0], texts[-1], None, now)  # for grading
    for student, reason in zip(students, reasons, strict=False):
        participation.set_override(instructor, assignments[0], student.id, 1, reason, now)
    db.session.commit()

    staff, sofia = instructor.username, students[0].username
    first = assignments[0].id
    roster_pages = math.ceil((1 + len(students)) / ROSTER_PAGE_SIZE)
    headings = [f"Chapter {number}: {title}" for number, title in enumerate(titles, start=1)]
    visits = [
        Visit("course list", staff, "/", {"main h2": titles}),
        Visit(
            "course page",
            staff,
            f"/courses/{course.id}",
            {"h1": [titles[0]], ".chapter-list h3": headings},
        ),
        *(
            Visit(f"people page {n}", staff, f"/courses/{course.id}/people?page={n}", roster=True)
            for n in range(1, roster_pages + 1)
        ),
        Visit(
            "chapter page",
            staff,
            f"/chapters/{chapter.id}",
            {
                "h1": [titles[0]],
                ".video-list h3": titles,
                ".card-list h3": batch_titles,
                ".topic-list h3": [topic.name for topic in topics],
            },
        ),
        *(
            Visit(f"assignment {k}", staff, f"/assignments/{a.id}", {"h1": [a.title]})
            for k, a in enumerate(assignments, start=1)
        ),
        *(
            Visit(f"post {k}", staff, f"/posts/{p.id}", {"#post-title": [p.title]})
            for k, p in enumerate(posts, start=1)
        ),
        Visit("post revisions", staff, f"/posts/{posts[0].id}/revisions"),
        Visit(
            "video page",
            staff,
            f"/videos/{videos[0].id}",
            {"h1": [titles[0]], ".segments .title": titles},
        ),
        Visit("file video page", staff, f"/videos/{file_video.id}", {"h1": [titles[1]]}),
        Visit("topic page", staff, f"/topics/{topic_ids[0]}"),
        Visit(
            "participation", staff, f"/assignments/{first}/participation", {"tbody th": names[1:]}
        ),
        Visit(
            "grading page",
            staff,
            f"/assignments/{first}/participation/{students[0].id}",
            {"h1": [names[1]]},
        ),
        Visit(
            "gradebook",
            staff,
            f"/courses/{course.id}/gradebook",
            {"tbody th": names[1:], "thead th a": batch_titles},
        ),
        Visit(
            "other gradebook", staff, f"/courses/{other.id}/gradebook", {"thead th a": other_titles}
        ),
        Visit(
            "other chapter", staff, f"/chapters/{other_chapter.id}", {".card-list h3": other_titles}
        ),
        Visit(
            "assignment as a student",
            sofia,
            f"/assignments/{first}",
            {"#posts-heading ~ .post-list .post-title": [titles[0], *other_titles]},
        ),
        Visit("post as its author", sofia, f"/posts/{posts[0].id}", {"#post-title": [titles[0]]}),
        Visit("notifications", sofia, "/notifications"),
        Visit(
            "course page as a student",
            sofia,
            f"/courses/{other.id}",
            {".progress h3": other_titles},
        ),
    ]
    return Scene(staff, sofia, first, texts, comments, names, visits)


# --- Looking at a page ----------------------------------------------------------------

# Fires every inline handler the page has, by dispatching the event each `on…`
# attribute names: a handler found by INSPECT then also shows it runs.
POKE = """() => {
  const hot = [...document.querySelectorAll("*")].filter(
    (el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith("on")));
  for (const el of hot) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (!name.startsWith("on")) continue;
      try { el.dispatchEvent(new Event(name.slice(2))); } catch (e) {}
      try { window.dispatchEvent(new Event(name.slice(2))); } catch (e) {}
    }
    try { el.focus(); } catch (e) {}
  }
}"""

# Markup that sanitized user text never produces; the app's own markup has none of it.
INSPECT = """([embedHosts]) => {
  const problems = [];
  const report = (what, el) => problems.push(`${what}: ${el.outerHTML.replace(/\\s+/g, " ")}`
    .slice(0, 300));
  const urlOf = (value) => {
    try { return new URL(value, document.baseURI); } catch (e) { return null; }
  };
  const own = (url) => url && url.origin === location.origin && url.pathname.startsWith("/static/");
  const safe = ["http:", "https:", "mailto:"];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "poster", "background",
    "ping", "codebase", "cite", "srcset", "xlink:href", "lowsrc", "dynsrc", "longdesc",
    "manifest", "icon", "archive", "classid", "usemap"];
  const badStyle = /url\\s*\\(|expression|behavior|binding|@import|script:/i;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) report(`event handler ${name}`, el);
      else if (name === "srcdoc") report("srcdoc", el);
      else if (name === "style" && badStyle.test(attr.value)) report("style", el);
      else if (urlAttributes.includes(name)) {
        const values = ["srcset", "ping"].includes(name)
          ? attr.value.split(",").map((part) => part.trim().split(/\\s+/)[0]) : [attr.value];
        for (const url of values.map(urlOf))
          if (url && !safe.includes(url.protocol)) report(`${url.protocol} in ${name}`, el);
      }
    }
  }
  for (const el of document.querySelectorAll("script"))
    if (!own(urlOf(el.getAttribute("src") || "")) || el.textContent.trim()) report("script", el);
  for (const el of document.querySelectorAll("link"))
    if (!own(urlOf(el.getAttribute("href") || ""))) report("link", el);
  for (const el of document.querySelectorAll("iframe, frame")) {
    const url = urlOf(el.getAttribute("src") || "");
    if (!url || url.protocol !== "https:" || !embedHosts.includes(url.host)) report("frame", el);
  }
  for (const el of document.querySelectorAll(
      "base, object, embed, applet, frameset, portal, meta[http-equiv], style, .prose :is(form, " +
      "input, button, textarea, select, svg, math, template, video, audio, source, picture, " +
      "noscript, details, marquee, keygen, dialog, iframe:not(div.embed > iframe))"))
    report(el.localName, el);
  return problems;
}"""


def exercise(page) -> None:
    """Do what a reader does: scroll through the page (lazy images and frames load) with
    the mouse crossing the first screens, and fire every handler that needs an event.
    Real mouse moves are slow; POKE reaches every handler wherever it is."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    full = page.evaluate("document.documentElement.scrollHeight")
    for screen, top in enumerate(range(0, full, int(height * 0.9))):
        page.evaluate("top => window.scrollTo(0, top)", top)
        if screen < MOUSE_SCREENS:
            page.mouse.move(5, 5)
            page.mouse.move(width - 5, height - 5, steps=2)
    page.evaluate(POKE)


def signals(events, strip_csp: bool) -> list[str]:
    """Signs that a payload ran, or tried to and only the CSP stopped it."""
    found = [f"dialog opened: {dialog}" for dialog in events.dialogs]
    found += [f"console: {line}" for line in events.console if CANARY_TEXT in line]
    found += [f"request: {url}" for url in events.requests if _is_canary(url)]
    found += [
        f"off-site request that is not https: {url}"
        for url in events.refused
        if not url.startswith("https://") and not _is_canary(url)
    ]
    found += [f"uncaught error: {error}" for error in events.page_errors]
    found += [f"popup: {url}" for url in events.popups]
    # Table cells' text-align is the one inline style sanitized text has.
    found += [
        f"CSP stopped: {violation}"
        for violation in events.csp_violations
        if not violation.startswith("style-src-attr")
    ]
    if strip_csp and events.csp_violations:
        found.append(f"the CSP was not stripped: {events.csp_violations[0]}")
    return found


def _is_canary(url: str) -> bool:
    parts = urlsplit(url)
    return parts.netloc == "127.0.0.1:9" or parts.path.startswith("/canary")


def _normal(text: str) -> str:
    return " ".join(text.split())


def _mode(tab) -> str:
    return "without CSP" if tab.strip_csp else "with CSP"


def look(tabs, label: str, secret: str, start, finish=None, check=None) -> list[str]:
    """Do the same in each tab (the page as served, and without its CSP): `start(tab)`
    opens or changes the page, `finish(tab)` waits for it; then exercise the pages,
    wait for handlers that fire late, and report what ran or should not be there,
    and what `check(tab)` finds."""
    from playwright.sync_api import Error  # only where a browser runs

    problems: list[tuple] = []

    def attempt(tab, step: str, function, *args) -> None:
        try:
            problems.extend((tab, problem) for problem in function(*args) or [])
        except Error as error:  # what a payload that ran could do to the page
            problems.append((tab, f"{step} failed: {error.message.splitlines()[0]}"))

    for tab in tabs:
        tab.events.clear()
        attempt(tab, "opening", start, tab)
    for tab in tabs:
        if finish:
            attempt(tab, "waiting", finish, tab)
        attempt(tab, "exercising", exercise, tab.page)
    urls = [tab.page.url for tab in tabs]
    tabs[0].page.wait_for_timeout(300)  # animations, lazy loads; events of every tab arrive
    for tab, url in zip(tabs, urls, strict=True):
        problems += [(tab, problem) for problem in signals(tab.events, tab.strip_csp)]
        attempt(tab, "inspecting", inspect_page, tab.page, url, secret)
        if check:
            attempt(tab, "checking", check, tab)
    return [f"[{_mode(tab)}] {label}: {problem}" for tab, problem in problems]


def inspect_page(page, url: str, secret: str) -> list[str]:
    problems = page.evaluate(INSPECT, [EMBED_HOSTS])
    if page.url != url:
        problems.append(f"navigated away to {page.url}")
    if secret in page.content():
        problems.append("the SECRET_KEY is on the page")
    return problems


def _goto(path: str):
    def start(tab) -> list[str]:
        response = tab.page.goto(path, wait_until="load")
        status = response.status if response else None
        if status != 200:
            return [f"{path} answered {status}"]
        csp = response.header_value("content-security-policy")
        return [f"Content-Security-Policy is {csp!r}"] if (csp is None) != tab.strip_csp else []

    return start


def shown(tab, selector: str) -> set[str]:
    return {_normal(text) for text in tab.page.locator(selector).all_inner_texts()}


def verbatim(tab, shows: dict[str, list[str]]) -> list[str]:
    """The texts the page must show exactly as typed: escaped, not stripped or mangled."""
    problems = []
    for selector, texts in shows.items():
        seen = shown(tab, selector)
        missing = [text for text in texts if _normal(text) not in seen]
        if missing:
            problems.append(
                f"{len(missing)} of {len(texts)} texts are not shown as typed in {selector}, "
                f"e.g. {missing[0]!r}"
            )
    return problems


def literal_templates(tab, comments: dict[int, str]) -> list[str]:
    """Template syntax in comments reads as typed: {{7*7}} never becomes 49."""
    problems = []
    for comment_id, payload in comments.items():
        if "7*7" not in payload:
            continue
        texts = tab.page.locator(f"#comment-{comment_id} > article .comment-body").all_inner_texts()
        text = texts[0] if texts else "(not on the page)"
        exact = payload != "{{7*7}}" or text.strip() == payload
        if "49" in text or "7*7" not in text or not exact:
            problems.append(f"template {payload!r} shows as {text!r}")
    return problems


def _type_batch(text: str):
    def start(tab) -> list[str]:
        # The preview is replaced when the server's rendering arrives.
        tab.page.evaluate("document.querySelector('[data-preview]').innerHTML = '<p id=stale>'")
        tab.page.locator("textarea[name=body]").fill(text)
        return []

    def finish(tab) -> list[str]:
        tab.page.locator("#stale").wait_for(state="detached")
        return []

    return start, finish


# --- Tests ----------------------------------------------------------------------------


def _decoded(payload: str) -> str:
    return unquote(unescape(unescape(payload))).lower()


def test_corpus_is_large_and_every_payload_would_signal():
    assert len(PAYLOADS) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    signs = ("alert(", CANARY_TEXT.lower(), CANARY_URL)
    silent = [
        payload
        for payload in PAYLOADS
        if not TEMPLATE.search(payload) and not any(s in _decoded(payload) for s in signs)
    ]
    assert not silent, f"payloads that would run unnoticed: {silent}"
    shapes = [
        "{{7*7}}", "[[video:", "youtube.com", "vimeo.com", "srcdoc", "formaction", "http-equiv",
        "<base", "<math", "<svg><script", "<noscript", "]: javascript:", "<javascript:", "\x00",
        "\t", "&#", "<!--", "CDATA", "onbegin", "autofocus", "![", '"onerror="',
    ]  # fmt: skip
    assert not [shape for shape in shapes if not any(shape in p for p in PAYLOADS)]


def test_harness_sees_script_that_runs(open_tab):
    """The detectors catch script that runs, and the two modes are what they claim:
    served pages have the CSP and it blocks inline script; stripped pages do not."""
    inject = f"""() => {{
      const box = document.createElement("div");
      box.className = "prose";
      box.innerHTML = '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a>';
      document.body.append(box);
      const script = document.createElement("script");
      script.textContent = 'console.log("{CANARY_TEXT}"); fetch("{CANARY_URL}")';
      document.body.append(script);
    }}"""
    served, stripped = open_tab(), open_tab(strip_csp=True)

    def start(tab) -> list[str]:
        problems = _goto("/accounts/login")(tab)
        tab.page.evaluate(inject)
        return problems

    found = "\n".join(look([served, stripped], "login page", "no secret here", start))
    for mode in ("with CSP", "without CSP"):
        assert f"[{mode}] login page: event handler onerror" in found
        assert f"[{mode}] login page: javascript: in href" in found
    assert "[with CSP] login page: CSP stopped: script-src-attr" in found
    assert "[with CSP] login page: CSP stopped: script-src-elem" in found
    assert "[with CSP] login page: dialog" not in found
    assert "[with CSP] login page: request" not in found
    assert "[without CSP] login page: dialog opened: alert: 1" in found
    assert f"[without CSP] login page: console: log: {CANARY_TEXT}" in found
    assert f"[without CSP] login page: request: {CANARY_URL}" in found
    assert "[without CSP] login page: CSP stopped" not in found


def test_no_payload_runs_on_any_page(open_tab, app, monkeypatch):
    monkeypatch.setattr("coursehub.blogs.views.POSTS_PER_PAGE", 1000)  # every title on one page
    monkeypatch.setattr("coursehub.participation.views.GRADEBOOK_PAGE_SIZE", 1000)  # every name
    scene = build_scene(PAYLOADS)
    literal = "{{7*7}}"
    assert literal in scene.comments.values()
    assert any(
        literal in text for v in scene.visits for texts in v.shows.values() for text in texts
    )
    secret = app.config["SECRET_KEY"]
    users = (scene.instructor, scene.student)
    tabs = {user: [open_tab(user), open_tab(user, strip_csp=True)] for user in users}
    problems: list[str] = []
    people: dict[bool, set[str]] = {False: set(), True: set()}  # by strip_csp
    for item in scene.visits:

        def check(tab, item=item) -> list[str]:
            if item.roster:
                people[tab.strip_csp] |= shown(tab, "td")
            found = verbatim(tab, item.shows)
            if item.label == "post as its author":
                found += literal_templates(tab, scene.comments)
            return found

        problems += look(tabs[item.user], item.label, secret, _goto(item.path), check=check)
    for strip_csp, seen in people.items():
        missing = [name for name in scene.people if _normal(name) not in seen]
        if missing:
            mode = "without CSP" if strip_csp else "with CSP"
            problems.append(
                f"[{mode}] people pages: {len(missing)} names not shown as typed, "
                f"e.g. {missing[0]!r}"
            )

    editor = tabs[scene.student]
    problems += look(editor, "editor", secret, _goto(f"/assignments/{scene.assignment_id}/write"))
    for k, text in enumerate(scene.batches, start=1):
        problems += look(editor, f"editor preview of batch {k}", secret, *_type_batch(text))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])
