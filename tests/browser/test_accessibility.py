"""Accessibility in Chromium: axe-core on every main page, a phone's width, the keyboard."""

# The pages show the demo course (`flask demo`) with an image in a draft and an override,
# so that every kind of content is on screen. Each page is checked by axe-core at desktop
# width, where serious and critical violations fail (minor and moderate ones are printed),
# then at 375 px, where nothing may scroll sideways; both are saved as screenshots.

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from coursehub.accounts.models import User
from coursehub.blogs import services as blogs
from coursehub.blogs.models import Assignment, Comment, Post
from coursehub.courses.models import Chapter, LectureVideo
from coursehub.db import utcnow
from coursehub.demo import ASSIGNMENT_TITLE, DEMO_PASSWORD, load_demo
from coursehub.extensions import db
from coursehub.participation import services as participation
from tests.browser.screenshots import DESKTOP, PHONE, capture

FAILING_IMPACTS = ("serious", "critical")
MAYA_OVERRIDE = "Answered three classmates in the lab forum; counted as two comments."
LEO_DRAFT = """\
In 1848 an explosion drove an iron rod up through the left cheek and out of the top of
Phineas Gage's head. He survived, talked within minutes, and went back to work. What
changed, according to his doctor, was his character.[^1]

![Side view of a brain: the rod's path runs through the left frontal lobe]({image})

## Which details can we trust?

The famous version, in which a gentle man became a brute for the rest of his life, rests
on very few first-hand reports. Later accounts have him driving a stagecoach in Chile for
years, work that takes planning and self-control.[^2]

## What the case does show

Damage to the frontal lobes can change behaviour while leaving speech, movement and
memory intact. That is a striking result even without the myths.

[^1]: John Harlow's case reports of 1848 and 1868.
[^2]: Malcolm Macmillan's work on how the story changed over the years.
"""


# --- The demo course, with a little more in it ----------------------------------------


@dataclass
class Demo:
    """Ids in the demo course, to fill in page paths."""

    ids: dict[str, int]

    def path(self, template: str) -> str:
        return template.format(**self.ids)


