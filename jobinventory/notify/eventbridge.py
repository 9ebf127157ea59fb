"""`eventbridge:BUS`: PutEvents, ten entries per call, per-entry results honoured.

Each change is one entry: `Source` `jobinventory`, `DetailType` `Job State
Change`, `Detail` the event JSON, `Resources` the job's ARN where it has
one, `Time` when the sync observed the change. An entry the response marks
failed (ErrorCode) is not delivered; a call that fails leaves its entries
and the rest undelivered (the bus is not answering: no point trying more).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

import boto3

from ..errors import ConfigurationError
from .aws import describe_error, make_client, require_region, session_region, split_arn
from .base import Deadline, Delivery, NotifySettings, Target, not_attempted
from .event import Event

__all__ = ["EventBridgeTarget", "SOURCE", "DETAIL_TYPE"]

SOURCE = "jobinventory"
DETAIL_TYPE = "Job State Change"
_MAX_ENTRIES = 10  # PutEvents' limit per call
_MAX_CALL_BYTES = 1_000_000  # "the total entry size must be less than 1MB"
_BUS_NAME = re.compile(r"[\.\-_A-Za-z0-9/]{1,256}\Z")


def _entry_size(entry: Dict[str, Any]) -> int:
    """The entry size as EventBridge counts it (eb-putevent-size)."""
    size = 14 if "Time" in entry else 0
    for key in ("Source", "DetailType", "Detail"):
        size += len(entry[key].encode("utf-8"))
    return size + sum(len(r.encode("utf-8")) for r in entry.get("Resources", ()))


class EventBridgeTarget(Target):
    scheme = "eventbridge"

    def __init__(self, bus: str, *, session: Optional[boto3.session.Session] = None, settings: Optional[NotifySettings] = None) -> None:
        arn = split_arn(bus, "events")
        if arn is not None:
            region: Optional[str] = arn[1]
            if not arn[3].startswith("event-bus/") or not _BUS_NAME.match(arn[3][len("event-bus/"):]):
                raise ConfigurationError(f"notify target eventbridge:{bus}: not an event bus ARN")
        elif bus.startswith("arn:") or not _BUS_NAME.match(bus):
            raise ConfigurationError(
                f"notify target eventbridge:{bus}: give an event bus name or ARN "
                "(arn:aws:events:REGION:ACCOUNT:event-bus/NAME)"
            )
        else:
            region = session_region(session)
        self.bus = bus
        self.region = require_region(self.name, region)
        self._session = session
        self.settings = settings or NotifySettings()
        self._client: Any = None

    @property
    def name(self) -> str:
        return f"eventbridge:{self.bus}"

    def entry(self, event: Event) -> Dict[str, Any]:
        entry: Dict[str, Any] = {
            "Source": SOURCE,
            "DetailType": DETAIL_TYPE,
            "Detail": event.body,
            "EventBusName": self.bus,
        }
        if event.job.arn:
            entry["Resources"] = [event.job.arn]
        if event.observed_at is not None:
            entry["Time"] = event.observed_at
        return entry

    def batches(self, events: Sequence[Event]) -> List[List[Event]]:
        """Consecutive runs of at most ten entries and under 1 MB each."""
        out: List[List[Event]] = []
        size = 0
        for event in events:
            n = _entry_size(self.entry(event))
            if not out or len(out[-1]) == _MAX_ENTRIES or size + n >= _MAX_CALL_BYTES:
                out.append([])
                size = 0
            out[-1].append(event)
            size += n
        return out

    def prepare(self) -> "Target":
        if self._client is None:
            self._client = make_client(self._session, "events", self.region, self.settings)
        return self

    def deliver(self, events: Sequence[Event], deadline: Deadline) -> List[Delivery]:
        results: List[Delivery] = []
        batches = self.batches(events)
        for i, batch in enumerate(batches):
            if deadline.expired:
                rest = [e for b in batches[i:] for e in b]
                return results + not_attempted(rest, deadline.skip_reason())
            try:
                self.prepare()
                response = self._client.put_events(Entries=[self.entry(e) for e in batch])
            except Exception as exc:  # noqa: BLE001 - a target failure is a result, never raised
                reason = describe_error(exc)
                results += [Delivery(e.change_id, False, reason) for e in batch]
                rest = [e for b in batches[i + 1:] for e in b]
                return results + not_attempted(rest, "not attempted: an earlier PutEvents call failed")
            results += self._read(batch, response)
        return results

    @staticmethod
    def _read(batch: Sequence[Event], response: Dict[str, Any]) -> List[Delivery]:
        entries = response.get("Entries") or []
        out = []
        for i, event in enumerate(batch):
            answer = entries[i] if i < len(entries) else {}
            if answer.get("EventId") and not answer.get("ErrorCode"):
                out.append(Delivery(event.change_id, True))
            else:
                code = answer.get("ErrorCode") or "NoEventId"
                message = answer.get("ErrorMessage") or "the response gave no event id for this entry"
                out.append(Delivery(event.change_id, False, f"{code}: {message}"))
        return out
