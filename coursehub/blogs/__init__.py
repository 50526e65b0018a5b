"""Blogs: assignments, student posts, threaded comments and notifications."""
