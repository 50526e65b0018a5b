"""Course pages: my courses, course outline, people, settings, chapters and videos."""

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.validators import ValidationError

from coursehub import permissions
from coursehub.blogs import queries as blog_queries
from coursehub.blogs import services as blog_services
from coursehub.courses import queries, services
from coursehub.courses.forms import (
    ChapterForm,
    CourseForm,
    JoinForm,
    NewChapterForm,
    RoleForm,
    TopicForm,
    VideoForm,
)
from coursehub.courses.models import LectureVideo, Role
from coursehub.courses.services import TopicSpec
from coursehub.db import utcnow
from coursehub.exceptions import DomainError
from coursehub.extensions import db
from coursehub.forms import EmptyForm, add_error
from coursehub.pagination import last_page, requested_page
from coursehub.participation import services as participation
from coursehub.rendering import video_source

bp = Blueprint("courses", __name__)

CITATIONS_PER_PAGE = 100  # by moment cited; a lecture can be cited thousands of times
ROSTER_PAGE_SIZE = 100


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every course page is for signed-in users."""


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _deleted(delete, done: str) -> bool:
    """Run `delete` (a service bound to what it deletes) for a Delete button's post and
    commit, saying `done`; False, with the service's refusal flashed, if it refused."""
    if not EmptyForm().validate_on_submit():
        return False
    try:
        delete(current_user, utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True


@bp.get("/")
def index():
    return render_template("courses/index.html", memberships=queries.memberships_of(current_user))


@bp.route("/courses/new", methods=["GET", "POST"])
def new_course():
    _require(permissions.can_create_course(current_user, current_app.config["COURSE_CREATION"]))
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = services.create_course(
                current_user, form.code.data, form.title.data, form.description.data, utcnow(),
                form.timezone.data,
            )  # fmt: skip
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(
                f"{course.title} is ready. Share the join code {course.join_code} with students.",
                "success",
            )
            return redirect(url_for("courses.course", course_id=course.id))
    return render_template("courses/new.html", form=form)


@bp.route("/courses/join", methods=["GET", "POST"])
def join():
    form = JoinForm(data={"join_code": request.args.get("code", "")})
    if form.validate_on_submit():
        try:
            membership = services.join_course(current_user, form.join_code.data, utcnow())
        except DomainError as error:
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"You joined {membership.course.title}.", "success")
            return redirect(url_for("courses.course", course_id=membership.course_id))
    return render_template("courses/join.html", form=form)


