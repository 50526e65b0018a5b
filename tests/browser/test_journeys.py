"""Journeys through CourseHub in Chromium, checked against what each page shows."""

# One long journey follows a course from the instructor's registration to the Canvas
# CSV: building the course, two students writing with the live preview and talking in
# the thread (post-before-viewing on), participation by the rules, an override. Shorter
# tests cover post-before-viewing on the assignment, post and topic pages, and seeking
# a lecture video from its segments.

import csv
import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from coursehub.accounts.models import User
from coursehub.audit.models import AuditEvent
from coursehub.blogs.models import Assignment
from coursehub.courses import services as courses
from coursehub.courses.models import Course
from coursehub.courses.services import SegmentSpec
from coursehub.extensions import db
from coursehub.participation.models import ParticipationOverride
from tests import factories
from tests.factories import PASSWORD

COURSE = "Introduction to Neuroscience"
CHAPTER = "Chapter 4: Structures, Connections, Functions"
TOPICS = ["Structures", "Connections", "Functions"]
VIDEO = "A tour of the brain, bottom to top"
SEGMENTS = """\
0:00 Why map the brain at all?
3:45 Brainstem and cerebellum [Structures]
12:20 The thalamus as a relay [Structures]
21:05 Crossing over: the corpus callosum [Connections]
33:30 What lesions can and cannot tell us [Functions]
"""
ASSIGNMENT = "Blog 4: One structure, one surprise"
PROMPT = """\
Choose **one** structure from this chapter and write about a finding that surprised you.
Say how it was found, and what it does *not* show. List your sources as footnotes.
"""

# Maya's post: 27 + 4 + 22 words, and 8 in the footnote: 61 (the image's alt text and
# the footnote marker do not count). The image goes where the cursor is: the blank line.
MAYA_TITLE = "The Hippocampus Keeps a Map"
MAYA_FIRST = (
    "Place cells in the hippocampus fire when a rat stands in one particular spot of its "
    "box, as if each cell marked a place on a map.[^1]\n"
)
MAYA_REST = """
## Why it surprised me

I expected memory and navigation to live in different parts of the brain. Instead the
same small structure seems to do both.

[^1]: O'Keefe and Dostrovsky described place cells in 1971.
"""
MAYA_ALT = "A box seen from above, with the place field of one cell shaded"
MAYA_WORDS = 61
# Jonas's post: 33 words, short of the 40 the assignment asks for.
JONAS_TITLE = "Two Halves, One Brain"
JONAS_POST = (
    "The corpus callosum joins the two hemispheres. When surgeons cut it to stop seizures, "
    "each half of the brain could still work on its own, but the halves stopped sharing "
    "what they knew."
)
JONAS_WORDS = 33
JONAS_COMMENT = "Did the place cells keep their map when the rat was moved to a new box?"  # 16
MAYA_COMMENT = (  # 15 words
    "A clear summary. Which tests showed that the halves no longer shared what they knew?"
)
MAYA_REPLY = "They drew a new map within minutes, and the old one came back in the old box."
JONAS_REPLY = "Thanks, that makes sense."  # 4 words: not a qualifying comment, on no new post
OVERRIDE_REASON = "Finished the post on paper in the lab session; checked in class."


