"""Jinja filters shared by every page."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

from coursehub.rendering import format_timestamp


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
