"""The status table: every provider status word -> one unified JobStatus.

Provider statuses are matched ignoring case, spaces, hyphens and underscores,
so `CREATE IN_PROGRESS` (Personalize), `CREATE_IN_PROGRESS` (Forecast) and
`InProgress` (Bedrock) meet as `CREATEINPROGRESS` / `INPROGRESS`.
A spec may add words of its own; an unknown word is UNKNOWN, never an error.
"""
from __future__ import annotations

from typing import Dict, Mapping, Tuple

from ..model import JobStatus

__all__ = ["status_key", "STATUS_WORDS", "DELIBERATELY_UNKNOWN", "build_status_table", "lookup_status",
           "is_deliberately_unknown"]

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
        # bedrock-agent ingestion jobs: created, not yet running.
        "STARTING",
    ),
    JobStatus.RUNNING: (
        "CREATE_IN_PROGRESS",
        "IN_PROGRESS",
        "InProgress",
        "RUNNING",
    ),
    JobStatus.STOPPING: ("CREATE_STOPPING", "Stopping"),
    JobStatus.STOPPED: ("CREATE_STOPPED", "Stopped", "CANCELLED", "CANCELED"),
    JobStatus.SUCCEEDED: ("ACTIVE", "COMPLETED", "Completed", "COMPLETE", "SUCCEEDED", "SUCCESS"),
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
    ),
    JobStatus.DELETING: ("DELETE_PENDING", "DELETE_IN_PROGRESS", "Deleting"),
}


#: Documented provider words that say too little to map to a unified status:
#: known, read as UNKNOWN on purpose (raw_status keeps them), with the reason.
DELIBERATELY_UNKNOWN: Mapping[str, str] = {
    "DELETE_FAILED": (
        "Forecast: the deletion of the resource failed. Deletion is only possible for ACTIVE "
        "or CREATE_FAILED jobs, so the job had ended, but how (succeeded or failed) is not "
        "known; ended_at stays None (the failed delete's time is not when the job ended)"
    ),
}


def build_status_table(extra: Mapping[str, JobStatus] = {}) -> Dict[str, JobStatus]:
    """The matching table (keyed by `status_key`), with a spec's own words on top."""
    table: Dict[str, JobStatus] = {status_key(word): JobStatus.UNKNOWN for word in DELIBERATELY_UNKNOWN}
    for unified, words in STATUS_WORDS.items():
        for word in words:
            table[status_key(word)] = unified
    for word, unified in extra.items():
        table[status_key(word)] = JobStatus(unified)
    return table


_DEFAULT_TABLE = build_status_table()


def is_deliberately_unknown(raw: str, extra: Mapping[str, JobStatus] = {}) -> bool:
    """The word is documented and read as UNKNOWN on purpose (`DELIBERATELY_UNKNOWN`), and a spec's words do not map it."""
    key = status_key(raw)
    return key in {status_key(w) for w in DELIBERATELY_UNKNOWN} and key not in {status_key(w) for w in extra}


def lookup_status(raw: str, table: Mapping[str, JobStatus] = _DEFAULT_TABLE) -> JobStatus:
    """The unified status of a provider word; UNKNOWN when the word is not known."""
    return table.get(status_key(raw), JobStatus.UNKNOWN)
