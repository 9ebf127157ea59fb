"""`sns:TOPIC_ARN`: one Publish per change, with attributes subscriptions can filter on.

The message is the event JSON; message attributes `service`, `status`
(the job's unified status) and `change` (new/status/gone) are Strings, so
a subscription's filter policy can pick, say, only FAILED jobs.
A rejected message (InvalidParameter: the message itself) fails alone;
any other error means the topic is not answering, and the rest wait for
the next delivery.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import boto3
from botocore.exceptions import ClientError

from ..errors import ConfigurationError
from .aws import describe_error, make_client, split_arn
from .base import Deadline, Delivery, NotifySettings, Target, not_attempted
from .event import Event

__all__ = ["SnsTarget", "message_attributes"]

# Errors about one message, not about the topic: the next message may go through.
_MESSAGE_ERRORS = frozenset({"InvalidParameter", "InvalidParameterValue", "InvalidParameterException"})


def message_attributes(event: Event) -> Dict[str, Dict[str, str]]:
    values = {"service": event.job.service, "status": event.status, "change": event.kind}
    return {k: {"DataType": "String", "StringValue": v} for k, v in values.items()}


class SnsTarget(Target):
    scheme = "sns"

    def __init__(self, topic_arn: str, *, session: Optional[boto3.session.Session] = None, settings: Optional[NotifySettings] = None) -> None:
        arn = split_arn(topic_arn, "sns")
        if arn is None or ":" in arn[3] or "/" in arn[3]:
            raise ConfigurationError(f"notify target sns:{topic_arn}: give a topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)")
        self.topic_arn = topic_arn
        self.region = arn[1]
        self._session = session
        self.settings = settings or NotifySettings()
        self._client: Any = None

    @property
    def name(self) -> str:
        return f"sns:{self.topic_arn}"

    def prepare(self) -> "Target":
        if self._client is None:
            self._client = make_client(self._session, "sns", self.region, self.settings)
        return self

    def deliver(self, events: Sequence[Event], deadline: Deadline) -> List[Delivery]:
        results: List[Delivery] = []
        for i, event in enumerate(events):
            if deadline.expired:
                return results + not_attempted(events[i:], deadline.skip_reason())
            try:
                self.prepare()
                self._client.publish(
                    TopicArn=self.topic_arn, Message=event.body, MessageAttributes=message_attributes(event)
                )
            except Exception as exc:  # noqa: BLE001 - a target failure is a result, never raised
                results.append(Delivery(event.change_id, False, describe_error(exc)))
                if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in _MESSAGE_ERRORS:
                    continue
                return results + not_attempted(events[i + 1:], "not attempted: an earlier Publish failed")
            else:
                results.append(Delivery(event.change_id, True))
        return results
