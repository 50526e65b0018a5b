"""Blog rules: assignments, posts and their revisions, comments, notifications."""

import io
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from PIL import Image, UnidentifiedImageError
from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from coursehub.accounts.models import User
from coursehub.audit.services import record
from coursehub.blogs.models import (
    MAX_DEPTH,
    Assignment,
    Comment,
    CommentRevision,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    PostStatus,
    Upload,
    VideoCitation,
    post_topics,
)
from coursehub.courses.models import Chapter, LectureVideo, Topic
from coursehub.exceptions import Conflict, Invalid
from coursehub.extensions import db
from coursehub.participation.models import ParticipationOverride
from coursehub.rendering import CitedVideo, Rendered, render_markdown


@dataclass(frozen=True)
class AssignmentSpec:
    """Everything staff set on an assignment."""

    title: str
    prompt: str = ""
    topic_ids: tuple[int, ...] = ()
    opens_at: datetime | None = None
    due_at: datetime | None = None
    comments_due_at: datetime | None = None
    min_words: int = 0
    required_comments: int = 0
    comment_min_words: int = 0
    post_points: float = 0
    comment_points: float = 0
    late_penalty_percent: float | None = None
    post_before_viewing: bool = False


def create_assignment(chapter: Chapter, spec: AssignmentSpec, now: datetime) -> Assignment:
    """Set a blog assignment in a chapter. Raises Invalid for inconsistent rules."""
    assignment = Assignment(chapter=chapter, course_id=chapter.course_id, created_at=now)
    _apply_assignment(assignment, chapter, spec)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def update_assignment(
    actor: User, assignment: Assignment, spec: AssignmentSpec, now: datetime
) -> None:
    """Change an assignment; credit follows the new rules, and a change of them is
    audited (they move every student's grade). Raises Invalid as create does."""
    before = _rules(assignment)
    _apply_assignment(assignment, assignment.chapter, spec)
    after = _rules(assignment)
    changed = [name for name in after if after[name] != before[name]]
    if changed:
        record(
            actor, assignment.course_id, "assignment.change", assignment, now,
            {name: before[name] for name in changed}, {name: after[name] for name in changed},
        )  # fmt: skip


# The fields of an assignment that decide credit, as the audit log keeps them.
_RULES = (
    "opens_at", "due_at", "comments_due_at", "min_words", "required_comments",
    "comment_min_words", "post_points", "comment_points", "late_penalty_percent",
    "post_before_viewing",
)  # fmt: skip


def _rules(assignment: Assignment) -> dict[str, object]:
    """The rules, times in UTC: the same moment in another zone is no change."""
    values = {name: getattr(assignment, name) for name in _RULES}
    return {
        name: value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
        for name, value in values.items()
    }


def _apply_assignment(assignment: Assignment, chapter: Chapter, spec: AssignmentSpec) -> None:
    if not spec.title.strip():
        raise Invalid("Give the assignment a title.", field="title")
    if spec.required_comments == 0 and spec.comment_points != 0:
        raise Invalid(
            "Comment points need a number of required comments; "
            "with 0 required comments, comments are not graded.",
            field="comment_points",
        )
    if spec.opens_at and spec.due_at and spec.due_at < spec.opens_at:
        raise Invalid("The due time is before the assignment opens.", field="due_at")
    if spec.opens_at and spec.comments_due_at and spec.comments_due_at < spec.opens_at:
        raise Invalid("Comments are due before the assignment opens.", field="comments_due_at")
    if spec.due_at and spec.comments_due_at and spec.comments_due_at < spec.due_at:
        raise Invalid(
            "Comments are due before posts are: a post published on time could get none.",
            field="comments_due_at",
        )
    topics = {topic.id: topic for topic in chapter.topics}
    if not set(spec.topic_ids) <= topics.keys():
        raise Invalid("Choose topics of this chapter.", field="topic_ids")
    rendered = render_course_text(spec.prompt, chapter.course_id, "prompt-")
    assignment.title = spec.title.strip()
    assignment.prompt, assignment.prompt_html = spec.prompt, rendered.html
    assignment.topics = [topics[topic_id] for topic_id in dict.fromkeys(spec.topic_ids)]
    for name in _RULES:
        setattr(assignment, name, getattr(spec, name))


