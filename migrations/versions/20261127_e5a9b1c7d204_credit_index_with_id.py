"""Credit index with the post id: PostgreSQL answers participation credit from the index alone (SQLite has the rowid in every index already).

Revision ID: e5a9b1c7d204
Revises: c41f0d2a7e93
Create Date: 2026-11-27 18:12:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5a9b1c7d204'
down_revision = 'c41f0d2a7e93'
branch_labels = None
depends_on = None

COLUMNS = ['assignment_id', 'author_id', 'status', 'word_count', 'published_at', 'deleted_at']


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_credit')
        batch_op.create_index('ix_posts_credit', [*COLUMNS, 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_credit')
        batch_op.create_index('ix_posts_credit', COLUMNS, unique=False)
