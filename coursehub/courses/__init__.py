"""Courses: membership, chapters, topics and lecture videos."""

from coursehub.courses.views import bp

__all__ = ["bp"]