def create_post(
    author: User,
    assignment: Assignment,
    title: str,
    body: str,
    topic_ids: Iterable[int],
    publish: bool,
    now: datetime,
) -> Post:
    """Start the author's post for an assignment, as a draft or published.

    Raises Conflict when they already have a post (a removed one does not count),
    Invalid for an empty title or body, topics the assignment does not offer, or an
    assignment not yet open.
    """
    if assignment.opens_at is not None and now < assignment.opens_at:
        raise Invalid("This assignment is not open yet.", field="status")
    existing = db.session.scalar(
        select(Post.id).where(
            Post.assignment_id == assignment.id,
            Post.author_id == author.id,
            Post.deleted_at.is_(None),
        )
    )
    if existing is not None:
        raise Conflict("You already have a post for this assignment; edit it instead.")
    post = Post(assignment=assignment, author=author, created_at=now, status=PostStatus.draft)
    citations = _write_post(post, title, body, topic_ids, publish, now)
    db.session.add(post)
    db.session.flush()
    _record_citations(post, citations)
    return post


def update_post(
    post: Post, title: str, body: str, topic_ids: Iterable[int], publish: bool, now: datetime
) -> None:
    """Save a new version of a post; the version it replaces is kept as a revision.

    A published post stays published. Raises Invalid as create_post does.
    """
    before = (post.title, post.body, post.status)
    citations = _write_post(post, title, body, topic_ids, publish or post.is_published, now)
    if before[:2] != (post.title, post.body) and before[2] is PostStatus.published:
        db.session.add(_revision(post, *before, now))
    _record_citations(post, citations)


def _revision(post: Post, title: str, body: str, status: PostStatus, now: datetime) -> PostRevision:
    """An earlier version of `post`, replaced at `now`."""
    # Rendered afresh: the revisions page shows several versions, each needing its own ids.
    html = render_course_text(body, post.assignment.course_id, _revision_prefix()).html
    return PostRevision(
        post_id=post.id, title=title, body=body, body_html=html, status=status, created_at=now
    )


def _comment_prefix() -> str:
    """Footnote ids of one comment, apart from every other text on the page."""
    return f"c{secrets.token_hex(4)}-"


def _revision_prefix() -> str:
    return f"r{secrets.token_hex(4)}-"


def _write_post(
    post: Post, title: str, body: str, topic_ids: Iterable[int], publish: bool, now: datetime
) -> list[tuple[int, int]]:
    """Validate and apply a version of the post; returns its lecture citations."""
    assignment = post.assignment
    title, topic_ids = title.strip(), list(dict.fromkeys(topic_ids))
    if not title:
        raise Invalid("Give your post a title.", field="title")
    if not body.strip():
        raise Invalid("Write something before saving.", field="body")
    offered = {topic.id: topic for topic in assignment.topics}
    if not set(topic_ids) <= offered.keys():
        raise Invalid("Choose topics this assignment offers.", field="topic_ids")
    if offered and not topic_ids:
        raise Invalid("Choose the topic your post discusses.", field="topic_ids")
    rendered = render_course_text(body, assignment.course_id, "post-")
    if (post.title, post.body) != (title, body) or post.id is None:
        post.updated_at = now
    post.title, post.body = title, body
    post.body_html, post.word_count = rendered.html, rendered.word_count
    post.topics = [offered[topic_id] for topic_id in topic_ids]
    if publish and post.status is PostStatus.draft:
        post.status, post.published_at = PostStatus.published, now
    return rendered.citations


def render_course_text(text: str, course_id: int, id_prefix: str) -> Rendered:
    """The pipeline every prompt, post and comment of a course goes through, for saving
    and for the editor's preview: images may come from the course's uploads, and
    lecture citations link to the course's videos."""
    return render_markdown(
        text,
        id_prefix=id_prefix,
        uploads_path=f"/courses/{course_id}/uploads/",
        cited_videos=lambda ids: _cited_videos(course_id, ids),
    )


def _cited_videos(course_id: int, ids: Iterable[int]) -> Mapping[int, CitedVideo]:
    rows = db.session.execute(
        select(LectureVideo.id, LectureVideo.title, LectureVideo.duration_seconds)
        .join(Chapter, Chapter.id == LectureVideo.chapter_id)
        .where(Chapter.course_id == course_id, LectureVideo.id.in_(list(ids)))
    )
    return {row.id: CitedVideo(row.title, row.duration_seconds) for row in rows}


