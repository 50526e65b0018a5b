"""Blog pages: assignments, the post editor, posts with their discussion, topics."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required

from coursehub import permissions
from coursehub.blogs import queries, services, threads
from coursehub.blogs.forms import AssignmentForm, CommentForm, PostForm, UploadForm
from coursehub.blogs.models import BODY_MAX, Upload
from coursehub.courses import queries as course_queries
from coursehub.db import utcnow
from coursehub.errors import json_error
from coursehub.exceptions import DomainError
from coursehub.extensions import db
from coursehub.forms import EmptyForm, add_error
from coursehub.pagination import last_page, requested_page
from coursehub.participation import services as participation
from coursehub.security import limit
from coursehub.urls import row_id

bp = Blueprint("blogs", __name__)

POSTS_PER_PAGE = 50  # the post lists of an assignment and of a topic, a page at a time


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every blog page is for signed-in users."""


@bp.app_context_processor
def _notifications() -> dict[str, int]:
    """The bell's unread count, for the navigation of every page."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notifications": queries.unread_count(current_user.id)}


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


# --- Assignments ----------------------------------------------------------------------


@bp.route("/chapters/<id:chapter_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(chapter_id: int):
    chapter, membership = course_queries.chapter_for_member(current_user, chapter_id)
    _require(permissions.can_edit_assignments(membership))
    form = AssignmentForm()
    form.topics.set_topics(chapter.topics)
    if request.method == "GET":
        form.topics.data = [topic.id for topic in chapter.topics]
    if form.validate_on_submit():
        try:
            assignment = services.create_assignment(
                chapter, form.spec(chapter.course.timezone), utcnow()
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"“{assignment.title}” is set.", "success")
            return redirect(url_for("blogs.assignment", assignment_id=assignment.id))
    return render_template(
        "blogs/assignment_form.html", form=form, chapter=chapter, course=chapter.course,
        assignment=None,
    )  # fmt: skip


@bp.route("/assignments/<id:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int):
    assignment, membership = queries.assignment_for_member(current_user, assignment_id)
    _require(permissions.can_edit_assignments(membership))
    course = assignment.chapter.course
    form = AssignmentForm(obj=assignment)
    form.topics.set_topics(assignment.chapter.topics)
    if request.method == "GET":
        form.topics.data = [topic.id for topic in assignment.topics]
        for name in ("opens_at", "due_at", "comments_due_at"):
            value = getattr(assignment, name)
            getattr(form, name).data = _in_zone(value, course.timezone)
    if form.validate_on_submit():
        try:
            services.update_assignment(
                current_user, assignment, form.spec(course.timezone, assignment), utcnow()
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash("Assignment saved.", "success")
            return redirect(url_for("blogs.assignment", assignment_id=assignment.id))
    return render_template(
        "blogs/assignment_form.html", form=form, chapter=assignment.chapter, course=course,
        assignment=assignment, in_use=services.assignment_in_use(assignment),
    )  # fmt: skip


@bp.post("/assignments/<id:assignment_id>/delete")
def delete_assignment(assignment_id: int):
    assignment, membership = queries.assignment_for_member(current_user, assignment_id)
    _require(permissions.can_edit_assignments(membership))
    chapter_id, title = assignment.chapter_id, assignment.title
    if EmptyForm().validate_on_submit():
        try:
            services.delete_assignment(assignment, current_user, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"The assignment “{title}” has been deleted.", "success")
            return redirect(url_for("courses.chapter", chapter_id=chapter_id))
    return redirect(url_for("blogs.edit_assignment", assignment_id=assignment_id))


def _in_zone(value: datetime | None, timezone: str) -> datetime | None:
    """A stored time as the naive local time a datetime-local input shows."""
    return value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None) if value else None


@bp.get("/assignments/<id:assignment_id>")
def assignment(assignment_id: int):
    assignment, membership = queries.assignment_for_member(current_user, assignment_id)
    own = queries.own_post(current_user.id, assignment.id)
    blocked = permissions.must_post_first(
        membership, assignment, own is not None and own.is_published
    )
    page, posts, total, feedback = 1, [], 0, []
    if not blocked:
        total = queries.published_count(assignment.id)
        page = requested_page(last_page(total, POSTS_PER_PAGE))
        listed = queries.published_posts(assignment.id, (page - 1) * POSTS_PER_PAGE, POSTS_PER_PAGE)
        posts = queries.summaries(listed)
        feedback = queries.needs_feedback(assignment.id, current_user.id)
    progress = None
    if permissions.can_write_post(membership):
        progress = participation.student_credits([assignment], current_user)[0]
    return render_template(
        "blogs/assignment.html", assignment=assignment, chapter=assignment.chapter,
        course=assignment.chapter.course, membership=membership, own=own, blocked=blocked,
        groups=_by_topic(assignment, posts), total=total, page=page,
        first=(page - 1) * POSTS_PER_PAGE + 1, last=(page - 1) * POSTS_PER_PAGE + len(posts),
        more=page * POSTS_PER_PAGE < total, needs_feedback=feedback, progress=progress,
        now=utcnow(),
    )  # fmt: skip


def _by_topic(assignment, posts):
    """(topic, posts) for each of the assignment's topics that has posts, then (None, the
    rest): posts on no topic, or only on topics the assignment no longer lists."""
    offered = set(assignment.topics)
    groups = [(topic, [s for s in posts if topic in s.post.topics]) for topic in assignment.topics]
    others = [s for s in posts if offered.isdisjoint(s.post.topics)]
    return [(t, group) for t, group in groups if group] + ([(None, others)] if others else [])


# --- Writing a post -------------------------------------------------------------------


@bp.route("/assignments/<id:assignment_id>/write", methods=["GET", "POST"])
@limit("POSTING")
def write(assignment_id: int):
    """The editor: start the student's post, or continue it."""
    assignment, membership = queries.assignment_for_member(current_user, assignment_id)
    _require(permissions.can_write_post(membership))
    own = queries.own_post(current_user.id, assignment.id)
    form = PostForm(obj=own)
    form.topics.set_topics(assignment.topics)
    if request.method == "GET" and own is not None:
        form.topics.data = [topic.id for topic in own.topics]
    if form.validate_on_submit():
        publish = "publish" in request.form
        args = (form.title.data, form.body.data, form.topics.data or [], publish, utcnow())
        try:
            if own is None:
                own = services.create_post(current_user, assignment, *args)
            else:
                services.update_post(own, *args)
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            if own.is_published:
                flash("Your post is published." if publish else "Your post is saved.", "success")
                if (short := assignment.min_words - own.word_count) > 0:
                    words = "1 word" if own.word_count == 1 else f"{own.word_count} words"
                    flash(
                        f"It has {words}, {short} short of the {assignment.min_words} the "
                        "assignment asks for: it earns no post points until you add them.",
                        "warning",
                    )
                return redirect(url_for("blogs.post", post_id=own.id))
            flash("Draft saved. Only you can see it until you publish.", "success")
            return redirect(url_for("blogs.write", assignment_id=assignment.id))
    return render_template(
        "blogs/write.html", form=form, assignment=assignment, chapter=assignment.chapter,
        course=assignment.chapter.course, post=own, upload_form=UploadForm(),
        sent=_sent_text(form.body.data, assignment.course_id),
    )  # fmt: skip


