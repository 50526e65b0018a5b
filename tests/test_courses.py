"""Course pages as teachers and students use them."""

import re

import pytest
from sqlalchemy import func, select

from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Role, Segment, Topic
from coursehub.extensions import db
from tests import factories


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_creating_a_course_makes_the_creator_its_instructor(client, instructor):
    client.sign_in("ines")
    response = client.submit(
        "/courses/new",
        {
            "code": "BIO 210",
            "title": "Cell Biology",
            "description": "Cells, up close.",
        },
    )
    course = db.session.scalar(select(Course).where(Course.code == "BIO 210"))
    assert response.headers["Location"] == f"/courses/{course.id}"
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Cell Biology" in page and "Instructor" in page and course.join_code in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "", "title": "T"}, "This field is required."),
        ({"code": "X" * 33, "title": "T"}, "longer than 32 characters"),
        ({"code": "C", "title": ""}, "This field is required."),
        ({"code": "C", "title": "t" * 201}, "longer than 200 characters"),
        ({"code": "C", "title": "   "}, "Give the course a title."),
        ({"code": "  ", "title": "T"}, "Give the course a code, e.g. NEURO 101."),
    ],
)
def test_course_form_rejects_bad_input(client, instructor, data, message):
    client.sign_in("ines")
    response = client.submit("/courses/new", data)
    assert message in response.get_data(as_text=True)
    assert count(Course) == 0


def test_blank_course_and_chapter_titles_are_refused_where_they_are_edited(client, course, chapter):
    client.sign_in("ines")
    settings = {"code": "NEURO 101", "title": "  ", "description": "", "timezone": "UTC"}
    page = client.submit(f"/courses/{course.id}/settings", settings).get_data(as_text=True)
    assert "Give the course a title." in page
    new = {"number": "5", "title": " ", "summary": "", "topics": ""}
    page = client.submit(f"/courses/{course.id}/chapters/new", new).get_data(as_text=True)
    assert "Give the chapter a title." in page
    edit = {"number": "4", "title": " ", "summary": ""}
    page = client.submit(f"/chapters/{chapter.id}/edit", edit).get_data(as_text=True)
    assert "Give the chapter a title." in page
    db.session.expire_all()
    assert course.title == "Introduction to Neuroscience" and count(Chapter) == 1
    assert chapter.title == "Structures, Connections, Functions"


def test_a_new_chapter_is_numbered_after_the_last_one(client, course, chapter, instructor):
    client.sign_in("ines")
    page = client.get(f"/courses/{course.id}/chapters/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="number"[^>]*value="5"', page)


def test_the_time_zone_list_offers_area_city_names_and_keeps_a_course_alias(
    client, course, instructor
):
    client.sign_in("ines")
    page = client.get("/courses/new").get_data(as_text=True)
    assert '<option value="Europe/Berlin">' in page and '<option selected value="UTC">' in page
    assert 'value="W-SU"' not in page and 'value="localtime"' not in page
    course.timezone = "Zulu"  # an alias the API accepts
    db.session.commit()
    page = client.get(f"/courses/{course.id}/settings").get_data(as_text=True)
    assert '<option selected value="Zulu">' in page
    settings = {"code": "NEURO 101", "title": "Neuro", "description": "", "timezone": "Zulu"}
    assert client.submit(f"/courses/{course.id}/settings", settings).status_code == 302


def test_course_creation_can_be_limited_to_admins(app, client, instructor):
    app.config["COURSE_CREATION"] = "admins"
    try:
        client.sign_in("ines")
        assert client.get("/courses/new").status_code == 403
        assert "New course" not in client.get("/").get_data(as_text=True)
    finally:
        app.config["COURSE_CREATION"] = "anyone"


def test_student_joins_with_the_code_and_sees_the_course(client, course, chapter, outsider):
    client.sign_in("fred")
    code = course.join_code
    typed = f" {code[:4].lower()}-{code[4:]} "  # as typed from a slide
    response = client.submit("/courses/join", {"join_code": typed})
    assert response.headers["Location"] == f"/courses/{course.id}"
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Chapter 4: Structures, Connections, Functions" in page
    assert "Student" in page
    assert code not in page, "students do not see the join code"


def test_bad_join_code_and_second_join_are_explained(client, course, student):
    client.sign_in("sofia")
    response = client.submit("/courses/join", {"join_code": "NOPE1234"})
    assert "No course has that join code." in response.get_data(as_text=True)
    response = client.submit("/courses/join", {"join_code": course.join_code})
    assert "You are already a member of" in response.get_data(as_text=True)
    assert count(Membership) == 2


def test_join_link_prefills_the_code(client, course, outsider):
    client.sign_in("fred")
    page = client.get(f"/courses/join?code={course.join_code}").get_data(as_text=True)
    assert f'value="{course.join_code}"' in page


def test_regenerated_join_code_replaces_the_old_one(client, course, outsider):
    old = course.join_code
    client.sign_in("ines")
    client.submit(f"/courses/{course.id}/join-code")
    db.session.refresh(course)
    assert course.join_code != old
    client.submit("/accounts/logout")
    client.sign_in("fred")
    assert "No course has that join code." in client.submit(
        "/courses/join", {"join_code": old}
    ).get_data(as_text=True)


def test_instructor_edits_settings(client, course):
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/settings",
        {
            "code": "NEURO 101",
            "title": "Neuroscience I",
            "description": "Updated.",
        },
    )
    assert response.status_code == 302
    db.session.refresh(course)
    assert course.title == "Neuroscience I"