@bp.get("/courses/<id:course_id>")
def course(course_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    progress = []
    if permissions.can_write_post(membership):
        assignments = blog_queries.course_assignments(course.id)
        credits = participation.student_credits(assignments, current_user)
        progress = list(zip(assignments, credits, strict=True))
    return render_template(
        "courses/course.html",
        progress=progress,
        now=utcnow(),
        course=course,
        membership=membership,
        chapters=queries.chapters_of(course.id),
        member_count=queries.member_count(course.id),
    )


@bp.route("/courses/<id:course_id>/settings", methods=["GET", "POST"])
def settings(course_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    _require(permissions.can_edit_course(membership))
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        try:
            services.update_course(
                course, form.code.data, form.title.data, form.description.data, form.timezone.data
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash("Course settings saved.", "success")
            return redirect(url_for("courses.settings", course_id=course.id))
    return render_template(
        "courses/settings.html",
        course=course,
        membership=membership,
        form=form,
        join_form=EmptyForm(),
    )


@bp.post("/courses/<id:course_id>/join-code")
def regenerate_join_code(course_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    _require(permissions.can_edit_course(membership))
    if EmptyForm().validate_on_submit():
        code = services.regenerate_join_code(course)
        db.session.commit()
        flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for("courses.settings", course_id=course.id))


@bp.get("/courses/<id:course_id>/people")
def roster(course_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    total = queries.member_count(course.id)
    pages = last_page(total, ROSTER_PAGE_SIZE)
    page = requested_page(pages)
    members = queries.roster(course.id, (page - 1) * ROSTER_PAGE_SIZE, ROSTER_PAGE_SIZE)
    return render_template(
        "courses/roster.html",
        course=course,
        membership=membership,
        members=members,
        page=page,
        pages=pages,
        total=total,
        role_form=RoleForm(),
    )


@bp.post("/courses/<id:course_id>/people/<id:user_id>/role")
def change_role(course_id: int, user_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    _require(permissions.can_manage_roles(membership))
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose instructor, teaching assistant or student.", "error")
    else:
        try:
            changed = services.set_role(
                course, user_id, Role(form.role.data), current_user, utcnow()
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{changed.user.display_name} is now {changed.role.a_label}.", "success")
    return redirect(url_for("courses.roster", course_id=course.id))


@bp.post("/courses/<id:course_id>/people/<id:user_id>/remove")
def remove_member(course_id: int, user_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    _require(permissions.can_manage_roles(membership))
    if EmptyForm().validate_on_submit():
        try:
            removed = services.remove_member(course, user_id, current_user, utcnow())
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                f"{removed.display_name} is no longer in the course; what they wrote stays.",
                "success",
            )
    return redirect(url_for("courses.roster", course_id=course.id))


@bp.route("/courses/<id:course_id>/chapters/new", methods=["GET", "POST"])
def new_chapter(course_id: int):
    course, membership = queries.course_for_member(current_user, course_id)
    _require(permissions.can_edit_content(membership))
    form = NewChapterForm(data={"number": queries.next_chapter_number(course.id)})
    if form.validate_on_submit():
        try:
            chapter = services.create_chapter(
                course,
                form.number.data,
                form.title.data,
                form.summary.data or "",
                [TopicSpec(name) for name in form.topic_names()],
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"{chapter.heading} added.", "success")
            return redirect(url_for("courses.chapter", chapter_id=chapter.id))
    return render_template("courses/chapter_form.html", course=course, form=form, chapter=None)


@bp.get("/chapters/<id:chapter_id>")
def chapter(chapter_id: int):
    chapter, membership = queries.chapter_for_member(current_user, chapter_id)
    return _chapter_page(chapter, membership, TopicForm())


def _chapter_page(chapter, membership, topic_form: TopicForm) -> str:
    assignments = blog_queries.chapter_assignments(chapter.id)
    ids = [assignment.id for assignment in assignments]
    return render_template(
        "courses/chapter.html",
        chapter=chapter,
        course=chapter.course,
        membership=membership,
        topic_form=topic_form,
        assignments=assignments,
        own_posts=blog_queries.posts_by_author(ids, current_user.id),
        post_counts=blog_queries.published_counts(ids),
        topic_counts=blog_queries.topic_post_counts(chapter.id),
    )


@bp.route("/chapters/<id:chapter_id>/edit", methods=["GET", "POST"])
def edit_chapter(chapter_id: int):
    chapter, membership = queries.chapter_for_member(current_user, chapter_id)
    _require(permissions.can_edit_content(membership))
    form = ChapterForm(obj=chapter)
    if form.validate_on_submit():
        try:
            services.update_chapter(
                chapter, form.number.data, form.title.data, form.summary.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash("Chapter saved.", "success")
            return redirect(url_for("courses.chapter", chapter_id=chapter.id))
    return render_template(
        "courses/chapter_form.html", course=chapter.course, form=form, chapter=chapter,
        in_use=blog_services.chapter_in_use(chapter),
    )  # fmt: skip


@bp.post("/chapters/<id:chapter_id>/delete")
def delete_chapter(chapter_id: int):
    chapter, membership = queries.chapter_for_member(current_user, chapter_id)
    _require(permissions.can_edit_content(membership))
    course_id, heading = chapter.course_id, chapter.heading
    if _deleted(partial(blog_services.delete_chapter, chapter), f"{heading} has been deleted."):
        return redirect(url_for("courses.course", course_id=course_id))
    return redirect(url_for("courses.edit_chapter", chapter_id=chapter_id))


@bp.post("/chapters/<id:chapter_id>/topics")
def add_topic(chapter_id: int):
    chapter, membership = queries.chapter_for_member(current_user, chapter_id)
    _require(permissions.can_edit_content(membership))
    form = TopicForm()
    if form.validate_on_submit():
        try:
            topic = services.add_topic(chapter, form.name.data, form.description.data or "")
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"Topic “{topic.name}” added.", "success")
            return redirect(url_for("courses.chapter", chapter_id=chapter.id))
    return _chapter_page(chapter, membership, form), 422


@bp.route("/topics/<id:topic_id>/edit", methods=["GET", "POST"])
def edit_topic(topic_id: int):
    topic, membership = blog_queries.topic_for_member(current_user, topic_id)
    _require(permissions.can_edit_content(membership))
    form = TopicForm(obj=topic)
    if form.validate_on_submit():
        try:
            services.update_topic(topic, form.name.data, form.description.data or "")
        except DomainError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"Topic “{topic.name}” saved.", "success")
            return redirect(url_for("blogs.topic", topic_id=topic.id))
    return render_template(
        "courses/topic_form.html", topic=topic, chapter=topic.chapter,
        course=topic.chapter.course, form=form, in_use=blog_services.topic_in_use(topic),
    )  # fmt: skip


@bp.post("/topics/<id:topic_id>/delete")
def delete_topic(topic_id: int):
    topic, membership = blog_queries.topic_for_member(current_user, topic_id)
    _require(permissions.can_edit_content(membership))
    chapter_id, deleted = topic.chapter_id, f"The topic “{topic.name}” has been deleted."
    if _deleted(partial(blog_services.delete_topic, topic), deleted):
        return redirect(url_for("courses.chapter", chapter_id=chapter_id))
    return redirect(url_for("courses.edit_topic", topic_id=topic_id))


@bp.route("/chapters/<id:chapter_id>/videos/new", methods=["GET", "POST"])
def new_video(chapter_id: int):
    chapter, membership = queries.chapter_for_member(current_user, chapter_id)
    _require(permissions.can_edit_content(membership))
    form = VideoForm()
    if video := _save_video(form, chapter, partial(services.create_video, chapter)):
        flash(f"“{video.title}” added.", "success")
        return redirect(url_for("courses.video", video_id=video.id))
    return render_template(
        "courses/video_form.html", chapter=chapter, course=chapter.course, form=form, video=None
    )


@bp.route("/videos/<id:video_id>/edit", methods=["GET", "POST"])
def edit_video(video_id: int):
    video, membership = queries.video_for_member(current_user, video_id)
    _require(permissions.can_edit_content(membership))
    chapter = video.chapter
    form = VideoForm(data=VideoForm.data_of(video) if request.method == "GET" else None)
    cited_until = blog_queries.last_cited_moment(video.id) if request.method == "POST" else None
    if _save_video(form, chapter, partial(services.update_video, video, cited_until=cited_until)):
        flash(f"“{video.title}” saved.", "success")
        return redirect(url_for("courses.video", video_id=video.id))
    return render_template(
        "courses/video_form.html", chapter=chapter, course=chapter.course, form=form, video=video,
        in_use=blog_services.video_in_use(video),
    )  # fmt: skip


@bp.post("/videos/<id:video_id>/delete")
def delete_video(video_id: int):
    video, membership = queries.video_for_member(current_user, video_id)
    _require(permissions.can_edit_content(membership))
    chapter_id, deleted = video.chapter_id, f"The video “{video.title}” has been deleted."
    if _deleted(partial(blog_services.delete_video, video), deleted):
        return redirect(url_for("courses.chapter", chapter_id=chapter_id))
    return redirect(url_for("courses.edit_video", video_id=video_id))


def _save_video(form: VideoForm, chapter, save) -> LectureVideo | None:
    """A submitted, valid form's video handed to `save` (create_video or update_video,
    bound to what they work on) and committed; None, with why on the form, otherwise."""
    if not form.validate_on_submit():
        return None
    topics = {topic.name.casefold(): topic.id for topic in chapter.topics}
    try:
        video = save(
            form.title.data, form.url.data, form.duration_seconds(), form.segment_specs(topics)
        )
    except ValidationError as error:
        form.segments.errors = [str(error)]
    except DomainError as error:
        db.session.rollback()
        add_error(form, error)
    else:
        db.session.commit()
        return video
    return None


@bp.get("/videos/<id:video_id>")
def video(video_id: int):
    video, membership = queries.video_for_member(current_user, video_id)
    start = max(request.args.get("t", 0, type=int), 0)
    # No count: it would read every citation of a much-cited video on every visit.
    page = requested_page()
    shown = blog_queries.video_citations(
        membership, video.id, (page - 1) * CITATIONS_PER_PAGE, CITATIONS_PER_PAGE + 1
    )
    return render_template(
        "courses/video.html", video=video, chapter=video.chapter, course=video.chapter.course,
        membership=membership, source=video_source(video.url), start=start,
        citations=shown[:CITATIONS_PER_PAGE], page=page, more=len(shown) > CITATIONS_PER_PAGE,
    )  # fmt: skip