def _sent_text(text: str | None, course_id: int):
    """A refused save's text as the preview shows it, so the preview and the word count
    match the text box that kept it; None before anything was sent."""
    if request.method != "POST" or not text or len(text) > BODY_MAX:
        return None
    return services.render_course_text(text, course_id, "post-")


@bp.post("/courses/<id:course_id>/preview")
@limit("PREVIEW")
def preview(course_id: int):
    """The editor's live preview: the same pipeline as saving, nothing stored."""
    course, _ = course_queries.course_for_member(current_user, course_id)
    body = request.get_json(silent=True)
    text = body.get("body") if isinstance(body, dict) else None
    if not isinstance(text, str) or len(text) > BODY_MAX:
        abort(400, f"Send {{'body': text}} of at most {BODY_MAX} characters.")
    rendered = services.render_course_text(text.replace("\x00", ""), course.id, "post-")
    return jsonify(html=rendered.html, word_count=rendered.word_count)


# --- Images ---------------------------------------------------------------------------


@bp.post("/courses/<id:course_id>/uploads")
@limit("UPLOAD")
def upload(course_id: int):
    course, _ = course_queries.course_for_member(current_user, course_id)
    form = UploadForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    if form.validate_on_submit():
        file = form.image.data
        try:
            saved = services.save_upload(
                course.id, current_user, file.stream, file.filename or "",
                _upload_folder(), utcnow(),
            )  # fmt: skip
        except DomainError as error:
            add_error(form, error)
        else:
            db.session.commit()
            url = url_for("blogs.uploaded", course_id=course.id, filename=saved.filename)
            markdown = f"![Describe the image]({url})"
            if wants_json:
                return jsonify(url=url, markdown=markdown), 201
            flash(f"Image uploaded. Paste this into your post: {markdown}", "success")
            return redirect(request.referrer or url_for("courses.course", course_id=course.id))
    message = " ".join(error for errors in form.errors.values() for error in errors)
    if wants_json:
        return json_error(422, message, fields=form.errors)
    flash(message or "That upload did not work.", "error")
    return redirect(request.referrer or url_for("courses.course", course_id=course.id))


@bp.get("/courses/<id:course_id>/uploads/<filename>")
def uploaded(course_id: int, filename: str):
    """An uploaded image, to course members only, never sniffed into another type."""
    course_queries.course_for_member(current_user, course_id)
    saved = db.session.scalar(
        db.select(Upload).where(Upload.course_id == course_id, Upload.filename == filename)
    )
    if saved is None:
        abort(404)
    response = send_from_directory(_upload_folder(), saved.filename, mimetype=saved.content_type)
    # nosniff comes with every response (coursehub/security.py); an image needs no script.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


# --- Posts and their discussion -------------------------------------------------------