def test_instructor_changes_roles_on_the_roster(client, course, student):
    client.sign_in("ines")
    page = client.get(f"/courses/{course.id}/people").get_data(as_text=True)
    assert "Sofia Student" in page and "sofia@example.org" in page
    response = client.submit(
        f"/courses/{course.id}/people/{student.id}/role", {"role": "ta"}, follow_redirects=True
    )
    assert "Sofia Student is now a teaching assistant." in response.get_data(as_text=True)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == student.id))
    assert membership.role is Role.ta


@pytest.mark.parametrize("asked", ["99999999999999999999", "7", "0", "many"])
def test_any_page_number_of_the_roster_shows_a_page_of_it(client, course, student, asked):
    client.sign_in("ines")
    response = client.get(f"/courses/{course.id}/people?page={asked}")
    assert response.status_code == 200 and "Sofia Student" in response.get_data(as_text=True)


def test_last_instructor_cannot_step_down(client, course, instructor):
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/people/{instructor.id}/role",
        {"role": "student"},
        follow_redirects=True,
    )
    assert "A course needs at least one instructor" in response.get_data(as_text=True)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == instructor.id))
    assert membership.role is Role.instructor


def test_instructor_removes_a_member_whose_writing_stays(
    client, app, course, chapter, student, other_student
):
    post = factories.post(student, factories.assignment(chapter), "Sofia's thoughts")
    client.sign_in("ines")
    roster = client.get(f"/courses/{course.id}/people").get_data(as_text=True)
    assert 'aria-label="Remove Sofia Student"' in roster
    response = client.submit(
        f"/courses/{course.id}/people/{student.id}/remove", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Sofia Student is no longer in the course; what they wrote stays." in page
    assert "sofia@example.org" not in page
    audit = client.get(f"/courses/{course.id}/audit").get_data(as_text=True)
    assert "removed Sofia Student from the course" in audit
    assert "<dt>Role</dt><dd>Student</dd>" in audit

    sofia = app.test_client()
    sofia.sign_in("sofia")
    assert sofia.get(f"/courses/{course.id}").status_code == 404
    omar = app.test_client()
    omar.sign_in("omar")
    assert "Sofia&#39;s thoughts" in omar.get(f"/posts/{post.id}").get_data(as_text=True)


def test_the_audit_log_still_names_a_member_whose_role_changed_before_removal(
    client, course, student
):
    client.sign_in("ines")
    client.submit(f"/courses/{course.id}/people/{student.id}/role", {"role": "ta"})
    client.submit(f"/courses/{course.id}/people/{student.id}/remove")
    audit = client.get(f"/courses/{course.id}/audit").get_data(as_text=True)
    assert "changed the role of Sofia Student" in audit
    assert "removed Sofia Student from the course" in audit
    assert "Membership " not in audit and "user_id" not in audit


def test_the_last_instructor_cannot_be_removed(client, course, instructor):
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/people/{instructor.id}/remove", follow_redirects=True
    )
    assert "A course needs at least one instructor" in response.get_data(as_text=True)
    assert db.session.scalar(select(Membership).where(Membership.user_id == instructor.id))


