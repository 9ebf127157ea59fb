"""The status table: every provider status word -> one unified JobStatus.

Provider statuses are matched ignoring case, spaces, hyphens and underscores,
so `CREATE IN_PROGRESS` (Personalize), `CREATE_IN_PROGRESS` (Forecast) and
`InProgress` (Bedrock) meet as `CREATEINPROGRESS` / `INPROGRESS`.
A spec may add words of its own; an unknown word is UNKNOWN, never an error.
"""
from __future__ import annotations

from typing import Dict, Mapping, Tuple

from ..model import JobStatus

__all__ = ["status_key", "STATUS_WORDS", "build_status_table", "lookup_status"]

_DROP = str.maketrans("", "", " _-\t")


def status_key(raw: str) -> str:
    """The form statuses are matched in: upper case, no spaces, hyphens or underscores."""
    return raw.translate(_DROP).upper()


#: Unified status -> provider words, as the services write them.
STATUS_WORDS: Mapping[JobStatus, Tuple[str, ...]] = {
    JobStatus.PENDING: (
        "CREATE_PENDING",
        "PENDING",
        "WAITING",
        "Submitted",
        "Validating",
        "Scheduled",
        "QUEUED",
        "NOT_STARTED",
    ),
    JobStatus.RUNNING: (
        "CREATE_IN_PROGRESS",
        "IN_PROGRESS",
        "InProgress",
        "RUNNING",
    ),
    JobStatus.STOPPING: ("CREATE_STOPPING", "Stopping"),
    JobStatus.STOPPED: ("CREATE_STOPPED", "Stopped", "CANCELLED", "CANCELED"),
    JobStatus.SUCCEEDED: ("ACTIVE", "COMPLETED", "Completed", "SUCCEEDED", "SUCCESS"),
    JobStatus.FAILED: (
        "CREATE_FAILED",
        "FAILED",
        "ERROR",
        "TIMED_OUT",
        "Failed",
        "Expired",
        # Bedrock batch inference: ended with records left unprocessed. It is
        # terminal and needs a person's attention, so it counts as a failure;
        # raw_status keeps the exact word for anyone who wants to tell them apart.
        # Bedrock advanced prompt optimization has the same word, undocumented
        # beyond the enum: read the same way, so one word has one meaning.
        "PartiallyCompleted",
        # Forecast: the delete of a finished job failed; the job did not end well.
        "DELETE_FAILED",
    ),
    JobStatus.DELETING: ("DELETE_PENDING", "DELETE_IN_PROGRESS", "Deleting"),
}


def build_status_table(extra: Mapping[str, JobStatus] = {}) -> Dict[str, JobStatus]:
    """The matching table (keyed by `status_key`), with a spec's own words on top."""
    table: Dict[str, JobStatus] = {}
    for unified, words in STATUS_WORDS.items():
        for word in words:
            table[status_key(word)] = unified
    for word, unified in extra.items():
        table[status_key(word)] = JobStatus(unified)
    return table


_DEFAULT_TABLE = build_status_table()


def lookup_status(raw: str, table: Mapping[str, JobStatus] = _DEFAULT_TABLE) -> JobStatus:
    """The unified status of a provider word; UNKNOWN when the word is not known."""
    return table.get(status_key(raw), JobStatus.UNKNOWN)