def expect(target):
    """Playwright's expect, imported only where a browser runs (as in conftest), so that
    without Playwright these tests skip instead of failing to import."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def text(locator) -> str:
    return " ".join(locator.inner_text().split())


def table(page, selector: str = "table.grades") -> list[list[str]]:
    """The body rows of a table as the reader sees them, whitespace collapsed."""
    return page.locator(f"{selector} tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map("
        "cell => cell.innerText.replace(/\\s+/g, ' ').trim()))"
    )


def place_field_png() -> bytes:
    """A 320x200 diagram: a box seen from above, one cell's place field shaded."""
    image = Image.new("RGB", (320, 200), "#fbfaf7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 180), outline="#40506a", width=4)
    draw.ellipse((180, 50, 260, 120), fill="#f2a65a", outline="#c96f1c", width=2)
    draw.line((60, 150, 110, 90, 170, 110, 215, 80), fill="#40506a", width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def register(page, username: str, name: str) -> None:
    page.goto("/accounts/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Name shown to classmates").fill(name)
    page.get_by_label("Email").fill(f"{username}@university.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".flash")).to_have_text(f"Welcome to CourseHub, {name}.")
    expect(page.locator("main h1")).to_have_text("My courses")


def join(page, code: str) -> None:
    page.get_by_role("link", name="Join a course").click()
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".flash")).to_have_text(f"You joined {COURSE}.")
    progress = page.locator(".progress")
    expect(progress.locator("h3")).to_have_text(ASSIGNMENT)
    expect(progress.locator(".steps li")).to_have_text(
        [
            "Publish a post of at least 40 words.",
            "Comment on 2 more classmates' posts (at least 8 words each).",
        ]
    )


def post_comment(page, body: str, count: int, title: str) -> None:
    """Write in the open comment form, post it, and see the thread grow to `count`."""
    page.locator("#respond textarea").fill(body)
    page.locator("#respond").get_by_role("button", name="Post comment").click()
    thoughts = "thought" if count == 1 else "thoughts"
    expect(page.locator("#comments-heading")).to_have_text(f"{count} {thoughts} on “{title}”")


def test_a_course_from_registration_to_the_canvas_export(open_tab):
    # 1. The instructor registers and builds the course.
    ines = open_tab()
    page = ines.page
    register(page, "erivera", "Dr. Elena Rivera")
    expect(page.locator("main")).to_contain_text("You are not in any course yet.")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Course code").fill("NEURO 110")
    page.get_by_label("Title").fill(COURSE)
    page.get_by_label("Description").fill(
        "How nerve cells signal, how the brain is built, and how it makes behaviour."
    )
    page.get_by_role("button", name="Create course").click()
    expect(page.locator("main h1")).to_have_text(COURSE)
    code = page.locator(".join-code-note .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9-]{8,}", code)
    expect(page.locator(".flash")).to_have_text(
        f"{COURSE} is ready. Share the join code {code} with students."
    )
    expect(page.locator("main")).to_contain_text("No chapters yet.")

    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Number").fill("4")
    page.get_by_label("Title").fill("Structures, Connections, Functions")
    page.get_by_label("Summary").fill(
        "The brain's large parts, the pathways between them, and what damage teaches."
    )
    page.get_by_label("Topics").fill("\n".join(TOPICS))
    page.get_by_role("button", name="Add chapter").click()
    expect(page.locator(".flash")).to_have_text(f"{CHAPTER} added.")
    expect(page.locator("main h1")).to_have_text("Structures, Connections, Functions")
    expect(page.locator(".topic-list h3")).to_have_text(TOPICS)
    expect(page.locator(".topic-list .meta")).to_have_text(["0 posts"] * 3)

    page.get_by_role("link", name="Add video").click()
    page.get_by_label("Title").fill(VIDEO)
    page.get_by_label("Video link").fill("https://www.youtube.com/watch?v=Q8fKZbM3tXw")
    page.get_by_label("Length").fill("52:40")
    page.get_by_label("Segments").fill(SEGMENTS)
    page.get_by_role("button", name="Add video").click()
    expect(page.locator(".flash")).to_have_text(f"“{VIDEO}” added.")
    expect(page.locator("main h1")).to_have_text(VIDEO)
    expect(page.locator(".segments .time")).to_have_text(
        ["0:00", "3:45", "12:20", "21:05", "33:30"]
    )
    expect(page.locator(".segments .title")).to_have_text(
        [line.split(" ", 1)[1].split(" [")[0] for line in SEGMENTS.splitlines()]
    )
    expect(page.locator(".segments .chip")).to_have_text(
        ["Structures", "Structures", "Connections", "Functions"]
    )
    assert page.locator("iframe#player").get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/Q8fKZbM3tXw"
    )

    page.get_by_label("Breadcrumb").get_by_role("link", name=CHAPTER).click()
    expect(page.locator(".video-list h3")).to_have_text([VIDEO])
    expect(page.locator(".video-list .meta")).to_have_text(["52:40 · 5 segments"])
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill(ASSIGNMENT)
    page.get_by_label("Prompt").fill(PROMPT)
    for topic in TOPICS:
        expect(page.get_by_label(topic, exact=True)).to_be_checked()
    page.get_by_label("Minimum words per post").fill("40")
    page.get_by_label("Points for the post").fill("10")
    page.get_by_label("Classmates' posts to comment on").fill("2")
    page.get_by_label("Minimum words per comment").fill("8")
    page.get_by_label("Points for the comments").fill("5")
    page.get_by_label("Students must publish before they see classmates' posts").check()
    page.get_by_role("button", name="Set assignment").click()
    expect(page.locator(".flash")).to_have_text(f"“{ASSIGNMENT}” is set.")
    expect(page.locator("main h1")).to_have_text(ASSIGNMENT)
    expect(page.locator(".prose strong")).to_have_text("one")
    expect(page.locator(".rules li")).to_have_text(
        [
            "A post of at least 40 words on one of: Structures, Connections, Functions "
            "— 10 points.",
            "Comments of at least 8 words on 2 classmates' posts — 5 points.",
            "Classmates' posts open to you once you publish yours.",
        ]
    )
    assignment_path = page.url.removeprefix(ines.base_url)

    # 2. Two students register and join with the code; a third joins and never writes.
    maya, jonas = open_tab(), open_tab()
    register(maya.page, "maya.l", "Maya Lindqvist")
    join(maya.page, code)
    register(jonas.page, "jonas.b", "Jonas Becker")
    join(jonas.page, code)
    db.session.rollback()
    factories.member(db.session.scalar(select(Course)), "leo", "student", "Leo Tanaka")

    # Maya writes with the live preview and puts an image where her cursor is.
    page = maya.page
    page.locator(".progress").get_by_role("link", name=ASSIGNMENT).click()
    expect(page.locator(".notice")).to_have_text(
        "Your classmates' posts appear here once you publish your own."
    )
    page.get_by_role("link", name="Write your post").click()
    expect(page.locator("main h1")).to_have_text("Write your post")
    page.get_by_label("Title", exact=True).fill(MAYA_TITLE)
    page.get_by_label("Structures", exact=True).check()
    body = page.get_by_label("Your post")
    body.fill(MAYA_FIRST + MAYA_REST)
    preview = page.locator("[data-preview]")
    expect(preview.locator("h2")).to_have_text("Why it surprised me")
    body.evaluate("(area, at) => area.setSelectionRange(at, at)", len(MAYA_FIRST))
    page.get_by_label("Image", exact=True).set_input_files(
        files=[{"name": "place-field.png", "mimeType": "image/png", "buffer": place_field_png()}]
    )
    page.get_by_role("button", name="Upload image").click()
    expect(page.locator("[data-upload-status]")).to_have_text(
        "Image added to your post. Describe it in the brackets for readers who cannot see it."
    )
    typed = body.input_value()
    image_url = re.search(r"!\[Describe the image\]\((/courses/\d+/uploads/[\w-]+\.png)\)", typed)[
        1
    ]
    assert typed == f"{MAYA_FIRST}\n![Describe the image]({image_url})\n{MAYA_REST}"
    body.fill(typed.replace("Describe the image", MAYA_ALT))
    expect(preview.locator("img")).to_have_attribute("alt", MAYA_ALT)
    expect(preview.locator("img")).to_have_attribute("src", image_url)
    assert (
        preview.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    )
    expect(preview.locator("h2")).to_have_text("Why it surprised me")
    expect(preview.locator("sup a.footnote-ref")).to_have_text("1")
    expect(preview.locator(".footnote li")).to_contain_text(
        "O'Keefe and Dostrovsky described place cells in 1971."
    )
    expect(page.locator("[data-word-count]")).to_have_text(str(MAYA_WORDS))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash")).to_have_text("Your post is published.")
    expect(page.locator("main h1")).to_have_text(MAYA_TITLE)
    expect(page.locator(".post-head .meta")).to_contain_text(f"{MAYA_WORDS} words")
    shown = page.locator(".post-body img")
    expect(shown).to_have_attribute("alt", MAYA_ALT)
    assert shown.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    maya_post_path = page.url.removeprefix(maya.base_url)

    # 4. Post-before-viewing: Jonas sees no classmate's post until he publishes his own.
    page = jonas.page
    page.locator(".progress").get_by_role("link", name=ASSIGNMENT).click()
    expect(page.locator(".notice")).to_have_text(
        "Your classmates' posts appear here once you publish your own."
    )
    expect(page.locator("main")).not_to_contain_text(MAYA_TITLE)
    assert page.goto(maya_post_path).status == 403
    expect(page.locator("main h1")).to_have_text("Publish your post first")
    expect(page.locator("main")).not_to_contain_text("Place cells")
    page.get_by_role("link", name="Write your post").click()
    page.get_by_label("Title", exact=True).fill(JONAS_TITLE)
    page.get_by_label("Connections", exact=True).check()
    page.get_by_label("Your post").fill(JONAS_POST)
    expect(page.locator("[data-word-count]")).to_have_text(str(JONAS_WORDS))
    expect(page.locator(".word-count")).to_have_text(f"{JONAS_WORDS} words (minimum 40)")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash")).to_have_text(
        [
            "Your post is published.",
            f"It has {JONAS_WORDS} words, {40 - JONAS_WORDS} short of the 40 the assignment "
            "asks for: it earns no post points until you add them.",
        ]
    )
    expect(page.locator(".post-head .meta")).to_contain_text(f"{JONAS_WORDS} words")
    jonas_post_path = page.url.removeprefix(jonas.base_url)
    page.get_by_label("Breadcrumb").get_by_role("link", name=ASSIGNMENT).click()
    expect(page.locator("#posts-heading")).to_have_text("Posts (2)")
    expect(page.locator("#posts-heading ~ h3")).to_have_text(["Structures", "Connections"])
    expect(page.locator(".status .steps li").first).to_have_text(
        f"Your post has {JONAS_WORDS} words: add 7 more to reach 40."
    )

    # 2, continued. They comment on each other's posts and talk in a thread.
    page.locator("#posts-heading ~ ul").get_by_role("link", name=MAYA_TITLE).click()
    expect(page.locator("main h1")).to_have_text(MAYA_TITLE)
    post_comment(page, JONAS_COMMENT, 1, MAYA_TITLE)

    page = maya.page
    page.goto(jonas_post_path)
    expect(page.locator("main h1")).to_have_text(JONAS_TITLE)
    post_comment(page, MAYA_COMMENT, 1, JONAS_TITLE)

    page.goto(maya_post_path)
    question = page.locator("ol.comment-list > li").first
    expect(question.locator(".comment-head strong").first).to_have_text("Jonas Becker")
    question.get_by_role("link", name="Reply to Jonas Becker").click()
    expect(question.locator("#respond textarea")).to_be_focused()
    expect(question.locator("#respond .reply-title")).to_contain_text("Cancel reply")
    post_comment(page, MAYA_REPLY, 2, MAYA_TITLE)
    answer = question.locator(":scope > ol.children > li")
    expect(answer.locator(".comment-head strong")).to_have_text("Maya Lindqvist")
    expect(answer.locator(".comment-head .badge-author")).to_have_text("Post author")
    expect(answer.locator(".comment-body")).to_have_text(MAYA_REPLY)
    expect(question.locator(":scope > article .badge-author")).to_have_count(0)

    page = jonas.page
    page.reload()
    question = page.locator("ol.comment-list > li").first
    question.get_by_role("link", name="Reply to Maya Lindqvist").click()
    post_comment(page, JONAS_REPLY, 3, MAYA_TITLE)
    thread = page.locator("ol.comment-list > li")
    expect(thread).to_have_count(1)
    last = question.locator(":scope > ol.children > li > ol.children > li")
    expect(last.locator(".comment-head strong")).to_have_text("Jonas Becker")
    expect(last.locator(".badge-author")).to_have_count(0)
    expect(page.locator(".comment .badge-author")).to_have_count(1)

    # 3. Participation by the rules: Maya's post qualifies (61 >= 40 words): 10 points;
    # each student commented on 1 of the 2 required peer posts: 5 x 1/2 = 2.5 points.
    # Jonas's 33 words fall short: 0 + 2.5. Leo wrote nothing. Nobody has met every rule.
    page = ines.page
    page.goto(assignment_path)
    page.get_by_role("link", name="Participation").click()
    expect(page.locator(".lead")).to_have_text(
        "0 of 3 students have met every requirement: a post of 40+ words and comments "
        "on 2 classmates' posts. Maximum 15 points."
    )
    assert table(page) == [
        ["Jonas Becker", "Published", f"{JONAS_WORDS} short", "1 / 2", "0", "2.5", "2.5", ""],
        ["Leo Tanaka", "Missing", "—", "0 / 2", "0", "0", "0", ""],
        ["Maya Lindqvist", "Published", str(MAYA_WORDS), "1 / 2", "10", "2.5", "12.5", ""],
    ]

    page.get_by_role("link", name="Jonas Becker").click()
    expect(page.locator(".eyebrow")).to_have_text("Grading 1 of 3")
    expect(page.locator("main h1")).to_have_text("Jonas Becker")
    checks = page.locator(".checks li")
    expect(checks).to_have_text(
        [
            f"{JONAS_WORDS} words (minimum 40)",
            "Published",
            "Comments on 1 of 2 required classmates' posts",
        ]
    )
    assert checks.evaluate_all("items => items.map(item => item.className)") == [
        "fail",
        "pass",
        "fail",
    ]
    expect(page.locator(".score dd")).to_have_text(["0", "2.5", "2.5 / 15"])
    verdicts = page.locator(".check-comment .meta")
    expect(verdicts).to_have_count(2)
    expect(verdicts.first).to_contain_text("counts")
    expect(verdicts.last).to_contain_text("does not count")
    page.get_by_label("Points").fill("8")
    page.get_by_label("Reason").fill(OVERRIDE_REASON)
    page.get_by_role("button", name="Save override").click()
    expect(page.locator(".flash")).to_have_text("Jonas Becker's total is now 8.")
    expect(page.locator("main")).to_contain_text(
        f"Overridden: 8 instead of the computed 2.5. Reason: “{OVERRIDE_REASON}”"
    )
    expect(page.locator(".score dd").last).to_have_text("8 / 15")
    expect(page.locator(".history li")).to_contain_text(
        f"Dr. Elena Rivera set 8: “{OVERRIDE_REASON}”"
    )
    db.session.rollback()
    people = {user.username: user for user in db.session.scalars(select(User))}
    override = db.session.scalar(select(ParticipationOverride))
    assert (override.student_id, override.points, override.reason, override.by_id) == (
        people["jonas.b"].id,
        8,
        OVERRIDE_REASON,
        people["erivera"].id,
    )
    assert db.session.scalar(select(AuditEvent.action)) == "override.set"

    page.get_by_label("Breadcrumb").get_by_role("link", name="Participation").click()
    assert table(page)[0][-2:] == ["8", "8 (computed 2.5)"]
    page.get_by_role("link", name="Course gradebook").click()
    assert table(page) == [
        ["Jonas Becker", "8*", "8"],
        ["Leo Tanaka", "0", "0"],
        ["Maya Lindqvist", "12.5", "12.5"],
    ]
    with page.expect_download() as started:
        page.get_by_role("link", name="Download for Canvas (CSV)").click()
    download = started.value
    assert download.suggested_filename == "NEURO-110-canvas-grades.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assignment_id = db.session.scalar(select(Assignment.id))
    assert rows == [
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            f"{ASSIGNMENT} ({assignment_id})",
        ],
        ["    Points Possible", "", "", "", "", "15"],
        ["Jonas Becker", str(people["jonas.b"].id), "", "jonas.b", "", "8"],
        ["Leo Tanaka", str(people["leo"].id), "", "leo", "", "0"],
        ["Maya Lindqvist", str(people["maya.l"].id), "", "maya.l", "", "12.5"],
    ]

    # The students see their points where they look for them.
    jonas.page.get_by_label("Breadcrumb").get_by_role("link", name=COURSE).click()
    expect(jonas.page.locator(".progress .meta")).to_have_text(
        "Points so far: 8 of 15 (set by course staff)."
    )
    maya.page.get_by_label("Breadcrumb").get_by_role("link", name=COURSE).click()
    expect(maya.page.locator(".progress .meta")).to_have_text("Points so far: 12.5 of 15.")

    for tab in (ines, maya, jonas):
        assert not tab.events.page_errors, tab.events.page_errors
        assert not tab.events.csp_violations, tab.events.csp_violations
        assert not tab.events.dialogs, tab.events.dialogs


