"""The demo course: an introductory neuroscience course, written for CourseHub."""

from datetime import datetime, timedelta

from sqlalchemy import select

from coursehub.accounts.models import User
from coursehub.accounts.services import register_user
from coursehub.blogs.services import AssignmentSpec, add_comment, create_assignment, create_post
from coursehub.courses.models import Course, Role
from coursehub.courses.services import (
    SegmentSpec,
    TopicSpec,
    create_chapter,
    create_course,
    create_video,
    join_course,
    set_role,
)
from coursehub.demo_blog import (
    ASSIGNMENT_PROMPT,
    ASSIGNMENT_TITLE,
    DISCUSSION,
    EARLIER_COMMENTS,
    EARLIER_POSTS,
    EARLIER_PROMPT,
    EARLIER_TITLE,
    POSTS,
)
from coursehub.extensions import db

DEMO_PASSWORD = "neuro-demo-2026"
DEMO_COURSE_CODE = "NEURO 110"

# (username, display name, role)
PEOPLE = [
    ("rivera", "Dr. Elena Rivera", Role.instructor),
    ("okafor", "Chidi Okafor", Role.ta),
    ("maya", "Maya Lindqvist", Role.student),
    ("jonas", "Jonas Becker", Role.student),
    ("priya", "Priya Raman", Role.student),
    ("leo", "Leo Tanaka", Role.student),
    ("amara", "Amara Nwosu", Role.student),
]

CHAPTERS = [
    (
        1,
        "Why Study the Brain?",
        "What neuroscience asks, the levels it works at, and how this course is organised.",
        [
            (
                "Levels of analysis",
                "From molecules to behaviour, and why each level needs the others.",
            ),
            (
                "Methods",
                "Lesions, recordings, imaging and stimulation: what each can and cannot show.",
            ),
        ],
    ),
    (
        2,
        "Neurons and Glia",
        "The cells of the nervous system, their shapes, and the jobs they share.",
        [
            ("Neurons", "Dendrites, soma, axon and terminals, and how shape follows function."),
            ("Glia", "Astrocytes, oligodendrocytes, microglia: far more than packing material."),
        ],
    ),
    (
        3,
        "Signals",
        "How a neuron turns chemistry into a travelling electrical message.",
        [
            ("Resting potential", "Ion gradients, pumps and the membrane's quiet charge."),
            ("Action potential", "Threshold, the all-or-none spike and its journey down the axon."),
        ],
    ),
    (
        4,
        "Structures, Connections, Functions",
        "A guided tour of the brain's large parts, the pathways that link them, and what "
        "damage to each teaches us about what it does.",
        [
            (
                "Structures",
                "Brainstem, cerebellum, thalamus, basal ganglia and the cerebral "
                "lobes: where they sit and how to recognise them.",
            ),
            (
                "Connections",
                "White matter tracts, the corpus callosum and loops between cortex "
                "and deeper structures.",
            ),
            (
                "Functions",
                "Localisation and its limits: what case studies and imaging say "
                "about which parts do what.",
            ),
        ],
    ),
    (
        5,
        "Learning and Memory",
        "How experience changes synapses, and which systems hold which kinds of memory.",
        [
            (
                "Plasticity",
                "Long-term potentiation and the idea that cells firing together wire together.",
            ),
            ("Memory systems", "Declarative and procedural memory, and the hippocampus's part."),
        ],
    ),
]

VIDEO_SEGMENTS = [
    (0, "Orientation: the three axes of the brain", "Structures"),
    (4 * 60 + 10, "From the spinal cord up: brainstem and cerebellum", "Structures"),
    (11 * 60 + 35, "Thalamus, the relay station", "Structures"),
    (17 * 60 + 5, "The corpus callosum and split-brain studies", "Connections"),
    (24 * 60 + 40, "Loops through the basal ganglia", "Connections"),
    (31 * 60, "Mapping function: lesions, stimulation and imaging", "Functions"),
    (40 * 60 + 20, "Case study: losing the ability to form new memories", "Functions"),
]


def demo_loaded() -> bool:
    return db.session.scalar(select(Course.id).where(Course.code == DEMO_COURSE_CODE)) is not None


