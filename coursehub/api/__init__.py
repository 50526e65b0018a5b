"""The JSON API, version 1 (see shared/API.md)."""

from coursehub.api import (  # noqa: F401  (they add the routes)
    openapi,
    views_accounts,
    views_blogs,
    views_courses,
    views_participation,
)
from coursehub.api.routing import bp

__all__ = ["bp"]
