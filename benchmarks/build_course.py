"""Build a realistic course fast, with bulk inserts, for benchmarks.

    python -m benchmarks.build_course --students 1000 --assignments 20 --comments-per-post 5

into the database the app is configured with (COURSEHUB_* settings). Every student
writes one post per assignment (~400 words of Markdown citing the lecture video) and
comments on classmates' posts; one post of the first assignment gets exactly 100
comments of ~60 words, a third of them replies, for the post-page benchmark. One
instructor and one student sign in with BENCH_PASSWORD.
"""

import argparse
import random
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from coursehub import create_app
from coursehub.accounts.models import User
from coursehub.accounts.services import register_user
from coursehub.blogs.models import Comment, Post, PostStatus, VideoCitation, post_topics
from coursehub.blogs.services import (
    AssignmentSpec,
    add_comment,
    create_assignment,
    render_course_text,
)
from coursehub.courses.models import Membership, Role
from coursehub.courses.services import (
    SegmentSpec,
    TopicSpec,
    create_chapter,
    create_course,
    create_video,
)
from coursehub.db import utcnow
from coursehub.extensions import db

PASSWORD_HASH = "pbkdf2:sha256:1000$bench$" + "0" * 64  # nobody signs in as these
BENCH_PASSWORD = "bench-pass-2026"  # the instructor's and one student's
THREAD_SIZE = 100
COURSE_CODE = "BENCH 100"

_SENTENCES = [
    "Neurons signal with brief electrical spikes that travel along the axon.",
    "The cerebellum compares the intended movement with the one that happened.",
    "Imaging shows where activity rises, not always what that activity does.",
    "A lesion study asks what is lost when one part stops working.",
    "Synapses strengthen when the cells on both sides fire together often.",
    "The thalamus relays most sensory signals on their way to the cortex.",
    "Split-brain patients reveal what each hemisphere can do on its own.",
    "Glia support neurons, clear debris and tune how signals spread.",
]


@dataclass(frozen=True)
class BenchCourse:
    """What the benchmarks visit in the built course."""

    course_id: int
    chapter_id: int
    topic_id: int
    video_id: int
    assignment_id: int  # the assignment of the post with 100 comments
    post_id: int  # the post with exactly 100 comments, by a classmate of `student`
    instructor: str  # usernames that sign in with BENCH_PASSWORD
    student: str
    student_id: int


POST_PAGE = "post, 100 comments"


def visited_pages(
    course_id: int, chapter_id: int, assignment_id: int, post_id: int, video_id: int
) -> list[tuple[str, str, str]]:
    """(name, who, path) of the pages the benchmarks visit in the built course, in order;
    who is "student" or "instructor"."""
    return [
        (POST_PAGE, "student", f"/posts/{post_id}"),
        ("assignment, 1,000 posts", "student", f"/assignments/{assignment_id}"),
        ("chapter", "student", f"/chapters/{chapter_id}"),
        ("video, 20,000 citations", "student", f"/videos/{video_id}"),
        ("participation table, 1,000 students", "instructor",
         f"/assignments/{assignment_id}/participation"),
        ("Canvas CSV", "instructor", f"/courses/{course_id}/gradebook.csv?format=canvas"),
    ]  # fmt: skip


def post_body(rng: random.Random, words: int, video_id: int) -> str:
    """Markdown of about `words` words: headings, emphasis, a lecture citation, a list
    and a footnote."""
    parts, count = ["## A question from the lecture", ""], 0
    while count < words:
        paragraph = " ".join(rng.choice(_SENTENCES) for _ in range(5))
        if not count:
            paragraph += f" *Worth noting.*[^1] The lecture shows it at [[video:{video_id}@2:05]]."
        parts += [paragraph, ""]
        count += len(paragraph.split())
    parts += ["- first point", "- second point", "", "[^1]: From the chapter reading."]
    return "\n".join(parts)


def comment_body(rng: random.Random) -> str:
    """Markdown of about 60 words in two short paragraphs, with emphasis and a link."""
    first = " ".join(rng.choice(_SENTENCES) for _ in range(3))
    second = " ".join(rng.choice(_SENTENCES) for _ in range(2))
    return (
        f"*Good point.* {first}\n\n"
        f"{second} See [the reading](https://example.org/reading) for more."
    )