def test_post_before_viewing_hides_classmates_posts_until_the_student_publishes(
    chapter, student, other_student, signed_in_page
):
    assignment = factories.assignment(chapter, post_before_viewing=True, min_words=5)
    hidden = factories.post(
        other_student, assignment, "Mirror neurons", "Mirror neurons fire when we act and watch."
    )
    factories.comment(factories.member(chapter.course, "priya", "student"), hidden)
    topic = assignment.topics[0]
    page = signed_in_page("sofia")

    page.goto(f"/assignments/{assignment.id}")
    expect(page.locator(".notice")).to_have_text(
        "Your classmates' posts appear here once you publish your own."
    )
    expect(page.locator("main")).not_to_contain_text("Mirror neurons")
    assert page.goto(f"/posts/{hidden.id}").status == 403
    expect(page.locator("main h1")).to_have_text("Publish your post first")
    expect(page.locator("main")).not_to_contain_text("fire when we act")
    page.goto(f"/topics/{topic.id}")
    expect(page.locator("main .post-list")).to_have_count(0)
    expect(page.locator(".notice")).to_have_text(
        "1 more post opens to you once you publish in its assignment."
    )

    page.goto(f"/assignments/{assignment.id}/write")
    page.get_by_label("Title", exact=True).fill("Wiring the cortex")
    page.get_by_label(topic.name, exact=True).check()
    page.get_by_label("Your post").fill("Long axons link the cortex to the cerebellum and back.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".flash")).to_have_text(
        "Draft saved. Only you can see it until you publish."
    )
    assert page.goto(f"/posts/{hidden.id}").status == 403, "a draft does not open the posts"

    page.goto(f"/assignments/{assignment.id}/write")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash")).to_have_text("Your post is published.")
    page.goto(f"/assignments/{assignment.id}")
    expect(page.locator(".notice")).to_have_count(0)
    expect(page.locator("#posts-heading")).to_have_text("Posts (2)")
    page.locator("#posts-heading ~ ul").get_by_role("link", name="Mirror neurons").click()
    expect(page.locator("main h1")).to_have_text("Mirror neurons")
    expect(page.locator("#comments-heading")).to_have_text("1 thought on “Mirror neurons”")
    expect(page.locator("#respond textarea")).to_be_editable()
    page.goto(f"/topics/{topic.id}")
    expect(page.locator("main .post-list li")).to_have_count(2)


