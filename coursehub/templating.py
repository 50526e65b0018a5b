"""Jinja filters shared by every page."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape


def format_timestamp(seconds: int) -> str:
    """125 -> "2:05", 3725 -> "1:02:05", as video players show time."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_when(value: datetime | None, timezone: str = "UTC") -> Markup:
    """A <time> in the course's zone; static/local-time.js rewrites it in the viewer's."""
    if value is None:
        return Markup("")
    local = value.astimezone(ZoneInfo(timezone))
    text = f"{local:%a %-d %b %Y, %H:%M} {local.tzname()}"
    return Markup('<time datetime="{}" class="local-time">{}</time>').format(
        value.isoformat(), escape(text)
    )


def register(app: Flask) -> None:
    app.add_template_filter(format_timestamp, "timestamp")
    app.add_template_filter(format_when, "when")
