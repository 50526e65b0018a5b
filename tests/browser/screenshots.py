"""Screenshots of the main pages, taken by the browser tests; the README shows a few."""

# The accessibility tests save every page they check, at desktop and phone widths,
# under build/screenshots/ (ignored by git; COURSEHUB_SCREENSHOTS puts them elsewhere).
# `.venv/bin/python -m tests.browser.screenshots` then copies the ones the README shows
# into docs/screenshots/, cut to a readable height and reduced to a palette of colours.

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
DOCS = ROOT / "docs" / "screenshots"

# The README's pictures: (screenshot name, caption, height in CSS pixels to cut at).
README_SHOTS = [
    ("post-desktop", "A student's post with its footnotes, and the threaded discussion.", 1650),
    ("editor-desktop", "Writing a post: the live preview, the word count, image upload.", 1250),
    ("grading-desktop", "Grading one student: the post beside the rule checks, an override.", 1350),
    ("gradebook-desktop", "The gradebook, its Canvas and Moodle exports and its charts.", None),
    ("course-phone", "A course on a phone, with what is left to do in each assignment.", 1150),
]


def folder() -> Path:
    """Where the tests write screenshots: COURSEHUB_SCREENSHOTS or build/screenshots."""
    configured = os.environ.get("COURSEHUB_SCREENSHOTS")
    return Path(configured) if configured else ROOT / "build" / "screenshots"


def capture(page, name: str) -> Path:
    """A full-page PNG of `page` as `name`.png, once its fonts are ready."""
    page.evaluate("document.fonts.ready.then(() => true)")
    target = folder() / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
    return target


def publish(source: Path | None = None, target: Path = DOCS) -> list[Path]:
    """Copy the README's screenshots from `source` into `target`, small enough to commit."""
    from PIL import Image

    source = source or folder()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, _, height in README_SHOTS:
        with Image.open(source / f"{name}.png") as shot:
            image = shot.convert("RGB")
        scale = image.width / (PHONE if name.endswith("-phone") else DESKTOP)["width"]
        if height is not None and image.height > height * scale:
            image = image.crop((0, 0, image.width, round(height * scale)))
        path = target / f"{name}.png"
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            path, optimize=True
        )
        written.append(path)
    return written


if __name__ == "__main__":
    for path, (_, caption, _) in zip(
        publish(Path(sys.argv[1]) if len(sys.argv) > 1 else None), README_SHOTS, strict=True
    ):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")
        print(f"    ![{caption}]({path.relative_to(ROOT)})")
