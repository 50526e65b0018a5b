"""The JSON API, version 1 (see shared/API.md)."""

from coursehub.api import openapi, views_accounts, views_courses  # noqa: F401  (they add the routes)
from coursehub.api.routing import bp

__all__ = ["bp"]