@pytest.mark.parametrize(
    "url",
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://media.example.org/neuro/tour.mp4"],
    ids=["youtube", "html5"],
)
def test_clicking_a_segment_seeks_the_player_in_place(url, chapter, student, signed_in_page):
    video = courses.create_video(
        chapter,
        "Touring the brain",
        url,
        1800,
        [SegmentSpec(0, "Welcome"), SegmentSpec(125, "The cortex"), SegmentSpec(754, "Tracts")],
    )
    db.session.commit()
    page = signed_in_page("sofia")
    page.goto(f"/videos/{video.id}")
    player = page.locator("#player")
    youtube = "youtube" in url
    page.evaluate("window.samePage = true")

    for title, seconds in [("The cortex", 125), ("Tracts", 754)]:
        segment = page.locator("a.seek", has_text=title)
        segment.click()
        expect(segment).to_have_attribute("aria-current", "true")
        expect(page.locator("a.seek[aria-current]")).to_have_count(1)
        expect(player).to_have_attribute("data-seconds", str(seconds))
        if youtube:
            expect(player).to_have_attribute(
                "src", f"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start={seconds}"
            )
        else:
            assert player.evaluate("video => video.currentTime") == seconds
        assert page.url.endswith(f"/videos/{video.id}?t={seconds}")
    assert page.evaluate("window.samePage") is True, "the segment reloaded the page"

    # Without the script, the link's ?t= starts the player there.
    page.goto(f"/videos/{video.id}?t=125")
    start = "?start=125" if youtube else "#t=125"
    expect(player).to_have_attribute("src", re.compile(re.escape(start) + "$"))


