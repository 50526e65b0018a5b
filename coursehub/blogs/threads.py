"""The discussion under a post, rendered once per change and shared by every reader.

A hundred comments cost far more to render than the rest of the page, and their HTML is
the same for every reader but for the Edit and Delete controls the reader may use and
the reply box of the no-script reply link. The cached HTML leaves a hole for each of
those (see templates/_macros/comments.html), which `for_reader` fills per request.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache as once

from flask import current_app, get_template_attribute
from markupsafe import Markup

from coursehub import permissions
from coursehub.blogs import queries
from coursehub.blogs.forms import CommentForm
from coursehub.blogs.models import Post
from coursehub.courses.models import Membership
from coursehub.extensions import cache

log = logging.getLogger(__name__)

_HOLE = re.compile(r"<!--(controls|reply):(\d+)-->")
_MACROS = "_macros/comments.html"
_FORMAT = 4  # bump when RenderedThread changes shape: entries of the old shape lapse
_LARGEST = 256 * 1024  # a thread bigger than this is rendered each time, never kept


@dataclass(frozen=True)
class CommentRef:
    """What the policy needs to decide on a comment's Edit and Delete controls."""

    id: int
    author_id: int
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class RenderedThread:
    """The thread's HTML as it was at the post's thread version `version`, without its
    holes. Ints and strings only: every request unpickles it, and objects cost (a
    hundred comments' refs took half of the 140 µs)."""

    version: int
    html: str
    controls_at: dict[int, int]  # comment id -> offset in `html` of its controls' hole
    reply_at: dict[int, int]  # comment id -> offset of its reply box's hole
    live_by_author: dict[int, tuple[int, ...]]  # author id -> ids of their live comments

    @property
    def live_count(self) -> int:
        return sum(map(len, self.live_by_author.values()))


def rendered_thread(post: Post, timezone: str, can_comment: bool) -> RenderedThread:
    """The post's thread as HTML with holes, from the cache when it is current.

    One entry per post and variant (time zone, Reply links or not), replaced when the
    thread changes: an entry of another thread version is a miss. Comment authors' names
    are in the HTML too; they never change once an account exists.
    """
    key = f"thread:{_template_digest()}:{post.id}:{timezone}:{int(can_comment)}"
    # The cache only saves work: whatever goes wrong with it (Redis down, a timeout)
    # costs speed, never the page.
    try:
        cached = cache.get(key)
    except Exception as error:
        log.warning("thread cache unavailable: %s", error)
        return _render(post, timezone, can_comment)
    if isinstance(cached, RenderedThread) and cached.version == post.thread_version:
        return cached
    thread = _render(post, timezone, can_comment)
    if len(thread.html) <= _LARGEST:
        try:
            cache.set(key, thread)
        except Exception as error:
            log.warning("thread cache unavailable: %s", error)
    return thread


@once
def _template_digest() -> str:
    """Names the macros' source and the entry shape: after a deploy that changes either,
    no process reads what an older release cached."""
    env = current_app.jinja_env
    source = env.loader.get_source(env, _MACROS)[0]
    return hashlib.sha256(f"{_FORMAT}:{source}".encode()).hexdigest()[:12]


def _render(post: Post, timezone: str, can_comment: bool) -> RenderedThread:
    nodes = queries.comment_thread(post.id)
    macro = get_template_attribute(_MACROS, "thread")
    pieces = _HOLE.split(str(macro(nodes, post, can_comment, timezone))) if nodes else [""]
    by_author: dict[int, list[int]] = {}
    pending = list(nodes)
    while pending:
        node = pending.pop()
        pending.extend(node.replies)
        if not node.comment.is_deleted:
            by_author.setdefault(node.comment.author_id, []).append(node.comment.id)
    holes = {"controls": {}, "reply": {}}
    offset = 0
    for text, kind, comment_id in zip(pieces[::3], pieces[1::3], pieces[2::3], strict=False):
        offset += len(text)
        holes[kind][int(comment_id)] = offset
    return RenderedThread(
        post.thread_version, "".join(pieces[::3]), holes["controls"], holes["reply"],
        {author: tuple(ids) for author, ids in by_author.items()},
    )  # fmt: skip


def for_reader(
    thread: RenderedThread,
    post: Post,
    membership: Membership,
    reply_to: int | None,
    refused: CommentForm | None = None,
) -> Markup:
    """The thread's HTML with this reader's controls, and the reply box they asked for
    (holding `refused`, a reply that was not taken, with its text)."""
    controls = get_template_attribute(_MACROS, "controls")
    if permissions.can_moderate_comments(membership):
        candidates = [
            CommentRef(comment_id, author_id)
            for author_id, ids in thread.live_by_author.items()
            for comment_id in ids
        ]
    else:  # a hundred comments, of which a reader wrote a few: ask about those only
        own = thread.live_by_author.get(membership.user_id, ()) if membership else ()
        candidates = [CommentRef(comment_id, membership.user_id) for comment_id in own]
    cuts = [
        (thread.controls_at[ref.id], controls(ref, membership))
        for ref in candidates
        if ref.id in thread.controls_at
        and (
            permissions.can_edit_comment(membership, ref)
            or permissions.can_delete_comment(membership, ref)
        )
    ]
    if reply_to in thread.reply_at:
        box = get_template_attribute(_MACROS, "comment_box")(post, reply_to, refused)
        cuts.append((thread.reply_at[reply_to], box))
    # A few fills among hundreds of holes: cut the HTML only where they go.
    cuts.sort(key=lambda cut: cut[0])
    pieces, last = [], 0
    for offset, html in cuts:
        pieces += (thread.html[last:offset], html)
        last = offset
    pieces.append(thread.html[last:])
    return Markup("".join(pieces))
