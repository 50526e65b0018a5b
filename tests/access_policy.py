"""Who may call what: the expected answer of every route and method, per role, as data.

tests/test_access_matrix.py checks each entry against the running app, and fails for a
route that has no entry here (and for an entry whose route is gone). The rules are
DESIGN.md's "Who uses it" table and API.md's codes:

- ok:        the request is carried out (200, 201, 204, or a redirect that is not sign-in)
- login:     anonymous: pages redirect to the sign-in form with `next`, the API answers 401
- forbidden: a member without the right role (403)
- not_found: not a member of the course (404), so a course's existence does not leak

The roles, in the one course the matrix builds:

- anonymous:     nobody signed in, no API token
- outsider:      signed in, enrolled nowhere
- student:       the author of the objects in the URL (the post, the comment, the override)
- other_student: a classmate who wrote none of them (has a draft and a comment of their own)
- ta, instructor
- admin:         a site administrator not enrolled in the course; admins manage users and
                 LTI platforms, not courses, so a course is as closed to them as to anyone

A second course none of these roles is in supplies "foreign" ids: any URL with another
course's ids answers login to anonymous and not_found to every role here (FOREIGN).
"""

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "forbidden", "not_found"
ROLES = ("anonymous", "outsider", "student", "other_student", "ta", "instructor", "admin")


def course_url(*, instructor: str, ta: str, student: str, other_student: str) -> dict[str, str]:
    """A URL inside the course: anonymous signs in; outsiders and the admin get 404."""
    return {
        "anonymous": LOGIN,
        "outsider": NOT_FOUND,
        "student": student,
        "other_student": other_student,
        "ta": ta,
        "instructor": instructor,
        "admin": NOT_FOUND,
    }


def everyone(anonymous: str = OK) -> dict[str, str]:
    return {role: OK for role in ROLES} | {"anonymous": anonymous}


ANYONE = everyone()
SIGNED_IN = everyone(anonymous=LOGIN)
MEMBERS = course_url(instructor=OK, ta=OK, student=OK, other_student=OK)
STAFF = course_url(instructor=OK, ta=OK, student=FORBIDDEN, other_student=FORBIDDEN)
INSTRUCTORS = course_url(instructor=OK, ta=FORBIDDEN, student=FORBIDDEN, other_student=FORBIDDEN)
STUDENTS = course_url(instructor=FORBIDDEN, ta=FORBIDDEN, student=OK, other_student=OK)
# Only the author edits a post or a comment; staff moderate by deleting, never by editing.
AUTHOR = course_url(instructor=FORBIDDEN, ta=FORBIDDEN, student=OK, other_student=FORBIDDEN)
AUTHOR_OR_STAFF = course_url(instructor=OK, ta=OK, student=OK, other_student=FORBIDDEN)
# Every id in the URL belongs to a course none of the roles is in.
FOREIGN = course_url(instructor=NOT_FOUND, ta=NOT_FOUND, student=NOT_FOUND, other_student=NOT_FOUND)

