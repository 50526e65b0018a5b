"""Loading what blog pages and API answers show, in a fixed number of statements."""

from dataclasses import dataclass, field
from typing import NamedTuple

from flask import abort
from sqlalchemy import ColumnElement, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coursehub import permissions
from coursehub.accounts.models import User
from coursehub.blogs.models import (
    PUBLISHED,
    Assignment,
    Comment,
    CommentRevision,
    Notification,
    Post,
    PostRevision,
    VideoCitation,
    post_topics,
    published_post_exists,
)
from coursehub.courses.models import Chapter, Membership, Topic
from coursehub.extensions import db

_POST_LOAD = (
    joinedload(Post.author),
    joinedload(Post.assignment),
    selectinload(Post.topics),
)
# Lists show titles, not texts: leave the two large columns unread.
_LISTED = (
    joinedload(Post.author),
    joinedload(Post.assignment),
    defer(Post.body),
    defer(Post.body_html),
)
_VISIBLE = and_(Post.status == PUBLISHED, Post.deleted_at.is_(None))


def assignment_for_member(user: User, assignment_id: int) -> tuple[Assignment, Membership]:
    """An assignment with its chapter and topics, and the user's membership (404 otherwise)."""
    row = db.session.execute(
        select(Assignment, Membership)
        .join(Membership, Membership.course_id == Assignment.course_id)
        .where(Assignment.id == assignment_id, Membership.user_id == user.id)
        .options(
            joinedload(Assignment.chapter).joinedload(Chapter.course),
            selectinload(Assignment.topics),
        )
    ).first()
    if row is None:
        abort(404)
    return row.Assignment, row.Membership


class PostAccess(NamedTuple):
    post: Post
    membership: Membership
    published: bool  # the reader has a published post in the assignment (post-before-viewing)


# Whether the reader (bound as user_id) has a published post in the post's assignment.
_READER_PUBLISHED = published_post_exists(bindparam("user_id"), Post.assignment_id).label(
    "published"
)
# Built once: building a statement with this many options costs more than running it.
_POST_FOR_MEMBER = (
    select(Post, Membership, _READER_PUBLISHED)
    .join(Assignment, Assignment.id == Post.assignment_id)
    .join(Membership, Membership.course_id == Assignment.course_id)
    .where(
        Post.id == bindparam("post_id"),
        Post.deleted_at.is_(None),
        or_(Post.status == PUBLISHED, Post.author_id == bindparam("user_id")),
        Membership.user_id == bindparam("user_id"),
    )
    .options(
        joinedload(Post.author),
        joinedload(Post.assignment).joinedload(Assignment.chapter).joinedload(Chapter.course),
    )
)
_POST_TOPICS = (
    select(Topic)
    .join(post_topics, post_topics.c.topic_id == Topic.id)
    .where(post_topics.c.post_id == bindparam("post_id"))
    .order_by(Topic.id)
)


def post_for_member(user: User, post_id: int) -> PostAccess:
    """A post with author, topics, assignment, chapter and course, the user's membership
    and whether they published in the assignment; 404 when it is removed, is someone
    else's draft, or the user is not in the course."""
    row = db.session.execute(_POST_FOR_MEMBER, {"post_id": post_id, "user_id": user.id}).first()
    if row is None:
        abort(404)
    # For one post, a plain statement costs a fifth of what selectinload's machinery does.
    topics = db.session.scalars(_POST_TOPICS, {"post_id": post_id}).all()
    set_committed_value(row.Post, "topics", topics)
    return PostAccess(*row)


class CommentAccess(NamedTuple):
    comment: Comment
    membership: Membership
    published: bool  # the reader has a published post in the assignment (post-before-viewing)


_COMMENT_FOR_MEMBER = (
    select(Comment, Membership, _READER_PUBLISHED)
    .join(Post, Post.id == Comment.post_id)
    .join(Assignment, Assignment.id == Post.assignment_id)
    .join(Membership, Membership.course_id == Assignment.course_id)
    .where(
        Comment.id == bindparam("comment_id"),
        Post.deleted_at.is_(None),
        Membership.user_id == bindparam("user_id"),
    )
    .options(joinedload(Comment.author), joinedload(Comment.post).joinedload(Post.assignment))
)