@bp.get("/posts/<id:post_id>")
def post(post_id: int):
    post, membership, published = queries.post_for_member(current_user, post_id)
    if not permissions.can_view_post(membership, post, published):
        if permissions.must_post_first(membership, post.assignment, published):
            return render_template(
                "blogs/post_first.html", assignment=post.assignment, course=_course(post)
            ), 403
        abort(404)
    return _post_page(post, membership, published, request.args.get("reply_to", type=int))


def _post_page(post, membership, published, reply_to, refused=None):
    """The post and its thread, with the reply box under `reply_to` if asked for. A
    `refused` comment form comes back in its box with its text and what was wrong."""
    course = _course(post)
    can_comment = permissions.can_comment(membership, post, published)
    thread = threads.rendered_thread(post, course.timezone, can_comment)
    if reply_to not in thread.reply_at:
        reply_to = None  # no such reply box: a refused reply returns in the main one
    return render_template(
        "blogs/post.html", post=post, assignment=post.assignment, course=course,
        membership=membership, live_comments=thread.live_count, can_comment=can_comment,
        comments=threads.for_reader(thread, post, membership, reply_to, refused),
        refused=None if reply_to else refused,
        credit_words=participation.comment_credit_words(membership, post, utcnow()),
    )  # fmt: skip


def _course(post):
    return post.assignment.chapter.course


@bp.post("/posts/<id:post_id>/comments")
@limit("COMMENTING")
def add_comment(post_id: int):
    post, membership, published = queries.post_for_member(current_user, post_id)
    _require(permissions.can_comment(membership, post, published))
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = services.add_comment(
                current_user, post, form.body.data, form.parent(), utcnow()
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("blogs.post", post_id=post.id, _anchor=f"comment-{comment.id}"))
    return _post_page(post, membership, published, form.parent(), refused=form)


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@limit("COMMENTING")
def edit_comment(comment_id: int):
    comment, membership, _ = queries.comment_for_member(current_user, comment_id)
    _require(permissions.can_edit_comment(membership, comment))
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            services.edit_comment(comment, form.body.data, utcnow())
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash("Comment saved.", "success")
            return redirect(
                url_for("blogs.post", post_id=comment.post_id, _anchor=f"comment-{comment.id}")
            )
    return render_template(
        "blogs/comment_form.html", form=form, comment=comment, post=comment.post,
        course=_course(comment.post),
    )  # fmt: skip


@bp.post("/comments/<id:comment_id>/delete")
def delete_comment(comment_id: int):
    comment, membership, _ = queries.comment_for_member(current_user, comment_id)
    _require(permissions.can_delete_comment(membership, comment))
    if EmptyForm().validate_on_submit():
        services.delete_comment(comment, current_user, utcnow())
        db.session.commit()
        flash("Comment deleted; any replies to it stay in the thread.", "info")
    return redirect(url_for("blogs.post", post_id=comment.post_id, _anchor=f"comment-{comment.id}"))


@bp.post("/posts/<id:post_id>/delete")
def delete_post(post_id: int):
    post, membership, _ = queries.post_for_member(current_user, post_id)
    _require(permissions.can_delete_post(membership, post))
    if EmptyForm().validate_on_submit():
        services.delete_post(post, current_user, utcnow())
        db.session.commit()
        flash("The post is removed. Its comments still count for their authors.", "info")
    return redirect(url_for("blogs.assignment", assignment_id=post.assignment_id))


@bp.get("/posts/<id:post_id>/revisions")
def post_revisions(post_id: int):
    post, membership, _ = queries.post_for_member(current_user, post_id)
    _require(permissions.can_view_revisions(membership, post))
    return render_template(
        "blogs/revisions.html", post=post, course=_course(post),
        revisions=queries.post_revisions(post.id),
    )  # fmt: skip


# --- Topics and notifications ---------------------------------------------------------


@bp.get("/topics/<id:topic_id>")
def topic(topic_id: int):
    topic, membership = queries.topic_for_member(current_user, topic_id)
    total = queries.topic_post_count(topic)
    page = requested_page(last_page(total, POSTS_PER_PAGE))
    listed = queries.topic_posts(topic, (page - 1) * POSTS_PER_PAGE, POSTS_PER_PAGE)
    published = queries.published_in(current_user.id, {post.assignment_id for post in listed})
    visible = [
        post
        for post in listed
        if permissions.can_view_post(membership, post, post.assignment_id in published)
    ]
    return render_template(
        "blogs/topic.html", topic=topic, chapter=topic.chapter, course=topic.chapter.course,
        membership=membership, posts=queries.summaries(visible),
        hidden=len(listed) - len(visible), total=total, page=page,
        more=page * POSTS_PER_PAGE < total,
    )  # fmt: skip


@bp.get("/notifications")
def notifications():
    return render_template(
        "blogs/notifications.html", notifications=queries.notifications(current_user.id),
        form=EmptyForm(),
    )  # fmt: skip


@bp.post("/notifications/read")
def mark_read():
    if EmptyForm().validate_on_submit():
        if "id" in request.form:
            only = row_id(request.form.get("id"))
            if only is None:
                abort(400, "Name a notification by its number.")
            services.mark_read(current_user, utcnow(), [only])
        else:
            services.mark_read(current_user, utcnow())
        db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/posts/") else url_for("blogs.notifications"))
