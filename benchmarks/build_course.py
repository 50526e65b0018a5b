"""Build a realistic course fast, with bulk inserts, for benchmarks.

    python -m benchmarks.build_course --students 1000 --assignments 20 --comments-per-post 5

into the database the app is configured with (COURSEHUB_* settings). Every student
writes one post per assignment (~400 words of Markdown) and comments on classmates'
posts; one extra post gets exactly 100 comments for the post-page benchmark.
"""

import argparse
import random
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

from coursehub import create_app
from coursehub.accounts.models import User
from coursehub.blogs.models import Comment, Post, PostStatus, post_topics
from coursehub.blogs.services import AssignmentSpec, create_assignment, render_course_text
from coursehub.courses.models import Membership, Role
from coursehub.courses.services import TopicSpec, create_chapter, create_course
from coursehub.db import utcnow
from coursehub.extensions import db

PASSWORD_HASH = "pbkdf2:sha256:1000$bench$" + "0" * 64  # nobody signs in as these
BENCH_PASSWORD = "bench-pass-2026"

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


def post_body(rng: random.Random, words: int) -> str:
    """Markdown of about `words` words: headings, emphasis, a list and a footnote."""
    parts, count = ["## A question from the lecture", ""], 0
    while count < words:
        paragraph = " ".join(rng.choice(_SENTENCES) for _ in range(5))
        parts += [f"{paragraph} *Worth noting.*[^1]" if not count else paragraph, ""]
        count += len(paragraph.split())
    parts += ["- first point", "- second point", "", "[^1]: From the chapter reading."]
    return "\n".join(parts)


def build(students: int, assignments: int, comments_per_post: int, words: int, seed: int = 7):
    """Create the course and return (course id, the id of the post with 100 comments)."""
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=60)
    suffix = db.session.scalar(select(func.count()).select_from(User))
    db.session.execute(
        insert(User),
        [
            {"username": f"bench{suffix}_{n}", "email": f"bench{suffix}_{n}@example.org",
             "display_name": f"Student {n:04d}", "password_hash": PASSWORD_HASH,
             "created_at": start}
            for n in range(students + 1)
        ],
    )  # fmt: skip
    users = db.session.scalars(
        select(User).where(User.username.like(f"bench{suffix}_%")).order_by(User.id)
    ).all()
    instructor, people = users[0], users[1:]
    course = create_course(instructor, "BENCH 100", "Benchmark Neuroscience", "", start)
    db.session.execute(
        insert(Membership),
        [{"course_id": course.id, "user_id": u.id, "role": Role.student, "created_at": start}
         for u in people],
    )  # fmt: skip
    chapter = create_chapter(
        course, 1, "Everything", "", [TopicSpec("Structures"), TopicSpec("Functions")]
    )
    topic_id = chapter.topics[0].id
    body = post_body(rng, words)
    rendered = render_course_text(body, course.id, "post-")
    comment_html = "<p>I agree with the point about the cerebellum and its predictions.</p>"
    hundred_post_id = None
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
        comments = []
        for index, post_id in enumerate(post_ids):
            for k in range(comments_per_post):
                author = people[(index + 1 + k * 7) % len(people)]
                comments.append(
                    {"post_id": post_id, "author_id": author.id, "parent_id": None, "depth": 1,
                     "body": "I agree with the point about the cerebellum and its predictions.",
                     "body_html": comment_html, "word_count": 11,
                     "created_at": due + timedelta(hours=k)}
                )  # fmt: skip
        db.session.execute(insert(Comment), comments)
        if hundred_post_id is None:
            hundred_post_id = post_ids[0]
            extra = 100 - comments_per_post
            db.session.execute(
                insert(Comment),
                [{"post_id": hundred_post_id, "author_id": people[(n * 13) % len(people)].id,
                  "parent_id": None, "depth": 1, "body": "A further thought on this post.",
                  "body_html": "<p>A further thought on this post.</p>", "word_count": 6,
                  "created_at": due + timedelta(minutes=n)} for n in range(extra)],
            )  # fmt: skip
        db.session.commit()
    return course.id, hundred_post_id


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
        course_id, post_id = build(
            args.students, args.assignments, args.comments_per_post, args.words
        )
        print(f"course {course_id}, post with 100 comments {post_id}, "
              f"built in {time.perf_counter() - began:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