def comment_for_member(user: User, comment_id: int) -> CommentAccess:
    """A comment with its post, the user's membership and whether they published in the
    post's assignment (404 otherwise)."""
    params = {"comment_id": comment_id, "user_id": user.id}
    row = db.session.execute(_COMMENT_FOR_MEMBER, params).first()
    if row is None:
        abort(404)
    return CommentAccess(*row)


def has_published(user_id: int, assignment_id: int) -> bool:
    """Whether the user has a published post in the assignment (post-before-viewing)."""
    return db.session.scalar(select(published_post_exists(user_id, assignment_id)))


def published_in(user_id: int, assignment_ids: set[int]) -> set[int]:
    """Which of the assignments the user has published a post in."""
    if not assignment_ids:
        return set()
    return set(
        db.session.scalars(
            select(Post.assignment_id).where(
                Post.author_id == user_id, Post.assignment_id.in_(assignment_ids), _VISIBLE
            )
        )
    )


def own_post(user_id: int, assignment_id: int) -> Post | None:
    return db.session.scalar(
        select(Post)
        .where(
            Post.assignment_id == assignment_id,
            Post.author_id == user_id,
            Post.deleted_at.is_(None),
        )
        .options(*_POST_LOAD)
    )


def comment_counts(post_ids: list[int]) -> dict[int, int]:
    """Comments not deleted, per post."""
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(Comment.post_id, func.count())
        .where(Comment.post_id.in_(post_ids), Comment.deleted_at.is_(None))
        .group_by(Comment.post_id)
    )
    return dict(rows.all())


@dataclass
class PostSummary:
    post: Post
    comments: int


def published_posts(assignment_id: int, offset: int, limit: int) -> list[Post]:
    """A page of an assignment's published posts, oldest first, with authors and topics."""
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.assignment_id == assignment_id, _VISIBLE)
            .order_by(Post.published_at, Post.id)
            .options(*_LISTED, selectinload(Post.topics))
            .offset(offset)
            .limit(limit)
        )
    )


def _visible_to(viewer_id: int) -> ColumnElement[bool]:
    """Published, or the viewer's own post in any state (a draft)."""
    return or_(_VISIBLE, and_(Post.author_id == viewer_id, Post.deleted_at.is_(None)))


def visible_posts(
    assignment_id: int, viewer_id: int, offset: int = 0, limit: int | None = None
) -> list[Post]:
    """An assignment's published posts, oldest first, after the viewer's own draft if any."""
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.assignment_id == assignment_id, _visible_to(viewer_id))
            .order_by(Post.published_at.is_not(None), Post.published_at, Post.id)
            .options(*_POST_LOAD)
            .offset(offset)
            .limit(limit)
        )
    )


def visible_post_count(assignment_id: int, viewer_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Post)
        .where(Post.assignment_id == assignment_id, _visible_to(viewer_id))
    )


def published_count(assignment_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Post).where(Post.assignment_id == assignment_id, _VISIBLE)
    )


def summaries(posts: list[Post]) -> list[PostSummary]:
    counts = comment_counts([post.id for post in posts])
    return [PostSummary(post, counts.get(post.id, 0)) for post in posts]


def needs_feedback(assignment_id: int, viewer_id: int, limit: int = 5) -> list[PostSummary]:
    """Classmates' posts the viewer has not commented on, fewest comments first, so that
    every post gets read.

    The picks come from covering indexes (posts by assignment, comments by post); only
    the chosen posts' rows are read.
    """
    comments = (
        select(func.count())
        .where(Comment.post_id == Post.id, Comment.deleted_at.is_(None))
        .scalar_subquery()
        .label("comments")
    )
    picks = db.session.execute(
        select(Post.id, comments)
        .where(
            Post.assignment_id == assignment_id,
            _VISIBLE,
            Post.author_id != viewer_id,
            # Not correlated: the viewer's few comments are read once, not once a post.
            Post.id.not_in(
                select(Comment.post_id).where(
                    Comment.author_id == viewer_id, Comment.deleted_at.is_(None)
                )
            ),
        )
        .order_by(comments, Post.published_at, Post.id)
        .limit(limit)
    ).all()
    posts = _listed_in_order([pick.id for pick in picks])
    return [PostSummary(post, pick.comments) for post, pick in zip(posts, picks, strict=True)]


