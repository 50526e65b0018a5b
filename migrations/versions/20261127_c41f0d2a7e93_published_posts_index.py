"""Published posts index: an assignment's published posts in reading order, so a page of the post list reads only the rows it shows.

Revision ID: c41f0d2a7e93
Revises: b6e64fa3c005
Create Date: 2026-11-27 17:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41f0d2a7e93'
down_revision = 'b6e64fa3c005'
branch_labels = None
depends_on = None

VISIBLE = "status = 'published' AND deleted_at IS NULL"


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_published', ['assignment_id', 'published_at', 'id'], unique=False, sqlite_where=sa.text(VISIBLE), postgresql_where=sa.text(VISIBLE))


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_published', sqlite_where=sa.text(VISIBLE), postgresql_where=sa.text(VISIBLE))
