"""`flask --app coursehub render-all` rebuilds stored HTML after a rendering change."""

from sqlalchemy import select

from coursehub.blogs.models import Comment, Post, VideoCitation
from coursehub.extensions import db
from tests import factories


def test_render_all_rebuilds_html_word_counts_and_citations(app, chapter, video, student, ta):
    assignment = factories.assignment(chapter)
    post = factories.post(student, assignment, body=f"Two words [[video:{video.id}@2:05]]")
    comment = factories.comment(ta, post, "Four words right here")
    # As if stored by an older, looser pipeline.
    db.session.execute(db.update(Post).values(body_html="<script>old</script>", word_count=99))
    db.session.execute(db.update(Comment).values(body_html="<b onclick=x()>old</b>"))
    db.session.execute(db.delete(VideoCitation))
    db.session.commit()
    updated_at = db.session.get(Post, post.id).updated_at

    result = app.test_cli_runner().invoke(args=["render-all"])

    assert result.exit_code == 0 and "Re-rendered 3 texts." in result.output
    db.session.expire_all()
    post, comment = db.session.get(Post, post.id), db.session.get(Comment, comment.id)
    assert "<script" not in post.body_html and "Two words" in post.body_html
    assert post.word_count == 2 and post.updated_at == updated_at
    assert comment.body_html == "<p>Four words right here</p>"
    cited = db.session.execute(select(VideoCitation.video_id, VideoCitation.seconds)).all()
    assert cited == [(video.id, 125)]