def _listed_in_order(ids: list[int]) -> list[Post]:
    """The posts with these ids, loaded for a list, in the order of the ids."""
    if not ids:
        return []
    posts = db.session.scalars(select(Post).where(Post.id.in_(ids)).options(*_LISTED))
    by_id = {post.id: post for post in posts}
    return [by_id[post_id] for post_id in ids]


def chapter_assignments(chapter_id: int) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.chapter_id == chapter_id)
            .order_by(Assignment.due_at.is_(None), Assignment.due_at, Assignment.id)
            .options(selectinload(Assignment.topics))
        )
    )


def course_assignments(
    course_id: int, offset: int = 0, limit: int | None = None
) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .join(Chapter, Chapter.id == Assignment.chapter_id)
            .where(Assignment.course_id == course_id)
            .order_by(Chapter.number, Assignment.due_at.is_(None), Assignment.due_at, Assignment.id)
            .options(selectinload(Assignment.topics))
            .offset(offset)
            .limit(limit)
        )
    )


def course_assignment_count(course_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.course_id == course_id)
    )


def posts_by_author(assignment_ids: list[int], user_id: int) -> dict[int, Post]:
    """The user's (not deleted) post in each of the assignments, without its text."""
    if not assignment_ids:
        return {}
    posts = db.session.scalars(
        select(Post)
        .where(
            Post.assignment_id.in_(assignment_ids),
            Post.author_id == user_id,
            Post.deleted_at.is_(None),
        )
        .options(defer(Post.body), defer(Post.body_html))
    )
    return {post.assignment_id: post for post in posts}


def published_counts(assignment_ids: list[int]) -> dict[int, int]:
    if not assignment_ids:
        return {}
    rows = db.session.execute(
        select(Post.assignment_id, func.count())
        .where(Post.assignment_id.in_(assignment_ids), _VISIBLE)
        .group_by(Post.assignment_id)
    )
    return dict(rows.all())


def _topic_post_ids(topic: Topic):
    """The ids of the published posts on a topic. A post's topics are its assignment's,
    all in the topic's chapter: this reads the chapter's posts from covering indexes."""
    on_topic = exists().where(post_topics.c.post_id == Post.id, post_topics.c.topic_id == topic.id)
    return (
        select(Post.id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .where(Assignment.chapter_id == topic.chapter_id, _VISIBLE, on_topic)
    )


def topic_post_count(topic: Topic) -> int:
    return db.session.scalar(select(func.count()).select_from(_topic_post_ids(topic).subquery()))


def topic_posts(topic: Topic, offset: int, limit: int) -> list[Post]:
    """A page of the published posts on a topic, newest first, with their authors; only
    the page's rows are read."""
    ids = db.session.scalars(
        _topic_post_ids(topic)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return _listed_in_order(list(ids))


def topic_post_counts(chapter_id: int) -> dict[int, int]:
    """Published posts on each topic of a chapter. A post's topics are its assignment's,
    all of the chapter, so this reads the chapter's posts from covering indexes only."""
    rows = db.session.execute(
        select(post_topics.c.topic_id, func.count())
        .select_from(Post)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .join(post_topics, post_topics.c.post_id == Post.id)
        .where(Assignment.chapter_id == chapter_id, _VISIBLE)
        .group_by(post_topics.c.topic_id)
    )
    return dict(rows.all())


def topic_for_member(user: User, topic_id: int) -> tuple[Topic, Membership]:
    row = db.session.execute(
        select(Topic, Membership)
        .join(Chapter, Chapter.id == Topic.chapter_id)
        .join(Membership, Membership.course_id == Chapter.course_id)
        .where(Topic.id == topic_id, Membership.user_id == user.id)
        .options(joinedload(Topic.chapter).joinedload(Chapter.course))
    ).first()
    if row is None:
        abort(404)
    return row.Topic, row.Membership


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"] = field(default_factory=list)


def comment_thread(post_id: int) -> list[ThreadNode]:
    """Every comment of a post, nested under its parent, oldest first, in one statement."""
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.post_id == post_id)
        .order_by(Comment.created_at, Comment.id)
        .options(joinedload(Comment.author))
    )
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for comment in comments:
        node = nodes[comment.id] = ThreadNode(comment)
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    return roots


def comment_with_replies(comment: Comment) -> ThreadNode:
    """A comment with its replies nested under it, in one statement."""
    pending = comment_thread(comment.post_id)
    while pending:
        node = pending.pop()
        if node.comment.id == comment.id:
            return node
        pending.extend(node.replies)
    return ThreadNode(comment)


