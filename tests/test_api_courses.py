"""API: courses, joining, members, chapters, topics and lecture videos."""

import pytest
from sqlalchemy import func, select

from coursehub.courses.models import Chapter, Course, LectureVideo, Membership, Role, Segment, Topic
from coursehub.extensions import db
from tests import factories

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.token(user)}"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- courses -----------------------------------------------------------------------------


def test_create_course_makes_the_caller_its_instructor(client, outsider):
    response = client.post(
        "/api/v1/courses",
        headers=bearer(outsider),
        json={"code": " BIO 200 ", "title": "Cell Biology", "description": "Cells."},
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "code": "BIO 200",
        "title": "Cell Biology",
        "description": "Cells.",
        "role": "instructor",
        "join_code": body["join_code"],
        "html_url": f"/courses/{body['id']}",
    }
    assert len(body["join_code"]) == 8


def test_create_course_is_403_when_only_admins_may(client, app, monkeypatch, outsider, admin):
    monkeypatch.setitem(app.config, "COURSE_CREATION", "admins")
    course = {"code": "BIO 200", "title": "Cell Biology"}

    refused = client.post("/api/v1/courses", headers=bearer(outsider), json=course)
    allowed = client.post("/api/v1/courses", headers=bearer(admin), json=course)

    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert allowed.status_code == 201
    assert count(Course) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"code": "", "title": "T"}, "code"),
        ({"code": "C", "title": "   "}, "title"),
        ({"code": "C" * 33, "title": "T"}, "code"),
        ({"code": "C", "title": "T" * 201}, "title"),
        ({"code": "C"}, "title"),
        ({"code": "C", "title": "T", "description": "d" * 20_001}, "description"),
        ({"code": "C", "title": "NUL\u0000 is not text"}, "title"),
    ],
)
def test_create_course_refuses_empty_or_too_long_values(client, outsider, body, field):
    response = client.post("/api/v1/courses", headers=bearer(outsider), json=body)

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert count(Course) == 0


def test_create_course_with_a_number_for_code_is_400(client, outsider):
    response = client.post(
        "/api/v1/courses", headers=bearer(outsider), json={"code": 101, "title": "Neuro"}
    )

    assert response.status_code == 400
    assert "code must be a string" in response.get_json()["error"]["message"]


def test_list_courses_pages_through_the_callers_courses_only(client, instructor, outsider):
    for title in ("First", "Second", "Third"):
        factories.course(instructor, title=title)
    factories.course(outsider, title="Someone else's")
    headers = bearer(instructor)

    first = client.get("/api/v1/courses?per_page=2", headers=headers).get_json()
    second = client.get("/api/v1/courses?per_page=2&page=2", headers=headers).get_json()

    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 3)
    assert [c["title"] for c in first["items"] + second["items"]] == ["Third", "Second", "First"]
    assert second["page"] == 2


def test_list_courses_hides_the_join_code_from_students(client, course, student):
    items = client.get("/api/v1/courses", headers=bearer(student)).get_json()["items"]

    assert [(c["id"], c["role"]) for c in items] == [(course.id, "student")]
    assert "join_code" not in items[0]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
        ("page=%C2%B2", "page"),
        ("page=99999999999", "page"),
    ],
)
def test_bad_page_arguments_are_422(client, course, instructor, query, field):
    response = client.get(f"/api/v1/courses?{query}", headers=bearer(instructor))

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_per_page_above_the_maximum_is_capped(client, course, instructor):
    body = client.get("/api/v1/courses?per_page=5000", headers=bearer(instructor)).get_json()

    assert body["per_page"] == 100
    assert body["total"] == 1


def test_course_shows_the_join_code_to_staff_only(client, course, ta, student):
    as_ta = client.get(f"/api/v1/courses/{course.id}", headers=bearer(ta)).get_json()
    as_student = client.get(f"/api/v1/courses/{course.id}", headers=bearer(student)).get_json()

    assert as_ta["join_code"] == course.join_code
    assert as_ta["role"] == "ta"
    assert "join_code" not in as_student
    assert as_student["title"] == "Introduction to Neuroscience"


def test_course_ids_beyond_any_row_are_404(client, outsider):
    response = client.get(f"/api/v1/courses/{10**30}", headers=bearer(outsider))

    assert response.status_code == 404


