"""Tests that drive a real Chromium through Playwright against a live CourseHub server."""
