"""Staff delete chapters, topics, videos and assignments that no student work depends on;
the edit page says beforehand what keeps one, and the audit log names what went."""

import re

import pytest
from sqlalchemy import func, select

from coursehub.blogs import services as blogs
from coursehub.blogs.models import Assignment, Post, VideoCitation, assignment_topics, post_topics
from coursehub.courses import services as courses
from coursehub.courses.models import Chapter, LectureVideo, Segment, Topic
from coursehub.courses.services import SegmentSpec, TopicSpec
from coursehub.db import utcnow
from coursehub.extensions import db
from coursehub.participation.services import set_override
from tests import factories


def page(response) -> str:
    return response.get_data(as_text=True)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit(client, course_id: int) -> str:
    return page(client.get(f"/courses/{course_id}/audit"))


def test_a_topic_no_post_is_on_goes_and_lets_go_of_assignments_and_segments(
    client, course, chapter, ta
):
    functions = chapter.topics[2]
    functions_id = functions.id  # the object expires once its row is gone
    assignment = factories.assignment(chapter)
    video = courses.create_video(
        chapter, "Tour", "https://vimeo.com/76979871", 600, [SegmentSpec(60, "Roles", functions.id)]
    )
    db.session.commit()
    client.sign_in("tomas")
    edit = page(client.get(f"/topics/{functions.id}/edit"))
    assert 'data-confirm="Delete this topic? This cannot be undone."' in edit
    response = client.submit(f"/topics/{functions.id}/delete", follow_redirects=True)
    assert response.request.path == f"/chapters/{chapter.id}"
    shown = page(response)
    assert "The topic “Functions” has been deleted." in shown
    assert count(Topic, Topic.id == functions_id) == 0
    offered = select(Topic.name).join(assignment_topics).order_by(Topic.id)
    assert db.session.scalars(
        offered.where(assignment_topics.c.assignment_id == assignment.id)
    ).all() == [
        "Structures",
        "Connections",
    ]
    assert db.session.scalar(select(Segment.topic_id).where(Segment.video_id == video.id)) is None
    assert "deleted the topic “Functions”" in audit(client, course.id)


def test_a_topic_with_a_post_on_it_stays_and_its_edit_page_says_why(
    client, course, chapter, student, ta
):
    assignment = factories.assignment(chapter)
    factories.post(student, assignment, publish=False)  # a draft on "Structures"
    structures = chapter.topics[0]
    client.sign_in("tomas")
    edit = page(client.get(f"/topics/{structures.id}/edit"))
    assert "A post is on this topic, so it stays. You can rename it instead." in edit
    assert "Delete topic</button>" not in edit
    response = client.submit(f"/topics/{structures.id}/delete", follow_redirects=True)
    assert response.request.path == f"/topics/{structures.id}/edit"
    assert '<p class="flash flash-error" role="alert">A post is on this topic' in page(response)
    assert count(Topic, Topic.id == structures.id) == 1
    assert count(assignment_topics) == 3
    assert "deleted the topic" not in audit(client, course.id)


def test_a_removed_post_keeps_its_topic(client, chapter, student, ta):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment)  # on "Structures"
    blogs.delete_post(post, student, utcnow())
    db.session.commit()
    client.sign_in("tomas")
    client.submit(f"/topics/{chapter.topics[0].id}/delete")
    assert count(post_topics, post_topics.c.post_id == post.id) == 1


@pytest.mark.parametrize("where", ["comment", "earlier version", "prompt"])
def test_a_video_linked_from_any_text_of_the_course_stays(
    client, chapter, video, student, other_student, where
):
    cite = f"See [[video:{video.id}@2:05]] for this."
    if where == "prompt":
        factories.assignment(chapter, prompt=cite)
    else:
        post = factories.post(student, factories.assignment(chapter))
        if where == "comment":
            factories.comment(other_student, post, cite)
        else:
            blogs.update_post(post, post.title, cite, [post.topics[0].id], True, utcnow())
            blogs.update_post(post, post.title, "No link now.", [post.topics[0].id], True, utcnow())
            db.session.commit()
    assert count(VideoCitation) == 0, "no post links to it now"
    client.sign_in("ines")
    why = "A comment, an earlier version of a post or an assignment&#39;s prompt links to a"
    assert why in page(client.get(f"/videos/{video.id}/edit"))
    client.submit(f"/videos/{video.id}/delete")
    assert count(LectureVideo) == 1