def test_patch_course_changes_only_what_is_sent(client, course, instructor):
    response = client.patch(
        f"/api/v1/courses/{course.id}", headers=bearer(instructor), json={"title": "Neuroscience I"}
    )

    assert response.status_code == 200
    assert response.get_json()["title"] == "Neuroscience I"
    assert response.get_json()["code"] == "NEURO 101"
    db.session.refresh(course)
    assert (course.title, course.description) == ("Neuroscience I", "How brains work.")


def test_patch_course_can_clear_the_description(client, course, instructor):
    response = client.patch(
        f"/api/v1/courses/{course.id}", headers=bearer(instructor), json={"description": ""}
    )

    assert response.get_json()["description"] == ""


def test_patch_course_refuses_null_and_empty_values(client, course, instructor):
    null = client.patch(
        f"/api/v1/courses/{course.id}", headers=bearer(instructor), json={"title": None}
    )
    empty = client.patch(
        f"/api/v1/courses/{course.id}", headers=bearer(instructor), json={"title": ""}
    )

    assert null.status_code == 400
    assert "title cannot be null" in null.get_json()["error"]["message"]
    assert empty.status_code == 422
    assert list(empty.get_json()["error"]["fields"]) == ["title"]
    db.session.refresh(course)
    assert course.title == "Introduction to Neuroscience"


def test_regenerated_join_code_replaces_the_old_one(client, course, instructor, outsider):
    old = course.join_code

    response = client.post(f"/api/v1/courses/{course.id}/join-code", headers=bearer(instructor))
    with_old = client.post(
        "/api/v1/courses/join", headers=bearer(outsider), json={"join_code": old}
    )

    assert response.status_code == 200
    assert response.get_json()["join_code"] != old
    assert with_old.status_code == 404


# --- joining -----------------------------------------------------------------------------