def gage_png() -> bytes:
    """A schematic side view of a brain with the rod's path, for Leo's draft."""
    image = Image.new("RGB", (480, 300), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=15)
    draw.ellipse((70, 50, 400, 250), fill="#f3d9dc", outline="#8a5a60", width=3)
    draw.pieslice((70, 50, 400, 250), 150, 250, fill="#e8b4bb", outline="#8a5a60", width=3)
    draw.ellipse((290, 190, 390, 255), fill="#e9c7cc", outline="#8a5a60", width=3)
    draw.rectangle((260, 225, 290, 290), fill="#e9c7cc", outline="#8a5a60", width=3)
    draw.line((40, 280, 200, 20), fill="#3b3b3b", width=7)
    draw.text((146, 136), "frontal lobe", fill="#5a2a30", font=font)
    draw.text((300, 160), "cerebellum", fill="#5a2a30", font=font)
    draw.text((210, 20), "path of the rod", fill="#3b3b3b", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def demo(app) -> Demo:
    """The demo course, plus an image in Leo's draft and an override of Maya's total."""
    now = utcnow()
    course = load_demo(now)
    db.session.flush()
    people = {user.username: user for user in db.session.scalars(select(User))}
    chapter = db.session.scalar(
        select(Chapter).where(Chapter.course_id == course.id, Chapter.number == 4)
    )
    assignment = db.session.scalar(select(Assignment).where(Assignment.title == ASSIGNMENT_TITLE))
    posts = {
        post.author.username: post
        for post in db.session.scalars(select(Post).where(Post.assignment_id == assignment.id))
    }
    folder = Path(app.config["UPLOAD_FOLDER"])
    image = blogs.save_upload(
        course.id, people["leo"], io.BytesIO(gage_png()), "gage.png", folder, now
    )
    draft = posts["leo"]
    body = LEO_DRAFT.format(image=f"/courses/{course.id}/uploads/{image.filename}")
    blogs.update_post(draft, draft.title, body, [t.id for t in draft.topics], False, now)
    participation.set_override(
        people["rivera"], assignment, people["maya"].id, 15, MAYA_OVERRIDE, now
    )
    db.session.commit()
    amaras_comments = select(Comment.id).where(Comment.author_id == people["amara"].id)
    maya_replies_to_amara = db.session.scalar(
        select(Comment.id).where(
            Comment.post_id == posts["maya"].id,
            Comment.author_id == people["maya"].id,
            Comment.parent_id.in_(amaras_comments),
        )
    )
    assert maya_replies_to_amara, "the demo thread should have Maya answering Amara"
    return Demo(
        {
            "course": course.id,
            "chapter": chapter.id,
            "topic": chapter.topics[2].id,
            "video": db.session.scalar(select(LectureVideo.id)),
            "assignment": assignment.id,
            "post": posts["maya"].id,
            "maya": people["maya"].id,
            "maya_replies_to_amara": maya_replies_to_amara,
        }
    )


def quick_sign_in(tab, username: str) -> None:
    """Post the sign-in form from the tab's context without drawing it: the pages under
    test are the subject here (test_keyboard_alone signs in through the drawn form)."""
    request = tab.context.request
    form = request.get("/accounts/login").text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    response = request.post(
        "/accounts/login",
        form={"csrf_token": token, "username": username, "password": DEMO_PASSWORD},
        max_redirects=0,
    )
    assert response.status == 302, f"signing in as {username} failed"


# --- axe-core and a phone's width on every main page ----------------------------------


@dataclass(frozen=True)
class Screen:
    """A page as `user` sees it (None: signed out), and the heading it must show."""

    name: str
    user: str | None
    path: str
    heading: str


SCREENS = [
    Screen("sign-in", None, "/accounts/login", "Sign in"),
    Screen("register", None, "/accounts/register", "Create an account"),
    Screen("my-courses", "maya", "/", "My courses"),
    Screen("course", "maya", "/courses/{course}", "Introduction to Neuroscience"),
    Screen("chapter", "maya", "/chapters/{chapter}", "Structures, Connections, Functions"),
    Screen("topic", "maya", "/topics/{topic}", "Functions"),
    Screen("video", "maya", "/videos/{video}", "A tour of the brain, bottom to top"),
    Screen("assignment", "maya", "/assignments/{assignment}", ASSIGNMENT_TITLE),
    Screen("post", "maya", "/posts/{post}", "Mirror Neurons"),
    Screen("editor", "leo", "/assignments/{assignment}/write", "Edit your post"),
    Screen("notifications", "maya", "/notifications", "Notifications"),
    Screen("account", "maya", "/accounts/password", "Change password"),
    Screen("join", "amara", "/courses/join", "Join a course"),
    Screen("course-staff", "rivera", "/courses/{course}", "Introduction to Neuroscience"),
    Screen("people", "rivera", "/courses/{course}/people", "People"),
    Screen("settings", "rivera", "/courses/{course}/settings", "Course settings"),
    Screen("new-course", "rivera", "/courses/new", "New course"),
    Screen("new-chapter", "rivera", "/courses/{course}/chapters/new", "New chapter"),
    Screen("new-video", "rivera", "/chapters/{chapter}/videos/new", "Add a lecture video"),
    Screen("new-assignment", "rivera", "/chapters/{chapter}/assignments/new", "New blog"),
    Screen("participation", "rivera", "/assignments/{assignment}/participation", "Blog 4"),
    Screen("grading", "rivera", "/assignments/{assignment}/participation/{maya}", "Maya"),
    Screen("gradebook", "rivera", "/courses/{course}/gradebook", "Gradebook"),
    Screen("audit-log", "rivera", "/courses/{course}/audit", "Audit log"),
]

# What stands out of the viewport at a phone's width, outside a frame that scrolls.
_LAYOUT = """() => {
  const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  const framed = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up) && getComputedStyle(el).position !== "absolute") return true;
    }
    return false;
  };
  const heading = document.querySelector("main h1").getBoundingClientRect();
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 && !framed(el))
    .slice(0, 3)
    .map((el) => el.outerHTML.slice(0, 100));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    heading: [heading.left, heading.right, heading.height],
    wide,
  };
}"""


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def axe_report(violations: list[dict]) -> str:
    """One line per rule broken, then up to three elements that break it."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['impact']}: {violation['id']} ({violation['help']}) "
            f"on {len(violation['nodes'])} element(s)"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + " ".join(node["failureSummary"].split()))
    return "\n".join(lines)


def phone_layout_problems(page) -> list[str]:
    """Why the page does not fit a phone: a sideways scroll, or a heading off screen."""
    layout = page.evaluate(_LAYOUT)
    width = PHONE["width"]
    problems = []
    if layout["scrollWidth"] > width:
        problems.append(
            f"at {width} px the page is {layout['scrollWidth']} px wide: {layout['wide']}"
        )
    left, right, height = layout["heading"]
    if not (left >= 0 and right <= width and height > 0):
        problems.append(f"at {width} px the main heading is not on screen: {layout['heading']}")
    return problems


def open_screen(open_tab, demo: Demo, screen: Screen):
    tab = open_tab()
    if screen.user:
        quick_sign_in(tab, screen.user)
    response = tab.page.goto(demo.path(screen.path))
    assert response.status == 200, f"{screen.path}: {response.status}"
    assert screen.heading in tab.page.locator("main h1").first.inner_text()
    return tab


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_page_has_no_serious_axe_violation_and_fits_a_phone(screen, demo, open_tab):
    tab = open_screen(open_tab, demo, screen)
    page = tab.page
    capture(page, f"{screen.name}-desktop")
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        print(f"\n{screen.name}: minor or moderate, not failing:\n{axe_report(others)}")

    # The stylesheet alone lays the page out, so a resize shows what a phone would load.
    page.set_viewport_size(PHONE)
    capture(page, f"{screen.name}-phone")
    problems = phone_layout_problems(page)
    page.set_viewport_size(DESKTOP)

    if failing:
        problems.insert(0, f"axe found serious or critical violations:\n{axe_report(failing)}")
    assert not problems, "\n".join(problems)
    assert not tab.events.page_errors and not tab.events.csp_violations, tab.events


def test_course_tabs_keep_each_label_on_one_line_on_a_phone(demo, open_tab):
    staff_view = next(screen for screen in SCREENS if screen.name == "course-staff")
    tab = open_screen(open_tab, demo, staff_view)
    tab.page.set_viewport_size(PHONE)
    lines = tab.page.locator(".tabs a").evaluate_all(
        """links => links.map((link) => {
          const range = document.createRange();
          range.selectNodeContents(link);
          return [link.textContent.trim(), range.getClientRects().length];
        })"""
    )
    assert [label for label, _ in lines] == [
        "Chapters", "People", "Gradebook", "Audit log", "Settings"
    ]  # fmt: skip
    assert all(count == 1 for _, count in lines), lines


# --- The keyboard alone ---------------------------------------------------------------

# The focused element, whether it matches `selector`, and whether its focus can be seen.
_FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {matches: false, what: "nothing", visible: false};
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    matches: el.matches(selector),
    what: el.outerHTML.slice(0, 120),
    visible:
      ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow !== "none") &&
      box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""


def focus(page, selector: str = "*") -> dict:
    return page.evaluate(_FOCUS, selector)


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 120) -> None:
    """Press Tab (or `key`) until the focus is on `selector`; every stop must show focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus(page, selector)
        assert state["visible"], f"no visible focus on {state['what']}"
        if state["matches"]:
            return
    pytest.fail(f"{limit} presses of {key} did not reach {selector}")


def press_and_load(page, key: str, url_part: str) -> None:
    """Press `key` and wait for the page it leads to, whose URL has `url_part`."""
    before = page.url
    page.keyboard.press(key)
    page.wait_for_url(lambda url: url != before and url_part in url)


def test_keyboard_alone_signs_in_opens_a_post_replies_and_comments(demo, open_tab):
    tab = open_tab()
    page = tab.page
    page.goto("/accounts/login")
    page.keyboard.press("Tab")
    skip = focus(page, ".skip-link")
    assert skip["matches"] and skip["visible"], "the first Tab should show the skip link"

    tab_to(page, "#username")
    page.keyboard.type("amara")
    tab_to(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.locator("main h1").inner_text() == "My courses"

    tab_to(page, f'main a[href="/courses/{demo.ids["course"]}"]')
    press_and_load(page, "Enter", f"/courses/{demo.ids['course']}")
    tab_to(page, f'main a[href="/assignments/{demo.ids["assignment"]}"]')
    press_and_load(page, "Enter", f"/assignments/{demo.ids['assignment']}")
    tab_to(page, f'main a[href="/posts/{demo.ids["post"]}"]')
    press_and_load(page, "Enter", f"/posts/{demo.ids['post']}")
    heading = page.locator("#comments-heading")
    assert heading.inner_text() == "8 thoughts on “Mirror Neurons”"

    # Reply to Maya's answer to Amara's question: the form opens under it, focused.
    parent = f"#comment-{demo.ids['maya_replies_to_amara']}"
    tab_to(page, f"{parent} a.reply-link")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(parent) => document.activeElement.matches(`${parent} textarea`)", arg=parent
    )
    assert focus(page)["visible"]
    page.keyboard.type("Thank you, that is the detail I was missing about stroke patients.")
    tab_to(page, f"{parent} a.cancel-reply", key="Shift+Tab", limit=1)
    tab_to(page, f"{parent} textarea", limit=1)
    tab_to(page, f"{parent} button[type=submit]", limit=1)
    press_and_load(page, "Space", "#comment-")
    reply = page.locator(f"{parent} > ol.children > li").last
    assert "Amara Nwosu" in reply.locator(".comment-head").inner_text()
    assert "detail I was missing" in reply.locator(".comment-body").inner_text()
    assert heading.inner_text() == "9 thoughts on “Mirror Neurons”"

    # A comment of her own, from the form under the thread.
    tab_to(page, "#respond-body")
    page.keyboard.type("Your last paragraph made me reread my own notes on localisation.")
    tab_to(page, "#respond button[type=submit]", limit=1)
    press_and_load(page, "Enter", "#comment-")
    last = page.locator("ol.comment-list > li").last
    assert "reread my own notes" in last.locator(".comment-body").first.inner_text()
    assert heading.inner_text() == "10 thoughts on “Mirror Neurons”"
    assert not tab.events.page_errors and not tab.events.csp_violations, tab.events


def test_cancel_reply_gives_the_focus_back_to_the_reply_link(demo, open_tab):
    tab = open_tab()
    quick_sign_in(tab, "amara")
    page = tab.page
    page.goto(demo.path("/posts/{post}"))
    parent = f"#comment-{demo.ids['maya_replies_to_amara']}"
    page.locator(f"{parent} a.reply-link").focus()
    page.keyboard.press("Enter")
    tab_to(page, f"{parent} a.cancel-reply", key="Shift+Tab", limit=1)
    page.keyboard.press("Enter")
    assert page.locator("#respond").evaluate("box => box.closest('.comment') === null")
    state = focus(page, f"{parent} a.reply-link")
    assert state["matches"] and state["visible"], f"the focus is on {state['what']}"