def test_invalid_role_is_refused(client, course, student):
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/people/{student.id}/role", {"role": "owner"}, follow_redirects=True
    )
    assert "Choose instructor, teaching assistant or student." in response.get_data(as_text=True)


def test_students_see_classmates_but_not_emails_or_role_controls(client, course, student, ta):
    client.sign_in("sofia")
    page = client.get(f"/courses/{course.id}/people").get_data(as_text=True)
    assert "Tomas Assistant" in page and "Teaching assistant" in page
    assert "tomas@example.org" not in page and "<select" not in page


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/courses/{course}/settings", None),
        ("post", "/courses/{course}/settings", {"code": "X", "title": "Y"}),
        ("post", "/courses/{course}/join-code", {}),
        ("post", "/courses/{course}/people/{student}/role", {"role": "instructor"}),
        ("get", "/courses/{course}/chapters/new", None),
        ("post", "/courses/{course}/chapters/new", {"number": "9", "title": "T"}),
        ("get", "/chapters/{chapter}/edit", None),
        ("post", "/chapters/{chapter}/topics", {"name": "New"}),
        ("get", "/chapters/{chapter}/videos/new", None),
    ],
)
def test_students_get_403_on_staff_actions(client, course, chapter, student, method, path, data):
    client.sign_in("sofia")
    url = path.format(course=course.id, chapter=chapter.id, student=student.id)
    response = client.get(url) if method == "get" else client.submit(url, data)
    assert response.status_code == 403
    membership = db.session.scalar(select(Membership).where(Membership.user_id == student.id))
    assert membership.role is Role.student and count(Chapter) == 1 and count(Topic) == 3


def test_ta_manages_content_but_not_settings_or_roles(client, course, chapter, ta, student):
    client.sign_in("tomas")
    assert client.get(f"/courses/{course.id}/chapters/new").status_code == 200
    assert client.get(f"/courses/{course.id}/settings").status_code == 403
    response = client.submit(f"/courses/{course.id}/people/{student.id}/role", {"role": "ta"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/courses/{course}",
        "/courses/{course}/settings",
        "/courses/{course}/people",
        "/courses/{course}/chapters/new",
        "/chapters/{chapter}",
        "/chapters/{chapter}/edit",
        "/chapters/{chapter}/videos/new",
        "/videos/{video}",
    ],
)
def test_non_members_get_404_for_every_course_url(client, course, chapter, video, outsider, path):
    client.sign_in("fred")
    url = path.format(course=course.id, chapter=chapter.id, video=video.id)
    assert client.get(url).status_code == 404
    assert client.submit(url, {}).status_code in (404, 405)


def test_missing_course_is_404_too(client, outsider):
    client.sign_in("fred")
    response = client.get("/courses/999999")
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


def test_staff_add_a_chapter_with_three_topics(client, course):
    client.sign_in("ines")
    response = client.submit(
        f"/courses/{course.id}/chapters/new",
        {
            "number": "4",
            "title": "Structures, Connections, Functions",
            "summary": "A tour.",
            "topics": "Structures\nConnections\n\nFunctions\n",
        },
    )
    chapter = db.session.scalar(select(Chapter))
    assert response.headers["Location"] == f"/chapters/{chapter.id}"
    page = client.get(f"/chapters/{chapter.id}").get_data(as_text=True)
    for name in ("Structures", "Connections", "Functions"):
        assert f">{name}</a></h3>" in page
    course_page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Chapter 4: Structures, Connections, Functions" in course_page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "4", "title": "Again"}, "This course already has a chapter 4."),
        ({"number": "x", "title": "T"}, "Not a valid integer value."),
        ({"number": "-1", "title": "T"}, "Number must be between 0 and 999."),
        ({"number": "5", "title": ""}, "This field is required."),
        ({"number": "5", "title": "T", "topics": "Glia\nglia"}, "already has a topic called"),
        ({"number": "5", "title": "T", "topics": "?!"}, "needs at least one letter or digit"),
    ],
)
def test_chapter_form_rejects_bad_input(client, course, chapter, data, message):
    client.sign_in("ines")
    response = client.submit(f"/courses/{course.id}/chapters/new", data)
    assert message in response.get_data(as_text=True)
    assert count(Chapter) == 1 and count(Topic) == 3


