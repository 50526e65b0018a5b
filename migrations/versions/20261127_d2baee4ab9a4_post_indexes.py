"""Post indexes: one live post per student (a removed post no longer blocks a new one), and covering indexes so participation credit reads no post or comment rows.

Revision ID: d2baee4ab9a4
Revises: 0e8266905031
Create Date: 2026-11-27 14:39:33.950120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2baee4ab9a4'
down_revision = '0e8266905031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_post_id_created_at'))
        batch_op.create_index('ix_comments_post_thread', ['post_id', 'created_at', 'author_id', 'word_count', 'deleted_at'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_posts_assignment_id_author_id'), type_='unique')
        batch_op.create_index('ix_posts_credit', ['assignment_id', 'author_id', 'status', 'word_count', 'published_at', 'deleted_at'], unique=False)
        batch_op.create_index('uq_posts_live_author', ['assignment_id', 'author_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))



def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('uq_posts_live_author', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_posts_credit')
        batch_op.create_unique_constraint(batch_op.f('uq_posts_assignment_id_author_id'), ['assignment_id', 'author_id'])

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_post_thread')
        batch_op.create_index(batch_op.f('ix_comments_post_id_created_at'), ['post_id', 'created_at'], unique=False)