def build(
    students: int = 1000,
    assignments: int = 20,
    comments_per_post: int = 5,
    words: int = 400,
    seed: int = 7,
) -> BenchCourse:
    """Create the course (by default the issue's: 1,000 students, 20 assignments, 20,000
    posts, 100,000 comments): bulk rows for the crowd, the services for what is visited.

    Raises ValueError for fewer than 2 students (the thread is on a classmate's post),
    no assignment, or a negative count.
    """
    if students < 2 or assignments < 1 or comments_per_post < 0 or words < 0:
        raise ValueError("needs 2 or more students, 1 or more assignments, no negative counts")
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=60)
    suffix = db.session.scalar(select(func.count()).select_from(User))
    instructor = register_user(
        f"bench{suffix}_teacher", f"bench{suffix}_teacher@example.org", BENCH_PASSWORD,
        "Bench Instructor", start,
    )  # fmt: skip
    student = register_user(
        f"bench{suffix}_0", f"bench{suffix}_0@example.org", BENCH_PASSWORD, "Student 0000", start
    )
    people = [student, *_bulk_users(f"bench{suffix}", students - 1, start)]
    course = create_course(instructor, COURSE_CODE, "Benchmark Neuroscience", "", start)
    db.session.execute(
        insert(Membership),
        [{"course_id": course.id, "user_id": u.id, "role": Role.student, "created_at": start}
         for u in people],
    )  # fmt: skip
    chapter = create_chapter(
        course, 1, "Everything", "", [TopicSpec("Structures"), TopicSpec("Functions")]
    )
    topic_id = chapter.topics[0].id
    video = create_video(
        chapter, "Touring the brain", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", 1800,
        [SegmentSpec(0, "Welcome"), SegmentSpec(125, "The cortex", topic_id)],
    )  # fmt: skip
    body = post_body(rng, words, video.id)
    rendered = render_course_text(body, course.id, "post-")
    citations = [
        {"video_id": video_id, "seconds": seconds}
        for video_id, seconds in dict.fromkeys(rendered.citations)
    ]
    first_assignment = thread_post = None
    for number in range(assignments):
        due = start + timedelta(days=2 * number + 7)
        assignment = create_assignment(
            chapter,
            AssignmentSpec(
                title=f"Blog {number + 1}", topic_ids=(topic_id,), due_at=due,
                comments_due_at=due + timedelta(days=3), min_words=150, required_comments=3,
                comment_min_words=8, post_points=10, comment_points=5, late_penalty_percent=20,
            ),
            start,
        )  # fmt: skip
        rows = []
        for index, author in enumerate(people):
            published = due - timedelta(hours=rng.randint(-12, 72))
            rows.append(
                {"assignment_id": assignment.id, "author_id": author.id,
                 "title": f"Post {index} on blog {number + 1}", "body": body,
                 "body_html": rendered.html, "word_count": rendered.word_count,
                 "status": PostStatus.published, "created_at": published,
                 "updated_at": published, "published_at": published}
            )  # fmt: skip
        db.session.execute(insert(Post), rows)
        post_ids = db.session.scalars(
            select(Post.id).where(Post.assignment_id == assignment.id).order_by(Post.id)
        ).all()
        db.session.execute(
            insert(post_topics), [{"post_id": pid, "topic_id": topic_id} for pid in post_ids]
        )
        db.session.execute(
            insert(VideoCitation), [{"post_id": pid, **c} for pid in post_ids for c in citations]
        )
        if thread_post is None:
            # A classmate's post, so the signed-in student reads someone else's thread.
            first_assignment, thread_post = assignment, post_ids[1]
            _thread(rng, db.session.get(Post, thread_post), people, due)
        _bulk_comments(post_ids, people, comments_per_post, due, skip=thread_post)
        db.session.commit()
    return BenchCourse(
        course_id=course.id, chapter_id=chapter.id, topic_id=topic_id, video_id=video.id,
        assignment_id=first_assignment.id, post_id=thread_post,
        instructor=instructor.username, student=student.username, student_id=student.id,
    )  # fmt: skip


def _bulk_users(prefix: str, count: int, created: datetime) -> list[User]:
    db.session.execute(
        insert(User),
        [{"username": f"{prefix}_{n}", "email": f"{prefix}_{n}@example.org",
          "display_name": f"Student {n:04d}", "password_hash": PASSWORD_HASH,
          "created_at": created}
         for n in range(1, count + 1)],
    )  # fmt: skip
    return db.session.scalars(
        select(User)
        .where(
            User.username.like(f"{prefix}\\_%", escape="\\"), User.password_hash == PASSWORD_HASH
        )
        .order_by(User.id)
    ).all()


def _thread(rng: random.Random, post: Post, people: list[User], due: datetime) -> None:
    """THREAD_SIZE comments through the comment service (rendering, depth, notifications):
    every third one the post author's reply to the latest top-level comment."""
    latest_top = None
    for n in range(THREAD_SIZE):
        when = due + timedelta(minutes=10 * n)
        if n % 3 == 2:
            add_comment(post.author, post, comment_body(rng), latest_top, when)
            continue
        author = people[(n * 13) % len(people)]
        if author.id == post.author_id:
            author = people[0]
        latest_top = add_comment(author, post, comment_body(rng), None, when).id


def _bulk_comments(
    post_ids: list[int], people: list[User], per_post: int, due: datetime, skip: int
) -> None:
    """The same short comment `per_post` times on every post but `skip`, as bulk rows."""
    text = "I agree with the point about the cerebellum and its predictions."
    html = f"<p>{text}</p>"
    rows = [{"post_id": post_id, "author_id": people[(index + 1 + k * 7) % len(people)].id,
          "parent_id": None, "depth": 1, "body": text, "body_html": html, "word_count": 11,
          "created_at": due + timedelta(hours=k)}
         for index, post_id in enumerate(post_ids) if post_id != skip
         for k in range(per_post)]  # fmt: skip
    if rows:  # an empty bulk insert would insert one row of defaults
        db.session.execute(insert(Comment), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=20)
    parser.add_argument("--comments-per-post", type=int, default=5)
    parser.add_argument("--words", type=int, default=400)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        began = time.perf_counter()
        try:
            course = build(args.students, args.assignments, args.comments_per_post, args.words)
        except ValueError as error:
            parser.error(str(error))
        print(f"built in {time.perf_counter() - began:.1f} s: {asdict(course)}")


if __name__ == "__main__":
    main()
