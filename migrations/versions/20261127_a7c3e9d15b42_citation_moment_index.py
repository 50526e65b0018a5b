"""Citation moment index: a video's citations by moment, so a page of them reads only the rows it shows; it replaces the index on video_id alone.

Revision ID: a7c3e9d15b42
Revises: e5a9b1c7d204
Create Date: 2026-11-27 22:55:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9d15b42'
down_revision = 'e5a9b1c7d204'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('video_citations', schema=None) as batch_op:
        batch_op.create_index('ix_video_citations_moment', ['video_id', 'seconds', 'id'], unique=False)
        batch_op.drop_index('ix_video_citations_video_id')


def downgrade():
    with op.batch_alter_table('video_citations', schema=None) as batch_op:
        batch_op.create_index('ix_video_citations_video_id', ['video_id'], unique=False)
        batch_op.drop_index('ix_video_citations_moment')