def test_editing_a_chapter_and_adding_a_topic(client, chapter):
    client.sign_in("ines")
    client.submit(
        f"/chapters/{chapter.id}/edit", {"number": "5", "title": "Renamed", "summary": ""}
    )
    client.submit(
        f"/chapters/{chapter.id}/topics", {"name": "Glia", "description": "Support cells"}
    )
    page = client.get(f"/chapters/{chapter.id}").get_data(as_text=True)
    assert "Renamed" in page and "Glia" in page and "Support cells" in page
    duplicate = client.submit(f"/chapters/{chapter.id}/topics", {"name": "glia"})
    assert duplicate.status_code == 422
    assert "already has a topic called" in duplicate.get_data(as_text=True)


def test_staff_rename_a_topic_and_its_posts_follow(client, chapter, student):
    assignment = factories.assignment(chapter)
    structures = chapter.topics[0]
    post = factories.post(student, assignment, "On the cortex")  # on its first topic
    client.sign_in("ines")
    topic_page = client.get(f"/topics/{structures.id}").get_data(as_text=True)
    assert f'href="/topics/{structures.id}/edit"' in topic_page
    form = client.get(f"/topics/{structures.id}/edit").get_data(as_text=True)
    assert 'value="Structures"' in form

    refused = client.submit(f"/topics/{structures.id}/edit", {"name": "connections"})
    assert "This chapter already has a topic called “connections”." in refused.get_data(
        as_text=True
    )
    response = client.submit(
        f"/topics/{structures.id}/edit", {"name": "Anatomy", "description": "Parts and places."}
    )
    assert response.headers["Location"] == f"/topics/{structures.id}"
    db.session.expire_all()
    assert (structures.name, structures.slug) == ("Anatomy", "anatomy")
    assert f'<a class="chip" href="/topics/{structures.id}">Anatomy</a>' in client.get(
        f"/posts/{post.id}"
    ).get_data(as_text=True)
    same = client.submit(f"/topics/{structures.id}/edit", {"name": "ANATOMY"})
    assert same.status_code == 302, "a topic may keep its own name, in another case"


def test_staff_add_a_video_with_segments(client, chapter):
    client.sign_in("ines")
    response = client.submit(
        f"/chapters/{chapter.id}/videos/new",
        {
            "title": "Brain tour",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "duration": "48:30",
            "segments": "0:00 Welcome\n4:10 Brainstem [structures]\n1:02:03 Past the end\n",
        },
    )
    assert response.status_code == 200
    assert "starts after the video ends" in response.get_data(as_text=True)
    assert count(LectureVideo) == 0 and count(Segment) == 0
    twice = {
        "title": "Brain tour", "url": "https://youtu.be/dQw4w9WgXcQ", "duration": "48:30",
        "segments": "0:00 Welcome\n4:10 Brainstem\n4:10 Cerebellum\n",
    }  # fmt: skip
    response = client.submit(f"/chapters/{chapter.id}/videos/new", twice)
    assert "“Brainstem” and “Cerebellum” both start at 4:10." in response.get_data(as_text=True)
    assert count(LectureVideo) == 0

    response = client.submit(
        f"/chapters/{chapter.id}/videos/new",
        {
            "title": "Brain tour",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "duration": "1:30:00",
            "segments": "0:00 Welcome\n4:10 Brainstem [structures]\n1:02:03 Wrap-up\n",
        },
    )
    video = db.session.scalar(select(LectureVideo))
    assert response.headers["Location"] == f"/videos/{video.id}"
    assert [(s.start_seconds, s.title) for s in video.segments] == [
        (0, "Welcome"),
        (250, "Brainstem"),
        (3723, "Wrap-up"),
    ]
    assert video.segments[1].topic.name == "Structures"


