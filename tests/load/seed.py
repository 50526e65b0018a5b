"""Migrate the database named by COURSEHUB_DATABASE_URL and seed the load run's course.

Run as `python -m tests.load.seed STUDENTS` from the project root, with the same
COURSEHUB_* environment the servers get. Prints one JSON line: the ids the clients use.
The course: an instructor, STUDENTS students, one chapter with a topic, and two blog
assignments on that topic (a student writes one post per assignment, and the run
needs 50 posts from 32 students), plus one account for the rate-limit check.
"""

import json
import sys

from flask_migrate import upgrade

from coursehub import PROJECT_ROOT, create_app
from coursehub.accounts import services as accounts
from coursehub.blogs import services as blogs
from coursehub.courses import services as courses
from coursehub.courses.services import TopicSpec
from coursehub.db import utcnow
from coursehub.extensions import db

PASSWORD = "correct horse battery"


def main(students: int) -> None:
    # Sign-in checks the hash with the method it was made with: a cheap one keeps
    # 32 concurrent sign-ins from measuring scrypt instead of the app.
    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        now = utcnow()

        def user(username: str):
            return accounts.register_user(
                username, f"{username}@example.org", PASSWORD, username.title(), now
            )

        instructor = user("load_instructor")
        course = courses.create_course(
            instructor, "LOAD 101", "Load and faults", "Posting the night before.", now
        )
        chapter = courses.create_chapter(
            course, 4, "Structures, Connections, Functions", "Parts of the brain.",
            [TopicSpec("Structures")],
        )  # fmt: skip
        topic_id = chapter.topics[0].id
        assignments = [
            blogs.create_assignment(
                chapter, blogs.AssignmentSpec(title=title, topic_ids=(topic_id,)), now
            )
            for title in ("Blog: how the brain is wired", "Blog: one structure up close")
        ]
        names = [f"load_student{n:02d}" for n in range(students)]
        for name in names:
            courses.join_course(user(name), course.join_code, now)
        user("load_ratelimited")
        db.session.commit()
        print(
            json.dumps(
                {
                    "course_id": course.id,
                    "topic_id": topic_id,
                    "assignment_ids": [a.id for a in assignments],
                    "students": names,
                    "rate_limited": "load_ratelimited",
                    "password": PASSWORD,
                }
            )
        )


if __name__ == "__main__":
    main(int(sys.argv[1]))
