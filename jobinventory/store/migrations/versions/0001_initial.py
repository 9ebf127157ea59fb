"""The first schema: jobs, job_changes, syncs, sync_streams (../shared/CONTRACT.md).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "syncs",
        sa.Column("sync_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", _TIME, nullable=False),
        sa.Column("finished_at", _TIME, nullable=False),
        sa.Column("streams_answered", sa.Integer, nullable=False),
        sa.Column("streams_skipped", sa.Integer, nullable=False),
        sa.Column("streams_failed", sa.Integer, nullable=False),
        sa.Column("jobs_seen", sa.Integer, nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("sync_id", name="pk_syncs"),
    )
    op.create_table(
        "jobs",
        sa.Column("service", sa.String, nullable=False),
        sa.Column("job_id", sa.String, nullable=False),
        sa.Column("operation", sa.String, nullable=False),
        sa.Column("job_type", sa.String, nullable=False),
        sa.Column("arn", sa.String),
        sa.Column("name", sa.String),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("raw_status", sa.String, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME),
        sa.Column("ended_at", _TIME),
        sa.Column("region", sa.String),
        sa.Column("account_id", sa.String),
        sa.Column("message", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("destination", sa.Text),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("first_seen_at", _TIME, nullable=False),
        sa.Column("last_seen_at", _TIME, nullable=False),
        sa.Column("gone_at", _TIME),
        sa.Column("last_sync_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("service", "job_id", name="pk_jobs"),
        sa.ForeignKeyConstraint(["last_sync_id"], ["syncs.sync_id"], name="fk_jobs_last_sync_id_syncs"),
    )
    op.create_index("ix_jobs_account_id_region_service_operation", "jobs",
                    ["account_id", "region", "service", "operation"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_table(
        "job_changes",
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sync_id", sa.Integer, nullable=False),
        sa.Column("observed_at", _TIME, nullable=False),
        sa.Column("service", sa.String, nullable=False),
        sa.Column("job_id", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("from_status", sa.String),
        sa.Column("to_status", sa.String),
        sa.PrimaryKeyConstraint("change_id", name="pk_job_changes"),
        sa.ForeignKeyConstraint(["sync_id"], ["syncs.sync_id"], name="fk_job_changes_sync_id_syncs"),
    )
    op.create_index("ix_job_changes_sync_id", "job_changes", ["sync_id"])
    op.create_index("ix_job_changes_observed_at", "job_changes", ["observed_at"])
    op.create_index("ix_job_changes_service_job_id", "job_changes", ["service", "job_id"])
    op.create_table(
        "sync_streams",
        sa.Column("sync_id", sa.Integer, nullable=False),
        sa.Column("account_id", sa.String),
        sa.Column("region", sa.String, nullable=False),
        sa.Column("service", sa.String, nullable=False),
        sa.Column("operation", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("jobs", sa.Integer, nullable=False),
        sa.Column("error_kind", sa.String),
        sa.Column("error_message", sa.Text),
        sa.ForeignKeyConstraint(["sync_id"], ["syncs.sync_id"], name="fk_sync_streams_sync_id_syncs"),
    )
    op.create_index("ix_sync_streams_sync_id", "sync_streams", ["sync_id"])


def downgrade() -> None:
    for table in ("sync_streams", "job_changes", "jobs", "syncs"):
        op.drop_table(table)