def test_join_course_enrols_the_caller_as_student(client, course, outsider):
    typed = f"{course.join_code[:4].lower()}-{course.join_code[4:]}"

    response = client.post(
        "/api/v1/courses/join", headers=bearer(outsider), json={"join_code": typed}
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body["role"] == "student"
    assert body["course"]["id"] == course.id
    assert body["course"]["role"] == "student"
    assert "join_code" not in body["course"]


def test_join_course_with_an_unknown_code_is_404(client, course, outsider):
    response = client.post(
        "/api/v1/courses/join", headers=bearer(outsider), json={"join_code": "ZZZZ-ZZZZ"}
    )

    assert response.status_code == 404
    assert count(Membership) == 1


def test_join_course_twice_is_409(client, course, student):
    response = client.post(
        "/api/v1/courses/join", headers=bearer(student), json={"join_code": course.join_code}
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("join_code", ["", "   "])
def test_join_course_with_an_empty_code_is_422(client, course, outsider, join_code):
    response = client.post(
        "/api/v1/courses/join", headers=bearer(outsider), json={"join_code": join_code}
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["join_code"]


# --- members and roles -------------------------------------------------------------------


def test_members_show_emails_to_staff_but_not_to_students(client, course, instructor, ta, student):
    as_staff = client.get(f"/api/v1/courses/{course.id}/members", headers=bearer(ta)).get_json()
    as_student = client.get(
        f"/api/v1/courses/{course.id}/members", headers=bearer(student)
    ).get_json()

    assert as_staff["total"] == 3
    assert [(m["user"]["username"], m["role"]) for m in as_staff["items"]] == [
        ("ines", "instructor"),
        ("tomas", "ta"),
        ("sofia", "student"),
    ]
    assert as_staff["items"][2]["user"]["email"] == "sofia@example.org"
    assert all("email" not in m["user"] for m in as_student["items"])
    assert as_student["items"][0]["user"] == {
        "id": instructor.id,
        "username": "ines",
        "display_name": "Ines Instructor",
    }


def test_members_are_paginated(client, course, ta, student, other_student):
    body = client.get(
        f"/api/v1/courses/{course.id}/members?per_page=2&page=2", headers=bearer(student)
    ).get_json()

    assert body["total"] == 4
    assert [m["role"] for m in body["items"]] == ["student", "student"]


def test_instructor_promotes_a_student_to_ta(client, course, instructor, student):
    response = client.put(
        f"/api/v1/courses/{course.id}/members/{student.id}",
        headers=bearer(instructor),
        json={"role": "ta"},
    )
    course_as_new_ta = client.get(f"/api/v1/courses/{course.id}", headers=bearer(student))

    assert response.status_code == 200
    assert response.get_json()["role"] == "ta"
    assert response.get_json()["user"]["id"] == student.id
    assert course_as_new_ta.get_json()["join_code"] == course.join_code


def test_set_role_refuses_an_unknown_role(client, course, instructor, student):
    response = client.put(
        f"/api/v1/courses/{course.id}/members/{student.id}",
        headers=bearer(instructor),
        json={"role": "dean"},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["role"]


def test_set_role_with_a_number_for_role_is_400(client, course, instructor, student):
    response = client.put(
        f"/api/v1/courses/{course.id}/members/{student.id}",
        headers=bearer(instructor),
        json={"role": 1},
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "role must be a string, not an integer."


def test_set_role_of_a_non_member_is_404(client, course, instructor, outsider):
    response = client.put(
        f"/api/v1/courses/{course.id}/members/{outsider.id}",
        headers=bearer(instructor),
        json={"role": "ta"},
    )

    assert response.status_code == 404
    assert count(Membership) == 1


def test_the_last_instructor_cannot_step_down(client, course, instructor):
    response = client.put(
        f"/api/v1/courses/{course.id}/members/{instructor.id}",
        headers=bearer(instructor),
        json={"role": "student"},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["role"]
    assert (
        db.session.scalar(select(Membership.role).where(Membership.user_id == instructor.id))
        is Role.instructor
    )


# --- chapters and topics -----------------------------------------------------------------


def test_create_chapter_with_topics_as_names_or_objects(client, course, ta):
    response = client.post(
        f"/api/v1/courses/{course.id}/chapters",
        headers=bearer(ta),
        json={
            "number": 2,
            "title": "Neurons",
            "summary": "Cells that signal.",
            "topics": ["Axons", {"name": "Synapses & Glia", "description": "Junctions."}],
        },
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body["course_id"] == course.id
    assert (body["number"], body["title"], body["summary"]) == (2, "Neurons", "Cells that signal.")
    assert body["html_url"] == f"/chapters/{body['id']}"
    assert [(t["name"], t["slug"], t["description"]) for t in body["topics"]] == [
        ("Axons", "axons", ""),
        ("Synapses & Glia", "synapses-glia", "Junctions."),
    ]
    assert all(isinstance(t["id"], int) for t in body["topics"])


def test_create_chapter_with_a_taken_number_is_409(client, chapter, instructor):
    response = client.post(
        f"/api/v1/courses/{chapter.course_id}/chapters",
        headers=bearer(instructor),
        json={"number": 4, "title": "Again"},
    )

    assert response.status_code == 409
    assert count(Chapter) == 1


def test_create_chapter_with_duplicate_topics_writes_nothing(client, course, instructor):
    response = client.post(
        f"/api/v1/courses/{course.id}/chapters",
        headers=bearer(instructor),
        json={"number": 1, "title": "Intro", "topics": ["Neurons", "neurons"]},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["topics"]
    assert (count(Chapter), count(Topic)) == (0, 0)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"number": "1", "title": "T"}, 400, None),
        ({"number": 1.5, "title": "T"}, 400, None),
        ({"number": 1, "title": "T", "topics": [7]}, 400, None),
        ({"number": 1, "title": "T", "topics": "Axons"}, 400, None),
        ({"number": -1, "title": "T"}, 422, "number"),
        ({"number": 1000, "title": "T"}, 422, "number"),
        ({"number": 1, "title": ""}, 422, "title"),
        ({"number": 1, "title": "T", "topics": [{"name": ""}]}, 422, "topics.0.name"),
        ({"number": 1, "title": "T", "topics": ["x" * 81]}, 422, "topics.0.name"),
    ],
)
def test_create_chapter_refuses_bad_input(client, course, instructor, body, status, field):
    response = client.post(
        f"/api/v1/courses/{course.id}/chapters", headers=bearer(instructor), json=body
    )

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    assert count(Chapter) == 0


def test_list_chapters_in_number_order(client, course, student):
    for number in (3, 1, 2):
        factories.chapter(course, number=number)

    body = client.get(
        f"/api/v1/courses/{course.id}/chapters?per_page=2", headers=bearer(student)
    ).get_json()

    assert body["total"] == 3
    assert [c["number"] for c in body["items"]] == [1, 2]
    assert [t["name"] for t in body["items"][0]["topics"]] == [
        "Structures",
        "Connections",
        "Functions",
    ]


def test_get_chapter(client, chapter, student):
    response = client.get(f"/api/v1/chapters/{chapter.id}", headers=bearer(student))

    assert response.status_code == 200
    assert response.get_json()["title"] == "Structures, Connections, Functions"
    assert len(response.get_json()["topics"]) == 3


def test_patch_chapter_renumbers_it(client, chapter, ta):
    response = client.patch(
        f"/api/v1/chapters/{chapter.id}", headers=bearer(ta), json={"number": 5}
    )

    assert response.status_code == 200
    assert (response.get_json()["number"], response.get_json()["title"]) == (
        5,
        "Structures, Connections, Functions",
    )


def test_patch_chapter_to_a_taken_number_is_409(client, course, chapter, ta):
    factories.chapter(course, number=5)

    response = client.patch(
        f"/api/v1/chapters/{chapter.id}", headers=bearer(ta), json={"number": 5}
    )

    assert response.status_code == 409
    db.session.refresh(chapter)
    assert chapter.number == 4


def test_add_topic(client, chapter, ta):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/topics",
        headers=bearer(ta),
        json={"name": "Mirror Neurons", "description": "Seeing and doing."},
    )

    assert response.status_code == 201
    assert response.get_json() == {
        "id": response.get_json()["id"],
        "name": "Mirror Neurons",
        "slug": "mirror-neurons",
        "description": "Seeing and doing.",
    }
    assert count(Topic) == 4


@pytest.mark.parametrize("name", ["connections", "!!!"])
def test_add_topic_refuses_a_duplicate_or_unsluggable_name(client, chapter, ta, name):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/topics", headers=bearer(ta), json={"name": name}
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["name"]
    assert count(Topic) == 3


# --- videos ------------------------------------------------------------------------------


def test_create_video_with_segments(client, chapter, ta):
    topic = chapter.topics[1]

    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={
            "title": "Synapses",
            "url": YOUTUBE,
            "duration_seconds": 600,
            "segments": [
                {"start_seconds": 0, "title": "Intro"},
                {"start_seconds": 90, "title": "Gaps", "topic_id": topic.id},
            ],
        },
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body["chapter_id"] == chapter.id
    assert body["url"] == YOUTUBE
    assert body["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert body["duration_seconds"] == 600
    assert body["html_url"] == f"/videos/{body['id']}"
    assert [(s["start_seconds"], s["title"], s["topic_id"]) for s in body["segments"]] == [
        (0, "Intro", None),
        (90, "Gaps", topic.id),
    ]


def test_create_video_without_duration_or_segments(client, chapter, ta):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={"title": "Lab tour", "url": "https://vimeo.com/76979871"},
    )

    assert response.status_code == 201
    assert response.get_json()["embed_url"] == "https://player.vimeo.com/video/76979871?dnt=1"
    assert (response.get_json()["duration_seconds"], response.get_json()["segments"]) == (None, [])


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "not a url",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=short",
        "https://vimeo.com/not-a-number",
        "https://",
    ],
)
def test_create_video_refuses_non_https_or_malformed_urls(client, chapter, ta, url):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={"title": "Bad link", "url": url},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["url"]
    assert count(LectureVideo) == 0


@pytest.mark.parametrize(
    "segment, status, field",
    [
        ({"start_seconds": -1, "title": "Before"}, 422, "segments.1.start_seconds"),
        ({"start_seconds": 700, "title": "After the end"}, 422, "segments"),
        ({"start_seconds": 5, "title": ""}, 422, "segments.1.title"),
        ({"start_seconds": 5}, 422, "segments.1.title"),
        ({"start_seconds": "0:05", "title": "Text time"}, 400, None),
        ({"start_seconds": 5, "title": "Topic elsewhere", "topic_id": 10**9}, 422, "segments"),
    ],
)
def test_one_bad_segment_creates_no_video_and_no_segments(
    client, chapter, ta, segment, status, field
):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={
            "title": "Synapses",
            "url": YOUTUBE,
            "duration_seconds": 600,
            "segments": [{"start_seconds": 0, "title": "Fine"}, segment],
        },
    )

    assert response.status_code == status
    assert list(response.get_json()["error"]["fields"]) == ([field] if field else [])
    assert (count(LectureVideo), count(Segment)) == (0, 0)