def test_a_refused_comment_says_why_in_view_and_keeps_the_box_in_focus(
    chapter, student, other_student, signed_in_page
):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment, "Mirror neurons", "They fire as we act and watch.")
    for n in range(12):  # a long thread: the comment box is far below the page's top
        factories.comment(student, post, f"Note {n}: " + "the mirror system and imitation " * 8)
    page = signed_in_page("omar")
    page.goto(f"/posts/{post.id}")
    page.locator("#respond textarea").fill("  \n ")
    page.locator("#respond").get_by_role("button", name="Post comment").click()
    error = page.locator("#respond-error")
    expect(error).to_have_text("Write something before posting.")
    expect(error).to_be_in_viewport()
    expect(page.locator("#respond textarea")).to_be_focused()
    expect(page.locator("#comments-heading")).to_have_text("12 thoughts on “Mirror neurons”")


def test_the_editor_says_when_a_paste_is_cut_at_the_length_limit(chapter, student, signed_in_page):
    assignment = factories.assignment(chapter)
    page = signed_in_page("sofia")
    page.goto(f"/assignments/{assignment.id}/write")
    limit = page.locator("[data-at-limit]")
    expect(limit).to_be_hidden()
    body = page.get_by_label("Your post")
    body.fill("word " * 20_000 + "THE END")  # 100,007 characters
    expect(limit).to_have_text(
        "Your post has reached its limit of 100,000 characters: nothing past it was added."
    )
    assert len(body.input_value()) == 100_000
    body.press("Backspace")
    expect(limit).to_be_hidden()


