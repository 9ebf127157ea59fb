import datetime as dt

import pytest
from dateutil import tz

from jobinventory.timestamps import isoformat_z, to_utc

UTC = dt.timezone.utc
NOON = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2024, 5, 1, 12, 0),  # naive means UTC
        NOON,
        dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2024, 5, 1, 8, 0, tzinfo=tz.gettz("America/New_York")),
        dt.datetime(2024, 5, 1, 12, 0, tzinfo=tz.tzutc()),
        1714564800,  # epoch seconds, int
        1714564800.0,  # float
        1714564800000,  # epoch milliseconds
        "1714564800",  # numeric strings
        "1714564800000",
        "1714564800.000",
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00+00:00",
        "2024-05-01T14:00:00+02:00",
        "2024-05-01T07:00:00-05:00",
        "2024-05-01T12:00:00.000Z",
        "2024-05-01 12:00:00",  # naive ISO means UTC
        "20240501T120000Z",  # basic format
    ],
)
def test_every_form_becomes_aware_utc(value):
    result = to_utc(value)
    assert result == NOON
    assert result.tzinfo is UTC


def test_sub_second_precision_is_kept():
    assert to_utc(1714564800123).microsecond == 123000
    assert to_utc("2024-05-01T12:00:00.123456789Z").microsecond == 123456
    assert to_utc(1714564800.5) == NOON + dt.timedelta(milliseconds=500)


def test_boto3_local_time_datetimes_are_converted():
    # botocore parses epoch timestamps into tzlocal() datetimes.
    local = dt.datetime.fromtimestamp(1714564800, tz.tzlocal())
    assert to_utc(local) == NOON and to_utc(local).tzinfo is UTC


@pytest.mark.parametrize("value", ["", "yesterday", "2024-13-45T00:00:00Z", True, [1], {"a": 1}, float("nan")])
def test_garbage_is_an_error(value):
    with pytest.raises((TypeError, ValueError)):
        to_utc(value)


def test_isoformat_ends_in_z():
    assert isoformat_z(NOON) == "2024-05-01T12:00:00Z"
    assert isoformat_z(NOON.replace(microsecond=250000)) == "2024-05-01T12:00:00.250000Z"