def test_a_video_no_post_cites_goes_with_its_segments(client, course, chapter, video, student):
    assignment = factories.assignment(chapter)
    cited = courses.create_video(chapter, "Cited", "https://vimeo.com/76979871", 600, [])
    db.session.commit()
    factories.post(student, assignment, body=f"As [[video:{cited.id}@1:00]] shows, it fires.")
    client.sign_in("ines")
    edit = page(client.get(f"/videos/{cited.id}/edit"))
    assert "A post cites this video, so it stays. You can edit it instead." in edit
    refused = client.submit(f"/videos/{cited.id}/delete", follow_redirects=True)
    assert "A post cites this video" in page(refused)
    assert count(LectureVideo, LectureVideo.id == cited.id) == 1

    video_id = video.id
    response = client.submit(f"/videos/{video_id}/delete", follow_redirects=True)
    assert response.request.path == f"/chapters/{chapter.id}"
    assert "The video “Touring the brain” has been deleted." in page(response)
    assert count(LectureVideo, LectureVideo.id == video_id) == 0
    assert count(Segment, Segment.video_id == video_id) == 0
    assert "deleted the video “Touring the brain”" in audit(client, course.id)


def test_an_assignment_stays_while_a_post_or_an_override_holds_it(
    client, course, chapter, instructor, student
):
    written = factories.assignment(chapter, title="Blog: written")
    post = factories.post(student, written)
    blogs.delete_post(post, student, utcnow())  # its comments would still earn credit
    graded = factories.assignment(chapter, title="Blog: graded on paper")
    set_override(instructor, graded, student.id, 4, "Paper submission", utcnow())
    unused = factories.assignment(chapter, title="Blog: never used")
    spec = blogs.AssignmentSpec(title=unused.title, min_words=50)
    blogs.update_assignment(instructor, unused, spec, utcnow())
    db.session.commit()
    client.sign_in("ines")
    for held, why in [
        (written, "A student has written a post for it, so it stays."),
        (graded, "It has participation overrides, so it stays."),
    ]:
        assert why in page(client.get(f"/assignments/{held.id}/edit"))
        client.submit(f"/assignments/{held.id}/delete")
        assert count(Assignment, Assignment.id == held.id) == 1
    assert count(Post) == 1

    unused_id = unused.id
    response = client.submit(f"/assignments/{unused_id}/delete", follow_redirects=True)
    assert response.request.path == f"/chapters/{chapter.id}"
    shown = page(response)
    assert "The assignment “Blog: never used” has been deleted." in shown
    assert "Blog: written" in shown and "Blog: graded on paper" in shown
    assert count(Assignment, Assignment.id == unused_id) == 0
    log = audit(client, course.id)
    assert "deleted the assignment “Blog: never used”" in log
    assert "changed the rules of “Blog: never used”" in log, "named after it is gone"


def test_the_audit_log_names_a_deleted_assignment_even_once_its_id_is_reused(
    client, course, chapter, instructor
):
    gone = factories.assignment(chapter, title="Blog: dropped", min_words=5)
    blogs.update_assignment(
        instructor, gone, blogs.AssignmentSpec(title=gone.title, min_words=80), utcnow()
    )
    db.session.commit()
    client.sign_in("ines")
    gone_id = gone.id
    client.submit(f"/assignments/{gone_id}/delete")
    new = factories.assignment(chapter, title="Blog: brand new")
    if db.engine.dialect.name == "sqlite":
        assert new.id == gone_id, "SQLite gives the highest id again"
    log = audit(client, course.id)
    assert "changed the rules of “Blog: dropped”" in log
    assert "“Blog: brand new”" not in log
    deletion = re.search(
        r"<tr>(?:(?!</tr>).)*deleted the assignment(?:(?!</tr>).)*</tr>", log, re.S
    )
    assert "<dt>Minimum words per post</dt><dd>80</dd>" in deletion[0], "its rules are kept"


def test_a_chapter_goes_with_its_topics_once_its_assignments_and_videos_are_gone(
    client, course, chapter, video
):
    factories.assignment(chapter)
    client.sign_in("ines")
    edit = page(client.get(f"/chapters/{chapter.id}/edit"))
    assert "It still has an assignment and a lecture video; delete them first." in edit
    client.submit(f"/chapters/{chapter.id}/delete")
    assert count(Chapter, Chapter.id == chapter.id) == 1

    empty = courses.create_chapter(course, 5, "Plasticity", "", [TopicSpec("Learning")])
    db.session.commit()
    empty_id = empty.id
    response = client.submit(f"/chapters/{empty_id}/delete", follow_redirects=True)
    assert response.request.path == f"/courses/{course.id}"
    shown = page(response)
    assert "Chapter 5: Plasticity has been deleted." in shown
    assert "Chapter 4: Structures, Connections, Functions" in shown
    assert count(Chapter, Chapter.id == empty_id) == 0
    assert count(Topic, Topic.name == "Learning") == 0
    assert "deleted “Chapter 5: Plasticity”" in audit(client, course.id)


@pytest.mark.parametrize(
    "path",
    ["/topics/{topic}/delete", "/videos/{video}/delete", "/chapters/{chapter}/delete"],
)
def test_students_cannot_delete_course_structure(client, chapter, video, student, path):
    client.sign_in("sofia")
    url = path.format(topic=chapter.topics[2].id, video=video.id, chapter=chapter.id)
    assert client.submit(url).status_code == 403
    assert count(Topic) == 3 and count(LectureVideo) == 1 and count(Chapter) == 1