def _record_citations(post: Post, citations: list[tuple[int, int]]) -> None:
    db.session.execute(delete(VideoCitation).where(VideoCitation.post_id == post.id))
    db.session.add_all(
        VideoCitation(post_id=post.id, video_id=video_id, seconds=seconds)
        for video_id, seconds in dict.fromkeys(citations)
    )


def delete_post(post: Post, actor: User, now: datetime) -> None:
    """Hide a post, audited. Nothing is destroyed: its comments keep counting."""
    if post.deleted_at is not None:
        return
    post.deleted_at = now
    record(actor, post.assignment.course_id, "post.delete", post, now, {"title": post.title})


def add_comment(
    author: User, post: Post, body: str, parent_id: int | None, now: datetime
) -> Comment:
    """Comment on a published post, or reply to one of its comments.

    A reply to a comment already MAX_DEPTH deep joins that comment's own parent, so a
    thread never grows deeper. Tells the post's author of a comment and a comment's
    author of a reply. Raises Invalid for an empty body, a draft or deleted post, or
    a parent that is not a comment of this post.
    """
    if not post.is_published:
        raise Invalid("Comments open when the post is published.", field="post")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.post_id != post.id:
            raise Invalid("You can only reply to a comment of this post.", field="parent_id")
    if not body.strip():
        raise Invalid("Write something before posting.", field="body")
    replied_to = parent
    if parent is not None and parent.depth >= MAX_DEPTH:
        parent = db.session.get(Comment, parent.parent_id)
    rendered = render_course_text(body, post.assignment.course_id, _comment_prefix())
    comment = Comment(
        post=post, author=author, parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 1, body=body, body_html=rendered.html,
        word_count=rendered.word_count, created_at=now,
    )  # fmt: skip
    db.session.add(comment)
    _thread_changed(post)
    db.session.flush()
    _notify(comment, replied_to)
    return comment


def _thread_changed(post: Post) -> None:
    """Mark a change to the post's comments: readers' cached copies of the thread lapse.

    A random version rather than a count: a restored backup brings old counts back, but
    never the random versions given out since.
    """
    version = secrets.randbits(31)  # fits the INTEGER column of every database
    post.thread_version = version if version != post.thread_version else version ^ 1


def _notify(comment: Comment, replied_to: Comment | None) -> None:
    told = {comment.author_id}
    if replied_to is not None and replied_to.author_id not in told:
        db.session.add(
            Notification(user_id=replied_to.author_id, kind=NotificationKind.reply,
                         comment_id=comment.id, created_at=comment.created_at)
        )  # fmt: skip
        told.add(replied_to.author_id)
    if comment.post.author_id not in told:
        db.session.add(
            Notification(user_id=comment.post.author_id, kind=NotificationKind.comment,
                         comment_id=comment.id, created_at=comment.created_at)
        )  # fmt: skip


def edit_comment(comment: Comment, body: str, now: datetime) -> None:
    """Replace a comment's text, keeping the old text as a revision.

    Raises Invalid for an empty body or a deleted comment.
    """
    if comment.is_deleted:
        raise Invalid("A deleted comment cannot be edited.", field="body")
    if not body.strip():
        raise Invalid("Write something before saving.", field="body")
    if body == comment.body:
        return
    db.session.add(CommentRevision(comment_id=comment.id, body=comment.body, created_at=now))
    rendered = render_course_text(body, comment.post.assignment.course_id, _comment_prefix())
    comment.body, comment.body_html, comment.word_count = body, rendered.html, rendered.word_count
    comment.edited_at = now
    _thread_changed(comment.post)


def delete_comment(comment: Comment, actor: User, now: datetime) -> None:
    """Soft-delete: the thread shows a placeholder and keeps the replies."""
    if comment.is_deleted:
        return
    comment.deleted_at, comment.deleted_by_id = now, actor.id
    _thread_changed(comment.post)
    course_id = comment.post.assignment.course_id
    record(actor, course_id, "comment.delete", comment, now, {"author_id": comment.author_id})


