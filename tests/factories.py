"""Plain factory functions that build data through the services, as users would."""

from coursehub.accounts import services as accounts
from coursehub.accounts.models import User
from coursehub.blogs import services as blogs
from coursehub.blogs.models import Assignment, Comment, Post
from coursehub.courses import services as courses
from coursehub.courses.models import Chapter, Course, LectureVideo, Role
from coursehub.courses.services import SegmentSpec, TopicSpec
from coursehub.db import utcnow
from coursehub.extensions import db

PASSWORD = "correct horse battery"


def user(username: str, display_name: str | None = None) -> User:
    created = accounts.register_user(
        username, f"{username}@example.org", PASSWORD, display_name or username.title(), utcnow()
    )
    db.session.commit()
    return created


def course(instructor: User, title: str = "Introduction to Neuroscience") -> Course:
    created = courses.create_course(instructor, "NEURO 101", title, "How brains work.", utcnow())
    db.session.commit()
    return created


def member(course: Course, username: str, role: str, display_name: str | None = None) -> User:
    person = user(username, display_name)
    courses.join_course(person, course.join_code, utcnow())
    if role != "student":
        instructor = db.session.get(User, course.created_by_id)
        courses.set_role(course, person.id, Role(role), instructor, utcnow())
    db.session.commit()
    return person


def chapter(course: Course, number: int = 4) -> Chapter:
    created = courses.create_chapter(
        course,
        number,
        "Structures, Connections, Functions",
        "Parts of the brain.",
        [TopicSpec("Structures"), TopicSpec("Connections"), TopicSpec("Functions")],
    )
    db.session.commit()
    return created


def video(chapter: Chapter) -> LectureVideo:
    created = courses.create_video(
        chapter,
        "Touring the brain",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        1800,
        [SegmentSpec(0, "Welcome"), SegmentSpec(125, "The cortex", chapter.topics[0].id)],
    )
    db.session.commit()
    return created


def token(person: User) -> str:
    raw = accounts.create_api_token(person, utcnow())
    db.session.commit()
    return raw


def assignment(chapter: Chapter, **overrides) -> Assignment:
    spec = {
        "title": "Blog: how the brain is wired",
        "prompt": "Pick a **structure** and explain how it connects to the rest.",
        "topic_ids": tuple(topic.id for topic in chapter.topics),
        "min_words": 5,
        "required_comments": 2,
        "comment_min_words": 3,
        "post_points": 10,
        "comment_points": 5,
        **overrides,
    }
    created = blogs.create_assignment(chapter, blogs.AssignmentSpec(**spec), utcnow())
    db.session.commit()
    return created


def post(
    author: User,
    assignment: Assignment,
    title: str = "Mirror neurons",
    body: str = "Mirror neurons fire when we act and when we watch others act.",
    publish: bool = True,
) -> Post:
    topic_ids = [assignment.topics[0].id] if assignment.topics else []
    created = blogs.create_post(author, assignment, title, body, topic_ids, publish, utcnow())
    db.session.commit()
    return created


def comment(
    author: User,
    post: Post,
    body: str = "I enjoyed reading this post a lot.",
    parent: Comment | None = None,
) -> Comment:
    created = blogs.add_comment(author, post, body, parent.id if parent else None, utcnow())
    db.session.commit()
    return created
