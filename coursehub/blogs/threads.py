"""The discussion under a post, rendered once per change and shared by every reader.

A hundred comments cost far more to render than the rest of the page, and their HTML is
the same for every reader but for the Edit and Delete controls the reader may use and
the reply box of the no-script reply link. The cached HTML leaves a hole for each of
those (see templates/_macros/comments.html), which `for_reader` fills per request.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from flask import get_template_attribute
from markupsafe import Markup

from coursehub import permissions
from coursehub.blogs import queries
from coursehub.blogs.models import Post
from coursehub.courses.models import Membership
from coursehub.extensions import cache

log = logging.getLogger(__name__)

_HOLE = re.compile(r"<!--(controls|reply):(\d+)-->")
_MACROS = "_macros/comments.html"


@dataclass(frozen=True)
class CommentRef:
    """What the policy needs to decide on a comment's Edit and Delete controls."""

    id: int
    author_id: int
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class RenderedThread:
    """The thread's HTML cut at its holes: text, hole, text, ..., text."""

    parts: tuple[str, ...]
    holes: tuple[tuple[str, int], ...]
    live: tuple[CommentRef, ...]

    @property
    def live_count(self) -> int:
        return len(self.live)


def rendered_thread(post: Post, timezone: str, can_comment: bool) -> RenderedThread:
    """The post's thread as HTML with holes, from the cache when the thread is unchanged.

    The key holds everything the HTML depends on: the post's thread version (bumped by
    every change to its comments), the course's time zone and whether Reply links show.
    """
    key = f"thread:{post.id}:{post.thread_version}:{timezone}:{int(can_comment)}"
    # The cache only saves work: whatever goes wrong with it (Redis down, a timeout)
    # costs speed, never the page.
    try:
        thread = cache.get(key)
    except Exception as error:
        log.warning("thread cache unavailable: %s", error)
        return _render(post, timezone, can_comment)
    if thread is None:
        thread = _render(post, timezone, can_comment)
        try:
            cache.set(key, thread)
        except Exception as error:
            log.warning("thread cache unavailable: %s", error)
    return thread


def _render(post: Post, timezone: str, can_comment: bool) -> RenderedThread:
    nodes = queries.comment_thread(post.id)
    macro = get_template_attribute(_MACROS, "thread")
    pieces = _HOLE.split(str(macro(nodes, post, can_comment, timezone))) if nodes else [""]
    live, pending = [], list(nodes)
    while pending:
        node = pending.pop()
        pending.extend(node.replies)
        if not node.comment.is_deleted:
            live.append(CommentRef(node.comment.id, node.comment.author_id))
    holes = tuple(zip(pieces[1::3], map(int, pieces[2::3]), strict=True))
    return RenderedThread(tuple(pieces[::3]), holes, tuple(live))


def for_reader(
    thread: RenderedThread, post: Post, membership: Membership, reply_to: int | None
) -> Markup:
    """The thread's HTML with this reader's controls, and the reply box they asked for."""
    controls = get_template_attribute(_MACROS, "controls")
    # Only moderators act on others' comments: anyone else needs looking at their own only.
    if permissions.can_moderate_comments(membership):
        candidates = thread.live
    else:
        candidates = tuple(ref for ref in thread.live if ref.author_id == membership.user_id)
    fills = {
        ("controls", ref.id): controls(ref, membership)
        for ref in candidates
        if permissions.can_edit_comment(membership, ref)
        or permissions.can_delete_comment(membership, ref)
    }
    if reply_to is not None:
        fills["reply", reply_to] = get_template_attribute(_MACROS, "comment_box")(post, reply_to)
    if not fills:
        return Markup("".join(thread.parts))
    filled = [thread.parts[0]]
    for hole, text in zip(thread.holes, thread.parts[1:], strict=True):
        filled += (fills.get(hole, ""), text)
    return Markup("".join(filled))
