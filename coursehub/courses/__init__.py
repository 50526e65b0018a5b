"""Courses: membership, chapters, topics and lecture videos."""
