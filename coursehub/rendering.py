"""Turning what users type into safe HTML: lecture video embeds."""

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class VideoSource:
    """Where a lecture video plays: a privacy-enhanced iframe, or an HTML5 <video>."""

    kind: Literal["youtube", "vimeo", "file"]
    embed_url: str

    def at(self, seconds: int) -> str:
        """The embed URL that starts playing at `seconds`."""
        if seconds <= 0:
            return self.embed_url
        if self.kind == "youtube":
            return f"{self.embed_url}?start={seconds}"
        if self.kind == "vimeo":
            return f"{self.embed_url}#t={seconds}s"
        return f"{self.embed_url}#t={seconds}"


def video_source(url: str) -> VideoSource:
    """Classify a lecture video URL. Raises ValueError when it is not a usable https URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise ValueError("That is not a valid URL.") from None
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("Use an https:// link to the video.")
    host = parts.hostname.lower()
    path = parts.path.rstrip("/")
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        if host == "youtu.be":
            video_id = path.lstrip("/")
        elif path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        else:
            video_id = re.sub(r"^/(embed|shorts|live|v)/", "", path)
        if not _YOUTUBE_ID.match(video_id):
            raise ValueError("That YouTube link does not name a video.")
        return VideoSource("youtube", f"https://www.youtube-nocookie.com/embed/{video_id}")
    if host in _VIMEO_HOSTS:
        match = re.match(r"^(?:/video)?/(\d+)$", path)
        if not match:
            raise ValueError("That Vimeo link does not name a video.")
        return VideoSource("vimeo", f"https://player.vimeo.com/video/{match[1]}?dnt=1")
    return VideoSource("file", parts.geturl())