def mark_read(user: User, now: datetime, notification_ids: Iterable[int] | None = None) -> None:
    """Mark the user's notifications read: the ones named, or all of them."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    db.session.execute(query.values(read_at=now))


# Pillow's format name -> (content type, file extension) of the images we accept.
IMAGE_TYPES = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_PIXELS = 50_000_000


def save_upload(
    course_id: int, uploader: User, stream: IO[bytes], original_name: str, folder: Path,
    now: datetime,
) -> Upload:  # fmt: skip
    """Store an image for the course under a random name.

    The file must decode as PNG, JPEG, GIF or WebP, whatever its name or declared type
    says. Raises Invalid for anything else, or over 5 MB, or absurd dimensions.
    """
    data = stream.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise Invalid("Images can be at most 5 MB.", field="image")
    refused = Invalid("That file is not a PNG, JPEG, GIF or WebP image.", field="image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in IMAGE_TYPES:
                raise refused
            if width * height > UPLOAD_MAX_PIXELS:
                raise Invalid("That image has too many pixels.", field="image")
            image.load()  # decoding the whole image catches truncated and forged files
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    content_type, extension = IMAGE_TYPES[kind]
    filename = f"{secrets.token_urlsafe(18)}.{extension}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / filename).write_bytes(data)
    upload = Upload(
        course_id=course_id, uploader_id=uploader.id, filename=filename,
        content_type=content_type, size=len(data), width=width, height=height,
        original_name=original_name[:255], created_at=now,
    )  # fmt: skip
    db.session.add(upload)
    db.session.flush()
    return upload


def render_all(batch_size: int = 500) -> Iterator[int]:
    """Re-render every stored text through the current pipeline, after a rule change.

    Not an edit: no revision is kept and no time changes. Yields the number of texts
    done after each batch, so the caller can commit as it goes.
    """
    done = 0
    for model in (Assignment, Post, PostRevision, Comment):
        last_id = 0
        while True:
            batch = db.session.scalars(
                select(model).where(model.id > last_id).order_by(model.id).limit(batch_size)
            ).all()
            if not batch:
                break
            for item in batch:
                _rerender(item)
            last_id = batch[-1].id
            done += len(batch)
            db.session.flush()
            yield done


def _rerender(item: Assignment | Post | PostRevision | Comment) -> None:
    if isinstance(item, Assignment):
        item.prompt_html = render_course_text(item.prompt, item.course_id, "prompt-").html
    elif isinstance(item, Comment):
        rendered = render_course_text(item.body, item.post.assignment.course_id, _comment_prefix())
        item.body_html, item.word_count = rendered.html, rendered.word_count
        _thread_changed(item.post)
    elif isinstance(item, PostRevision):
        course_id = db.session.get(Post, item.post_id).assignment.course_id
        item.body_html = render_course_text(item.body, course_id, _revision_prefix()).html
    else:
        rendered = render_course_text(item.body, item.assignment.course_id, "post-")
        item.body_html, item.word_count = rendered.html, rendered.word_count
        _record_citations(item, rendered.citations)


# --- Deleting course structure -----------------------------------------------------------
# A chapter, topic, video or assignment goes only while nothing students wrote depends on
# it: a post (a removed one too: its comments still earn credit), a link to a lecture
# moment, an override. `*_in_use` says what keeps one, in words for its edit page;
# `delete_*` locks its row first (PostgreSQL: a post saved meanwhile waits, then is seen;
# SQLite writes one at a time) and raises Conflict with the same words.


def topic_in_use(topic: Topic) -> str | None:
    """Posts on the topic keep it, removed ones and drafts too."""
    posts = _count(select(func.count()).where(post_topics.c.topic_id == topic.id))
    if posts:
        on = _plural(posts, "A post is", "posts are")
        return f"{on} on this topic, so it stays. You can rename it instead."
    return None


def delete_topic(topic: Topic, actor: User, now: datetime) -> None:
    """Delete a topic; assignments offering it and segments on it drop it. Raises
    Conflict while topic_in_use."""
    _lock(Topic, topic.id)
    _refuse_if(topic_in_use(topic))
    record(actor, topic.chapter.course_id, "topic.delete", topic, now, {"name": topic.name})
    db.session.delete(topic)


def video_in_use(video: LectureVideo) -> str | None:
    """A link to it anywhere in the course keeps it: in a post (citations record those),
    an earlier version of one, a comment or an assignment's prompt."""
    posts = _count(
        select(func.count(func.distinct(VideoCitation.post_id))).where(
            VideoCitation.video_id == video.id
        )
    )
    if posts:
        cite = _plural(posts, "A post cites", "posts cite")
        return f"{cite} this video, so it stays. You can edit it instead."
    course_id = video.chapter.course_id
    links = [
        f'%"/videos/{video.id}"%',
        f'%"/videos/{video.id}?%',
    ]  # the id is an int: no LIKE wildcards in it

    def linking(html: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        return or_(*(html.like(link) for link in links))

    in_course = Assignment.course_id == course_id
    texts = [
        select(Comment.id).join(Post).join(Assignment).where(in_course, linking(Comment.body_html)),
        select(PostRevision.id)
        .join(Post)
        .join(Assignment)
        .where(in_course, linking(PostRevision.body_html)),
        select(Assignment.id).where(in_course, linking(Assignment.prompt_html)),
    ]
    if any(db.session.scalar(select(exists(text))) for text in texts):
        return (
            "A comment, an earlier version of a post or an assignment's prompt links to a "
            "moment of it, so it stays. You can edit it instead."
        )
    return None


def delete_video(video: LectureVideo, actor: User, now: datetime) -> None:
    """Delete a lecture video and its segments. Raises Conflict while video_in_use."""
    _lock(LectureVideo, video.id)
    _refuse_if(video_in_use(video))
    record(actor, video.chapter.course_id, "video.delete", video, now, {"title": video.title})
    db.session.delete(video)


def assignment_in_use(assignment: Assignment) -> str | None:
    """Any post keeps it, a removed one too; so does an override, which is a grade."""
    posts = _count(select(func.count()).where(Post.assignment_id == assignment.id))
    if posts:
        written = _plural(posts, "A student has written a post", "posts have been written")
        return f"{written} for it, so it stays."
    overrides = _count(
        select(func.count()).where(ParticipationOverride.assignment_id == assignment.id)
    )
    if overrides:
        return "It has participation overrides, so it stays."
    return None


def delete_assignment(assignment: Assignment, actor: User, now: datetime) -> None:
    """Delete an assignment, audited with its title and grading rules. Raises Conflict
    while assignment_in_use."""
    _lock(Assignment, assignment.id)
    _refuse_if(assignment_in_use(assignment))
    before = {"title": assignment.title, **_rules(assignment)}
    record(actor, assignment.course_id, "assignment.delete", assignment, now, before)
    db.session.delete(assignment)


def chapter_in_use(chapter: Chapter) -> str | None:
    """Its assignments and videos keep it (each can be deleted first). Not its topics:
    only its own assignments' posts can be on them."""
    assignments = _count(select(func.count()).where(Assignment.chapter_id == chapter.id))
    videos = _count(select(func.count()).where(LectureVideo.chapter_id == chapter.id))
    held = [
        _plural(assignments, "an assignment", "assignments"),
        _plural(videos, "a lecture video", "lecture videos"),
    ]
    if held := [words for words in held if words]:
        them = "it" if assignments + videos == 1 else "them"
        return f"It still has {' and '.join(held)}; delete {them} first."
    return None


def delete_chapter(chapter: Chapter, actor: User, now: datetime) -> None:
    """Delete a chapter and its topics. Raises Conflict while chapter_in_use."""
    _lock(Chapter, chapter.id)
    _refuse_if(chapter_in_use(chapter))
    record(actor, chapter.course_id, "chapter.delete", chapter, now, {"title": chapter.heading})
    for topic in chapter.topics:
        db.session.delete(topic)
    db.session.delete(chapter)


def _lock(model: type[db.Model], row_id: int) -> None:
    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise Conflict(reason)


def _count(statement: Select[tuple[int]]) -> int:
    return db.session.scalar(statement) or 0


def _plural(count: int, one: str, many: str) -> str:
    """Nothing for none, `one` for one, else the count and `many`."""
    return "" if not count else one if count == 1 else f"{count} {many}"