def live_count(nodes: list[ThreadNode]) -> int:
    """Comments and replies in the thread that are not deleted ("N thoughts on …")."""
    return sum((not node.comment.is_deleted) + live_count(node.replies) for node in nodes)


def thread_page(post_id: int, offset: int, limit: int) -> tuple[list[ThreadNode], int]:
    """A page of top-level threads with their replies, and the count of live comments."""
    roots = comment_thread(post_id)
    return roots[offset : offset + limit], live_count(roots)


def post_revisions(post_id: int, offset: int = 0, limit: int | None = None) -> list[PostRevision]:
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post_id)
            .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )


def post_revision_count(post_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PostRevision).where(PostRevision.post_id == post_id)
    )


def comment_revisions(comment_id: int) -> list[CommentRevision]:
    return list(
        db.session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment_id)
            .order_by(CommentRevision.created_at.desc())
        )
    )


def _viewable_citations(membership: Membership, video_id: int, *columns):
    """The video's citations from published posts this member may read."""
    return (
        select(*columns)
        .select_from(VideoCitation)
        .join(Post, Post.id == VideoCitation.post_id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        # Citations of drafts are never listed; viewable_posts leaves removed posts out.
        .where(
            VideoCitation.video_id == video_id,
            Post.status == PUBLISHED,
            permissions.viewable_posts(membership),
        )
    )


def video_citations(
    membership: Membership, video_id: int, offset: int, limit: int
) -> list[VideoCitation]:
    """A page of the citations of a video the member may read, by moment, with the
    posts' titles and authors."""
    return list(
        db.session.scalars(
            _viewable_citations(membership, video_id, VideoCitation)
            .order_by(VideoCitation.seconds, VideoCitation.id)
            .offset(offset)
            .limit(limit)
            .options(
                contains_eager(VideoCitation.post).options(
                    joinedload(Post.author), defer(Post.body), defer(Post.body_html)
                )
            )
        )
    )


def last_cited_moment(video_id: int) -> int | None:
    """The latest moment of the video a post its readers can see cites: not a draft's
    or a removed post's, which nobody could mend."""
    return db.session.scalar(
        select(func.max(VideoCitation.seconds))
        .join(Post, Post.id == VideoCitation.post_id)
        .where(VideoCitation.video_id == video_id, _VISIBLE)
    )


def video_citation_moments(membership: Membership, video_id: int) -> list[tuple[int, int]]:
    """(post id, seconds) of every citation of a video the member may read, by moment."""
    moments = _viewable_citations(
        membership, video_id, VideoCitation.post_id, VideoCitation.seconds
    ).order_by(VideoCitation.seconds, VideoCitation.id)
    return [(post_id, seconds) for post_id, seconds in db.session.execute(moments)]


def _live_notifications(user_id: int | ColumnElement[int]):
    """The user's notifications about comments that are still there, on posts that
    were not removed, in courses the user is still a member of."""
    return (
        select(Notification)
        .join(Comment, Comment.id == Notification.comment_id)
        .join(Post, Post.id == Comment.post_id)
        .join(Assignment, Assignment.id == Post.assignment_id)
        .join(
            Membership,
            and_(Membership.course_id == Assignment.course_id, Membership.user_id == user_id),
        )
        .where(
            Notification.user_id == user_id,
            Comment.deleted_at.is_(None),
            Post.deleted_at.is_(None),
        )
    )


_UNREAD_COUNT = select(func.count()).select_from(
    _live_notifications(bindparam("user_id")).where(Notification.read_at.is_(None)).subquery()
)


def unread_count(user_id: int) -> int:
    """The bell's count, on every page: the statement is built once."""
    return db.session.scalar(_UNREAD_COUNT, {"user_id": user_id})


def notifications(user_id: int, limit: int = 50, offset: int = 0) -> list[Notification]:
    """Newest first, each with its comment's author, post and the post's course."""
    return list(
        db.session.scalars(
            _live_notifications(user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(offset)
            .limit(limit)
            .options(
                joinedload(Notification.comment).joinedload(Comment.author),
                joinedload(Notification.comment)
                .joinedload(Comment.post)
                .joinedload(Post.assignment)
                .joinedload(Assignment.chapter)
                .joinedload(Chapter.course),
            )
        )
    )


def notification_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(_live_notifications(user_id).subquery())
    )