def test_segment_topic_from_another_chapter_is_refused(client, course, chapter, ta):
    elsewhere = factories.chapter(course, number=5).topics[0]

    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={
            "title": "Synapses",
            "url": YOUTUBE,
            "segments": [{"start_seconds": 0, "title": "Wrong", "topic_id": elsewhere.id}],
        },
    )

    assert response.status_code == 422
    assert count(LectureVideo) == 0


def test_negative_duration_is_422(client, chapter, ta):
    response = client.post(
        f"/api/v1/chapters/{chapter.id}/videos",
        headers=bearer(ta),
        json={"title": "T", "url": YOUTUBE, "duration_seconds": -5},
    )

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["duration_seconds"]


def test_list_videos(client, chapter, video, student):
    body = client.get(f"/api/v1/chapters/{chapter.id}/videos", headers=bearer(student)).get_json()

    assert body["total"] == 1
    assert [v["id"] for v in body["items"]] == [video.id]
    assert [s["title"] for s in body["items"][0]["segments"]] == ["Welcome", "The cortex"]


def test_get_video_with_citations(client, video, student):
    response = client.get(f"/api/v1/videos/{video.id}", headers=bearer(student))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["duration_seconds"], body["citations"]) == (
        "Touring the brain",
        1800,
        [],
    )
    assert body["segments"][1]["topic_id"] == video.chapter.topics[0].id


