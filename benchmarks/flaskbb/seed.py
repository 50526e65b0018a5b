"""Seed the FlaskBB reference forum through FlaskBB's own models, then render it once.

    FLASKBB_VENV/bin/python benchmarks/flaskbb/seed.py DATA_DIR

DATA_DIR holds the flaskbb.cfg of an installed FlaskBB (setup.sh does both). The forum
gets a few students and one topic: a ~400-word Markdown first post and exactly 100 replies
of ~60 words, all on one page. Writes DATA_DIR/topic.json for the benchmark and keeps the
seeded database as DATA_DIR/flaskbb.sqlite.orig (every GET of a topic bumps its views).
"""

import argparse
import json
import random
import re
import shutil
from itertools import pairwise
from pathlib import Path

from flaskbb import create_app
from flaskbb.extensions import db
from flaskbb.forum.models import Category, Forum, Post, Topic
from flaskbb.management.models import Setting
from flaskbb.utils.populate import create_user

REPLIES = 100
FIRST_POST_WORDS = 400
REPLY_WORDS = 60
STUDENTS = 8
STUDENT_PASSWORD = "bench-only-student-pass"
SEED = 2026

_SENTENCES = [
    "The hippocampus binds the pieces of an episode into one memory.",
    "Motor cortex plans a reach before the arm starts to move.",
    "Dopamine neurons fire when a reward is better than expected.",
    "The retina already compresses the image before it leaves the eye.",
    "Sleep seems to replay the day's patterns and make them stick.",
    "Patients with amygdala damage struggle to read fear in faces.",
    "Myelin lets a signal jump between nodes instead of crawling along.",
    "The basal ganglia help pick one action out of many competing ones.",
    "Attention boosts the response of cells tuned to the attended feature.",
    "Plasticity is strongest early in life but never switches off entirely.",
    "I had not expected that.",
    "Reading the case study again, I noticed how carefully the authors ruled out the simpler "
    "explanations before they made their claim.",
]


def word_count(markdown: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", markdown))


def sentences(rng: random.Random, words: int) -> list[str]:
    """Random whole sentences whose total word count is the nearest to `words`."""
    picked: list[str] = []
    count = 0
    while True:
        sentence = rng.choice(_SENTENCES)
        if abs(count + word_count(sentence) - words) >= abs(count - words):
            return picked
        picked.append(sentence)
        count += word_count(sentence)


def paragraphs(picked: list[str], number: int) -> list[str]:
    """Split sentences into `number` paragraphs of nearly equal length."""
    size, extra = divmod(len(picked), number)
    cuts = [n * size + min(n, extra) for n in range(number + 1)]
    return [" ".join(picked[a:b]) for a, b in pairwise(cuts)]


def first_post(rng: random.Random) -> str:
    """~400 words of Markdown: a heading, emphasis, a list and seven paragraphs."""
    heading = "## What this week's readings add up to"
    bullets = "\n".join(
        [
            "- **Structure:** where each region sits and what it connects to",
            "- **Function:** what goes wrong when that region is damaged",
            "- *Method:* which kind of study tells us each of these",
        ]
    )
    aside = " *That surprised me most.*"
    words = FIRST_POST_WORDS - sum(map(word_count, (heading, bullets, aside)))
    body = paragraphs(sentences(rng, words), 7)
    body[0] += aside
    return "\n\n".join([heading, body[0], body[1], bullets, *body[2:]])


def reply(rng: random.Random) -> str:
    return "\n\n".join(paragraphs(sentences(rng, REPLY_WORDS), 2))


def seed(rng: random.Random) -> tuple[int, str, list[str]]:
    """Create the students, forum and topic; return (topic id, first post, replies)."""
    Setting.update({"posts_per_page": 1000, "topics_per_page": 1000})
    students = [
        create_user(f"student{n}", STUDENT_PASSWORD, f"student{n}@example.org", "member")
        for n in range(1, STUDENTS + 1)
    ]
    category = Category(title="BENCH 100", description="Benchmark course")
    category.save()
    forum = Forum(title="Week 3 blog", description="Posts and replies", category_id=category.id)
    forum.save()

    opening = first_post(rng)
    topic = Topic(title="Notes on week three")
    topic.save(user=students[0], forum=forum, post=Post(content=opening))
    replies = [reply(rng) for _ in range(REPLIES)]
    for n, content in enumerate(replies):
        Post(content=content).save(user=students[(n + 1) % STUDENTS], topic=topic)
    return topic.id, opening, replies


def close_database(app) -> None:
    """Release every connection so the SQLite file is complete on disk."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    data_dir = parser.parse_args().data_dir.resolve()

    app = create_app(str(data_dir / "flaskbb.cfg"))
    with app.app_context():
        topic_id, opening, replies = seed(random.Random(SEED))
    close_database(app)
    shutil.copyfile(data_dir / "flaskbb.sqlite", data_dir / "flaskbb.sqlite.orig")

    # An anonymous request, outside any app context, as the benchmark will make it.
    path = f"/topic/{topic_id}"
    response = app.test_client().get(path)
    close_database(app)
    html = response.get_data(as_text=True)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    shown = html.count('class="post-content"')
    if shown != REPLIES + 1:
        raise SystemExit(f"GET {path} shows {shown} posts, expected {REPLIES + 1}")

    summary = {
        "path": path,
        "replies": REPLIES,
        "html_bytes": len(response.data),
        "reply_words": round(sum(map(word_count, replies)) / len(replies), 1),
        "first_post_words": word_count(opening),
    }
    (data_dir / "topic.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"[flaskbb] seeded {path}: {json.dumps(summary)}")


if __name__ == "__main__":
    main()
