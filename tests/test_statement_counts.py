"""Each page costs the same number of SQL statements however big the course grows."""

from functools import partial

import pytest

from coursehub.blogs.models import PostStatus
from tests import factories
from tests.sql import count_statements, statements_run

# Statements each page costs an instructor, pinned: a change here is a decision.
PAGES = {
    "/": 3,
    "/courses/{course}": 7,
    "/courses/{course}/people": 5,
    "/chapters/{chapter}": 11,
    "/videos/{video}": 5,
    "/topics/{topic}": 8,
    "/assignments/{assignment}": 11,
    "/posts/{post}": 5,
    "/assignments/{assignment}/participation": 8,
    "/assignments/{assignment}/participation/{student}": 12,
    "/courses/{course}/gradebook": 11,
    "/courses/{course}/gradebook.csv": 8,
    "/courses/{course}/audit": 10,
    "/notifications": 3,
    "/chapters/{chapter}/edit": 8,
    "/topics/{topic}/edit": 4,
    "/videos/{video}/edit": 6,
    "/assignments/{assignment}/edit": 6,
    "/api/v1/assignments/{assignment}/posts": 8,
    "/api/v1/posts/{post}/comments": 4,
    "/api/v1/assignments/{assignment}/participation": 7,
}


def build(course, chapter, video, instructor, students: int) -> dict[str, int]:
    """A course whose every student posts, comments on the next post and is answered."""
    assignment = factories.assignment(chapter, required_comments=1, comment_points=5)
    people = [factories.member(course, f"s{students}_{n}", "student") for n in range(students)]
    posts = [
        factories.post(person, assignment, body=f"[[video:{video.id}@1:00]] " + "word " * 40)
        for person in people
    ]
    for n, person in enumerate(people):
        post = posts[(n + 1) % len(posts)]
        comment = factories.comment(person, post, "A thoughtful reply here.")
        if n:  # one post the instructor has not answered: it needs feedback
            factories.comment(instructor, post, "Good point!", parent=comment)
    return {
        "course": course.id, "chapter": chapter.id, "video": video.id,
        "topic": chapter.topics[0].id, "assignment": assignment.id, "post": posts[0].id,
        "student": people[0].id,
    }  # fmt: skip


def statements(client, url: str, headers=None) -> int:
    responses = []
    count = count_statements(lambda: responses.append(client.get(url, headers=headers or {})))
    assert responses[0].status_code == 200, (url, responses[0].status_code)
    return count


def requests(ids, instructor) -> dict[str, tuple[str, dict]]:
    """Each pinned page as (url, headers) in the built course."""
    token = factories.token(instructor)
    return {
        page: (
            page.format(**ids),
            {"Authorization": f"Bearer {token}"} if page.startswith("/api/") else {},
        )  # fmt: skip
        for page in PAGES
    }


def measure(client, ids, instructor) -> dict[str, int]:
    return {
        page: statements(client, url, headers)
        for page, (url, headers) in requests(ids, instructor).items()
    }


@pytest.fixture
def signed_in(client, instructor):
    client.sign_in("ines")
    return client


def test_page_statement_counts_do_not_grow_with_the_course(
    app, signed_in, course, chapter, video, instructor
):
    small = measure(signed_in, build(course, chapter, video, instructor, 3), instructor)
    other = factories.course(instructor, title="A bigger course")
    other_chapter = factories.chapter(other)
    other_video = factories.video(other_chapter)
    ids = build(other, other_chapter, other_video, instructor, 30)
    large = measure(signed_in, ids, instructor)
    grew = {page: (small[page], large[page]) for page in PAGES if small[page] != large[page]}
    assert not grew, f"statements grew with the course: {grew}"
    assert small == PAGES


def test_no_page_binds_a_post_status(signed_in, course, chapter, video, instructor):
    """SQLite prepares a statement again on every run when a bound value decides whether
    a partial index may serve it (ix_posts_published): the status is in the SQL text."""
    statuses = {status.value for status in PostStatus}
    pages = requests(build(course, chapter, video, instructor, 3), instructor)
    for page, (url, headers) in pages.items():
        run = statements_run(partial(signed_in.get, url, headers=headers))
        bound = [
            statement
            for statement, parameters in run
            if statuses.intersection(
                map(str, parameters.values() if isinstance(parameters, dict) else parameters)
            )
        ]
        assert not bound, (page, bound)