def test_video_lists_the_posts_citing_it_that_the_caller_may_read(
    client, chapter, video, student, other_student
):
    cited = f"Look at [[video:{video.id}@2:05]] for the cortex."
    posts = [
        factories.post(
            other_student, factories.assignment(chapter, title=title, **rules), body=cited
        )
        for title, rules in (("Open", {}), ("Post first", {"post_before_viewing": True}))
    ]
    body = client.get(f"/api/v1/videos/{video.id}", headers=bearer(student)).get_json()
    assert body["citations"] == [{"post_id": posts[0].id, "seconds": 125}]


# --- who may do what ---------------------------------------------------------------------

# (method, path, body, who may): path placeholders are filled from the fixtures.
WRITES = [
    ("PATCH", "/courses/{course}", {"title": "Renamed"}, "instructor"),
    ("POST", "/courses/{course}/join-code", None, "instructor"),
    ("PUT", "/courses/{course}/members/{other_student}", {"role": "ta"}, "instructor"),
    ("POST", "/courses/{course}/chapters", {"number": 9, "title": "Later"}, "staff"),
    ("PATCH", "/chapters/{chapter}", {"title": "Renamed"}, "staff"),
    ("POST", "/chapters/{chapter}/topics", {"name": "Glia"}, "staff"),
    ("POST", "/chapters/{chapter}/videos", {"title": "T", "url": "https://vimeo.com/1"}, "staff"),
]
READS = [
    "/courses/{course}",
    "/courses/{course}/members",
    "/courses/{course}/chapters",
    "/chapters/{chapter}",
    "/chapters/{chapter}/videos",
    "/videos/{video}",
]
ALLOWED = {"instructor": {"instructor"}, "staff": {"instructor", "ta"}}


@pytest.fixture
def ids(course, chapter, video, other_student) -> dict[str, int]:
    return {
        "course": course.id,
        "chapter": chapter.id,
        "video": video.id,
        "other_student": other_student.id,
    }


@pytest.mark.parametrize("role", ["instructor", "ta", "student", "outsider"])
@pytest.mark.parametrize("method, path, body, who", WRITES)
def test_write_access(client, request, ids, role, method, path, body, who):
    caller = request.getfixturevalue(role)

    response = client.open(
        f"/api/v1{path.format(**ids)}", method=method, json=body, headers=bearer(caller)
    )

    if role in ALLOWED[who]:
        assert response.status_code in (200, 201)
    elif role == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["instructor", "ta", "student", "outsider"])
@pytest.mark.parametrize("path", READS)
def test_read_access(client, request, ids, role, path):
    caller = request.getfixturevalue(role)

    response = client.get(f"/api/v1{path.format(**ids)}", headers=bearer(caller))

    assert response.status_code == (404 if role == "outsider" else 200)


def test_outsider_gets_404_before_any_body_check(client, ids, outsider):
    response = client.post(
        f"/api/v1/chapters/{ids['chapter']}/videos",
        headers=bearer(outsider),
        data="{broken",
        content_type="application/json",
    )

    assert response.status_code == 404


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_token(client, ids, path):
    response = client.get(f"/api/v1{path.format(**ids)}")

    assert response.status_code == 401
