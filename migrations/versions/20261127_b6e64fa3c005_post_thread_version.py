"""Post thread version: a value every change to a post's comments replaces, which tells whether a cached rendered thread is current.

Revision ID: b6e64fa3c005
Revises: d2baee4ab9a4
Create Date: 2026-11-27 17:13:54.661270

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6e64fa3c005'
down_revision = 'd2baee4ab9a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thread_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('thread_version')
