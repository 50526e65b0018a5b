"""Page numbers of the site's paged lists."""

from flask import request

PAGE_MAX = 1_000_000  # far past any list; keeps the offset a sane number


def last_page(total: int, size: int) -> int:
    return max(1, -(-total // size))


def requested_page(last: int = PAGE_MAX) -> int:
    """?page= as a page of the list: 1 unless it is a whole number from 1, the last page
    for one beyond it."""
    return min(max(request.args.get("page", 1, type=int), 1), last)