def load_demo(now: datetime) -> Course:
    """Create the demo people, course, chapters and lecture video."""
    users: dict[str, User] = {
        username: register_user(
            username, f"{username}@demo.coursehub.test", DEMO_PASSWORD, name, now
        )
        for username, name, _ in PEOPLE
    }
    course = create_course(
        users["rivera"],
        DEMO_COURSE_CODE,
        "Introduction to Neuroscience",
        "How nerve cells signal, how the brain is built, and how it makes behaviour. "
        "Each chapter has lecture videos and a blog topic: write about it, then read "
        "and answer your classmates.",
        now,
    )
    for username, _, role in PEOPLE[1:]:
        join_course(users[username], course.join_code, now)
        if role is not Role.student:
            set_role(course, users[username].id, role, users["rivera"], now)
    chapters = {
        number: create_chapter(
            course,
            number,
            title,
            summary,
            [TopicSpec(name, description) for name, description in topics],
        )
        for number, title, summary, topics in CHAPTERS
    }
    chapter = chapters[4]
    topic_ids = {topic.name: topic.id for topic in chapter.topics}
    video = create_video(
        chapter,
        "A tour of the brain, bottom to top",
        "https://media.example.org/neuro110/chapter-4-tour.mp4",
        48 * 60 + 30,
        [SegmentSpec(start, title, topic_ids[topic]) for start, title, topic in VIDEO_SEGMENTS],
    )
    minute = now.replace(second=0, microsecond=0)  # deadlines to the minute, as forms set them
    _load_earlier_blog(chapters[3], users, minute)
    _load_blog(chapter, video.id, users, minute)
    return course


def _load_blog(chapter, video_id: int, users: dict[str, User], now: datetime) -> None:
    """A blog assignment with three published posts, a draft and a discussion."""
    topics = {topic.name: topic.id for topic in chapter.topics}
    start = now - timedelta(days=6)
    assignment = create_assignment(
        chapter,
        AssignmentSpec(
            title=ASSIGNMENT_TITLE,
            prompt=ASSIGNMENT_PROMPT.format(video_id=video_id),
            topic_ids=tuple(topics.values()),
            opens_at=start,
            due_at=now + timedelta(days=3),
            comments_due_at=now + timedelta(days=7),
            min_words=150,
            required_comments=2,
            comment_min_words=15,
            post_points=10,
            comment_points=5,
            late_penalty_percent=20,
        ),
        start,
    )
    posts = {}
    for hours, (author, title, topic, body, publish) in enumerate(POSTS):
        posts[author] = create_post(
            users[author], assignment, title, body.format(video_id=video_id), [topics[topic]],
            publish, start + timedelta(days=1, hours=5 * hours),
        )  # fmt: skip
    comments = {}
    for minutes, (key, author, post_author, parent, body) in enumerate(DISCUSSION):
        parent_id = comments[parent].id if parent else None
        comments[key] = add_comment(
            users[author], posts[post_author], body, parent_id,
            start + timedelta(days=2, minutes=47 * minutes),
        )  # fmt: skip


def _load_earlier_blog(chapter, users: dict[str, User], now: datetime) -> None:
    """A finished assignment: on-time, late and short posts, and the comments on them."""
    opened = now - timedelta(days=20)
    assignment = create_assignment(
        chapter,
        AssignmentSpec(
            title=EARLIER_TITLE,
            prompt=EARLIER_PROMPT,
            opens_at=opened,
            due_at=opened + timedelta(days=7),
            comments_due_at=opened + timedelta(days=10),
            min_words=150,
            required_comments=2,
            comment_min_words=15,
            post_points=10,
            comment_points=5,
            late_penalty_percent=20,
        ),
        opened,
    )
    posts = {
        author: create_post(
            users[author], assignment, title, body, [], True, opened + timedelta(hours=hours)
        )
        for author, title, body, hours in EARLIER_POSTS
    }
    for author, post_author, body, hours in EARLIER_COMMENTS:
        add_comment(users[author], posts[post_author], body, None, opened + timedelta(hours=hours))
