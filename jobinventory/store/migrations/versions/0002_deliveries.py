"""The notification outbox: deliveries, one row per (change, target).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("change_id", sa.Integer, nullable=False),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("delivered_at", _TIME),
        sa.Column("claimed_at", _TIME),
        sa.Column("record", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("change_id", "target", name="pk_deliveries"),
        sa.ForeignKeyConstraint(["change_id"], ["job_changes.change_id"],
                                name="fk_deliveries_change_id_job_changes"),
    )
    op.create_index("ix_deliveries_target_state_change_id", "deliveries", ["target", "state", "change_id"])


def downgrade() -> None:
    op.drop_table("deliveries")