def test_removing_and_deleting_ask_first_and_a_no_keeps_everything(
    course, chapter, student, open_tab
):
    tab = open_tab("ines")
    page = tab.page
    page.goto(f"/courses/{course.id}/people")
    page.get_by_role("button", name="Remove Sofia Student").click()
    page.goto(f"/topics/{chapter.topics[2].id}/edit")
    page.get_by_role("button", name="Delete topic").click()
    assert tab.events.dialogs == [
        "confirm: Remove Sofia Student from the course? What they wrote stays.",
        "confirm: Delete this topic? This cannot be undone.",
    ]  # each dismissed: nothing was sent
    expect(page.get_by_role("heading", name="Delete this topic")).to_be_visible()
    page.goto(f"/courses/{course.id}/people")
    expect(page.get_by_role("button", name="Remove Sofia Student")).to_be_visible()


def test_a_title_of_one_long_word_wraps_on_a_phone(
    chapter, video, student, other_student, signed_in_page
):
    assignment = factories.assignment(chapter)
    title, cite = "https://example.org/" + "w" * 150, f"See [[video:{video.id}@1:00]]."
    post = factories.post(student, assignment, title, cite)
    factories.comment(other_student, post, "A reply, so that Sofia is told.")
    page = signed_in_page("sofia")
    page.set_viewport_size({"width": 390, "height": 844})
    paths = [
        f"/posts/{post.id}", f"/posts/{post.id}/revisions", f"/assignments/{assignment.id}",
        f"/topics/{post.topics[0].id}", f"/chapters/{chapter.id}",
        f"/courses/{chapter.course_id}", f"/videos/{video.id}", "/notifications",
    ]  # fmt: skip
    for path in paths:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_a_heading_in_the_preview_looks_like_a_heading_not_the_label(
    chapter, student, signed_in_page
):
    assignment = factories.assignment(chapter)
    page = signed_in_page("sofia")
    page.goto(f"/assignments/{assignment.id}/write")
    page.get_by_label("Your post").fill("## Findings\n\nMirror neurons fire twice.")
    heading = page.locator("[data-preview] h2", has_text="Findings")
    expect(heading).to_be_visible()
    label = page.locator("#preview-heading")
    style = "element => getComputedStyle(element).textTransform"
    assert (label.evaluate(style), heading.evaluate(style)) == ("uppercase", "none")


def test_on_a_phone_the_roster_controls_and_every_course_tab_are_in_view(
    course, student, signed_in_page
):
    page = signed_in_page("ines")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/courses/{course.id}/people")
    for control in (
        page.get_by_label("Role of Sofia Student"),
        page.get_by_role("button", name="Remove Sofia Student"),
        page.get_by_label("Course").get_by_role("link", name="Settings"),
    ):
        box = control.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390


def test_a_comment_sent_with_an_expired_form_is_handed_back(
    chapter, student, other_student, signed_in_page
):
    post = factories.post(student, factories.assignment(chapter))
    page = signed_in_page("omar")
    page.goto(f"/posts/{post.id}")
    page.locator("#respond input[name=csrf_token]").evaluate("input => input.value = 'stale'")
    page.locator("#respond textarea").fill("Twenty minutes of careful thought.")
    page.locator("#respond").get_by_role("button", name="Post comment").click()
    expect(page.locator("main h1")).to_have_text("Form expired")
    expect(page.get_by_label("Text")).to_have_value("Twenty minutes of careful thought.")