def test_staff_edit_a_video_and_its_segments(client, chapter, video):
    client.sign_in("ines")
    video_page = client.get(f"/videos/{video.id}").get_data(as_text=True)
    assert f'href="/videos/{video.id}/edit"' in video_page
    page = client.get(f"/videos/{video.id}/edit").get_data(as_text=True)
    assert "<h1>Edit the lecture video</h1>" in page
    assert 'value="Touring the brain"' in page and 'value="30:00"' in page
    assert "0:00 Welcome\n2:05 The cortex [Structures]</textarea>" in page

    def save(**changes):
        form = {
            "title": "Touring the brain, part 1",
            "url": "https://vimeo.com/76979871",
            "duration": "20:00",
            "segments": "0:00 Welcome back\n15:00 The thalamus [Connections]",
            **changes,
        }
        return client.submit(f"/videos/{video.id}/edit", form)

    refused = save(segments="0:00 Welcome back\n25:00 Past the new end")
    assert "starts after the video ends" in refused.get_data(as_text=True)
    refused = save(title="   ")
    assert "Give the video a title." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert video.title == "Touring the brain" and count(Segment) == 2, (
        "a refused edit changes nothing"
    )

    assert save().headers["Location"] == f"/videos/{video.id}"
    db.session.expire_all()
    assert (video.title, video.url, video.duration_seconds) == (
        "Touring the brain, part 1", "https://vimeo.com/76979871", 1200
    )  # fmt: skip
    segments = [(s.start_seconds, s.title, s.topic and s.topic.name) for s in video.segments]
    assert segments == [(0, "Welcome back", None), (900, "The thalamus", "Connections")]
    assert count(Segment) == 2, "the old segments are gone"


def test_a_video_cannot_be_shortened_before_a_moment_a_post_cites(client, chapter, video, student):
    assignment = factories.assignment(chapter)
    factories.post(student, assignment, body=f"[[video:{video.id}@25:00]]")
    draft = factories.member(chapter.course, "dan", "student")
    factories.post(draft, assignment, body=f"[[video:{video.id}@28:00]]", publish=False)
    client.sign_in("ines")
    form = {"title": "Touring the brain", "url": "https://vimeo.com/76979871", "segments": ""}
    refused = client.submit(f"/videos/{video.id}/edit", {**form, "duration": "20:00"})
    assert "A post cites 25:00 of this video, so its length must be at least that." in (
        refused.get_data(as_text=True)
    )
    assert (
        client.submit(f"/videos/{video.id}/edit", {**form, "duration": "25:00"}).status_code == 302
    )
    db.session.expire_all()
    assert video.duration_seconds == 1500


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "http://youtu.be/dQw4w9WgXcQ"}, "Use an https:// link"),
        ({"url": "not a url"}, "Use an https:// link"),
        ({"url": "https://www.youtube.com/watch?v=short"}, "does not name a video"),
        ({"url": "https://vimeo.com/channels/staff"}, "does not name a video"),
        ({"segments": "-0:10 Before the start"}, "should look like"),
        ({"segments": "12:75 Bad seconds"}, "should look like"),
        ({"segments": "Intro without a time"}, "should look like"),
        ({"segments": "1:00 Topic missing [Nonsense]"}, "no topic called"),
        ({"duration": "forever"}, "Write the length as MM:SS"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_video_form_rejects_bad_input(client, chapter, data, message):
    client.sign_in("ines")
    form = {"title": "T", "url": "https://vimeo.com/76979871", "segments": "0:00 Start", **data}
    response = client.submit(f"/chapters/{chapter.id}/videos/new", form)
    assert message in response.get_data(as_text=True)
    assert count(LectureVideo) == 0


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=125",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1#t=125s"),
        ("https://cdn.example.org/lecture.mp4", "https://cdn.example.org/lecture.mp4#t=125"),
    ],
)
def test_video_page_embeds_privately_and_segments_seek(client, chapter, url, embed):
    from coursehub.courses.services import SegmentSpec, create_video

    video = create_video(chapter, "Lecture", url, None, [SegmentSpec(125, "The cortex")])
    db.session.commit()
    client.sign_in("ines")
    page = client.get(f"/videos/{video.id}").get_data(as_text=True)
    assert f'data-embed="{embed}"' in page
    assert f'href="/videos/{video.id}?t=125"' in page and "2:05" in page
    started = client.get(f"/videos/{video.id}?t=125").get_data(as_text=True)
    assert f'src="{embed}"' in started, "without JavaScript the link starts the player there"
    if "youtube" in url:
        assert "youtube-nocookie.com" in page and "www.youtube.com/embed" not in page


def test_my_courses_lists_each_course_with_role(client, course, student):
    other = factories.course(factories.user("zoe"), title="Cognitive Science")
    client.sign_in("sofia")
    client.submit("/courses/join", {"join_code": other.join_code})
    page = client.get("/").get_data(as_text=True)
    assert "Introduction to Neuroscience" in page and "Cognitive Science" in page