# (endpoint, method) -> role -> expected outcome. Ids in the URLs: the course, its chapter
# and first topic, the video, the assignment, the student's published post, the student's
# reply on it (comment_id), the student's uploaded image, and the student (user_id and
# student_id, who has an override).
POLICY: dict[tuple[str, str], dict[str, str]] = {
    # --- accounts (pages) ---
    ("accounts.login", "GET"): ANYONE,  # signed in: redirected home
    ("accounts.login", "POST"): ANYONE,
    ("accounts.logout", "POST"): ANYONE,  # anonymous: a harmless redirect to sign-in
    ("accounts.register", "GET"): ANYONE,  # signed in: redirected home
    ("accounts.register", "POST"): ANYONE,
    ("accounts.change_password", "GET"): SIGNED_IN,
    ("accounts.change_password", "POST"): SIGNED_IN,
    # --- courses (pages) ---
    ("courses.index", "GET"): SIGNED_IN,
    ("courses.new_course", "GET"): SIGNED_IN,  # COURSE_CREATION = "anyone", the default
    ("courses.new_course", "POST"): SIGNED_IN,
    ("courses.join", "GET"): SIGNED_IN,
    ("courses.join", "POST"): SIGNED_IN,  # with the second course's code
    ("courses.course", "GET"): MEMBERS,
    ("courses.settings", "GET"): INSTRUCTORS,
    ("courses.settings", "POST"): INSTRUCTORS,
    ("courses.regenerate_join_code", "POST"): INSTRUCTORS,
    ("courses.roster", "GET"): MEMBERS,
    ("courses.change_role", "POST"): INSTRUCTORS,
    ("courses.remove_member", "POST"): INSTRUCTORS,
    ("courses.new_chapter", "GET"): STAFF,
    ("courses.new_chapter", "POST"): STAFF,
    ("courses.chapter", "GET"): MEMBERS,
    ("courses.edit_chapter", "GET"): STAFF,
    ("courses.edit_chapter", "POST"): STAFF,
    ("courses.delete_chapter", "POST"): STAFF,
    ("courses.add_topic", "POST"): STAFF,
    ("courses.edit_topic", "GET"): STAFF,
    ("courses.edit_topic", "POST"): STAFF,
    ("courses.delete_topic", "POST"): STAFF,
    ("courses.new_video", "GET"): STAFF,
    ("courses.new_video", "POST"): STAFF,
    ("courses.edit_video", "GET"): STAFF,
    ("courses.edit_video", "POST"): STAFF,
    ("courses.delete_video", "POST"): STAFF,
    ("courses.video", "GET"): MEMBERS,
    # --- blogs (pages) ---
    ("blogs.new_assignment", "GET"): STAFF,
    ("blogs.new_assignment", "POST"): STAFF,
    ("blogs.assignment", "GET"): MEMBERS,
    ("blogs.edit_assignment", "GET"): STAFF,
    ("blogs.edit_assignment", "POST"): STAFF,
    ("blogs.delete_assignment", "POST"): STAFF,
    ("blogs.write", "GET"): STUDENTS,  # staff read, comment and grade; they do not write posts
    ("blogs.write", "POST"): STUDENTS,
    ("blogs.preview", "POST"): MEMBERS,
    ("blogs.upload", "POST"): MEMBERS,  # images for posts and comments
    ("blogs.uploaded", "GET"): MEMBERS,
    ("blogs.post", "GET"): MEMBERS,
    ("blogs.add_comment", "POST"): MEMBERS,  # the author may answer on their own post
    ("blogs.delete_post", "POST"): AUTHOR_OR_STAFF,
    ("blogs.post_revisions", "GET"): AUTHOR_OR_STAFF,
    ("blogs.edit_comment", "GET"): AUTHOR,
    ("blogs.edit_comment", "POST"): AUTHOR,
    ("blogs.delete_comment", "POST"): AUTHOR_OR_STAFF,
    ("blogs.topic", "GET"): MEMBERS,
    ("blogs.notifications", "GET"): SIGNED_IN,  # one's own
    ("blogs.mark_read", "POST"): SIGNED_IN,
    # --- participation and audit (pages) ---
    ("participation.assignment_table", "GET"): STAFF,
    ("participation.grade", "GET"): STAFF,
    ("participation.grade", "POST"): STAFF,
    ("participation.clear_override", "POST"): STAFF,
    ("participation.gradebook", "GET"): STAFF,
    ("participation.gradebook_csv", "GET"): STAFF,
    ("audit.log", "GET"): STAFF,
    # --- health checks, for a load balancer: no session, no token ---
    ("health.healthz", "GET"): ANYONE,
    ("health.readyz", "GET"): ANYONE,
    # --- API: accounts ---
    ("api.openapi", "GET"): ANYONE,
    ("api.register", "POST"): ANYONE,  # self-registration is on by default
    ("api.create_token", "POST"): ANYONE,  # anonymous: with the student's password
    ("api.revoke_token", "DELETE"): SIGNED_IN,
    ("api.me", "GET"): SIGNED_IN,
    # --- API: courses ---
    ("api.create_course", "POST"): SIGNED_IN,
    ("api.list_courses", "GET"): SIGNED_IN,  # one's own courses
    ("api.join_course", "POST"): SIGNED_IN,  # with the second course's code
    ("api.get_course", "GET"): MEMBERS,
    ("api.update_course", "PATCH"): INSTRUCTORS,
    ("api.regenerate_join_code", "POST"): INSTRUCTORS,
    ("api.list_members", "GET"): MEMBERS,
    ("api.set_role", "PUT"): INSTRUCTORS,
    ("api.create_chapter", "POST"): STAFF,
    ("api.list_chapters", "GET"): MEMBERS,
    ("api.get_chapter", "GET"): MEMBERS,
    ("api.update_chapter", "PATCH"): STAFF,
    ("api.add_topic", "POST"): STAFF,
    ("api.create_video", "POST"): STAFF,
    ("api.list_videos", "GET"): MEMBERS,
    ("api.get_video", "GET"): MEMBERS,
    # --- API: blogs ---
    ("api.create_assignment", "POST"): STAFF,
    ("api.list_assignments", "GET"): MEMBERS,
    ("api.get_assignment", "GET"): MEMBERS,
    ("api.update_assignment", "PATCH"): STAFF,
    ("api.create_post", "POST"): STUDENTS,  # on an assignment neither student has posted to
    ("api.list_posts", "GET"): MEMBERS,
    ("api.get_post", "GET"): MEMBERS,
    ("api.update_post", "PATCH"): AUTHOR,
    ("api.delete_post", "DELETE"): AUTHOR_OR_STAFF,
    ("api.list_revisions", "GET"): AUTHOR_OR_STAFF,
    ("api.create_comment", "POST"): MEMBERS,
    ("api.list_comments", "GET"): MEMBERS,
    ("api.get_comment", "GET"): MEMBERS,
    ("api.update_comment", "PATCH"): AUTHOR,
    ("api.delete_comment", "DELETE"): AUTHOR_OR_STAFF,
    ("api.list_notifications", "GET"): SIGNED_IN,  # one's own
    ("api.mark_notifications_read", "POST"): SIGNED_IN,
    # --- API: participation ---
    ("api.list_participation", "GET"): MEMBERS,  # a student gets their own row only
    ("api.set_override", "PUT"): STAFF,
    ("api.clear_override", "DELETE"): STAFF,
    ("api.gradebook_csv", "GET"): STAFF,
}

# Cases that disagree with POLICY today, each an open bug: the test marks them xfail
# (strict, so a fix makes it pass and this entry must go). Key: (endpoint, method, role),
# role "foreign" for the another-course's-ids check of that route.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}
