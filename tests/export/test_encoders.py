"""The exports' hot path (export.encoders) writes the generic path's bytes, job for job.

The generic path is the converter's record (`converter.unstructure`),
serialised by json.dumps (jsonl, json) or by csv.writer over
`export.csv.cell` of each value (csv).
"""
import collections
import csv
import datetime as dt
import decimal
import io
import json
import random
import sys
import zoneinfo

import attrs
import pytest

from jobinventory import export, normalize
from jobinventory.convert import converter
from jobinventory.export import csv as csv_export
from jobinventory.export import encoders
from jobinventory.model import Job
from jobinventory.registry import all_specs
from jobinventory.testing.seeds import generate_entries
from jobinventory.timestamps import isoformat_z

from .sample import FORMULA_NAMES, SECRET, sample_jobs

NOW = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)


def _operation_jobs():
    jobs = []
    for service, operation in sorted(all_specs()):
        summaries, _parents = generate_entries(service, operation, 12, region="eu-west-1",
                                               account_id="123456789012", seed=5, now=NOW)
        jobs += [normalize(service, operation, s, region="eu-west-1", account_id="123456789012")
                 for s in summaries]
    return jobs


OPERATION_JOBS = _operation_jobs()
BASE = OPERATION_JOBS[0]

#: Free text that a CSV writer must quote, a spreadsheet would run, or JSON must escape.
AWKWARD_TEXT = [
    "", " ", "plain", "comma, inside", 'say "hi"', "line\nbreak", "carriage\rreturn", "crlf\r\n", "tab\tinside",
    "caf\u00e9 \u6570\u636e \U0001f600", "\u2028sep", "back\\slash", "ctrl\x00\x01\x1f", "'quoted", "=1+1",
    "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n@x", "\u3000=1", "\u00a0+1", "\u2003-1", "\uff1dcmd",
    '=HYPERLINK("http://evil","x")', ",=1", '"=1"', "#N/A",
]


def _awkward_jobs():
    """Plain Jobs with every awkward text in each free-text field, None fields, awkward details."""
    jobs = []
    for i, text in enumerate(AWKWARD_TEXT):
        jobs.append(attrs.evolve(BASE, name=text, message=text, source=text or None, destination=text,
                                 arn=None if i % 3 == 0 else text, job_id=text or "x",
                                 details={"text": text, text: [text, {"nested": text}]}))
    jobs.append(attrs.evolve(BASE, arn=None, name=None, region=None, account_id=None, message=None, source=None,
                             destination=None, updated_at=None, ended_at=None, details={}))
    jobs.append(attrs.evolve(BASE, service="=svc", operation="+op", job_type="-type", raw_status='"raw",\n',
                             region="@region"))
    stamp = dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.timezone.utc)
    jobs.append(attrs.evolve(BASE, created_at=stamp, updated_at=stamp.replace(microsecond=0), ended_at=stamp,
                             details={"deep": {"a": [{"b": [1, 2.5, -0.0, 1e300, None, True, False]}]},
                                      "big": 2 ** 70, "nan": float("nan"), "inf": float("-inf"), "": ""}))
    # What the C encoder takes as the converter's record does: keys made strings, tuples made lists.
    jobs.append(attrs.evolve(BASE, details={1: "int key", None: "none key", 2.5: [(1, "a")]}))
    return jobs


def _generic_only_jobs():
    """Jobs the hot path leaves to the generic path: it must give the generic bytes for them too."""
    other_utc = zoneinfo.ZoneInfo("UTC")

    class SubJob(Job):
        __slots__ = ()

    sub = SubJob(**{a.name: getattr(BASE, a.name) for a in attrs.fields(Job)})
    return [
        attrs.evolve(BASE, created_at=BASE.created_at.astimezone(other_utc)),
        attrs.evolve(BASE, ended_at=dt.datetime(2024, 5, 1, tzinfo=dt.timezone(dt.timedelta(0), "Z"))),
        attrs.evolve(BASE, details={"when": NOW, "n": [NOW]}),
        attrs.evolve(BASE, details=collections.OrderedDict([("b", 1), ("a", {"c": None})])),
        sub,
    ]


def _records(jobs):
    return [converter.unstructure(job) for job in jobs]


def _compact(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _generic(jobs, fmt):
    records = _records(jobs)
    if fmt == "jsonl":
        return "".join(_compact(r) + "\n" for r in records)
    if fmt == "json":
        return "[" + ",".join("\n" + _compact(r) for r in records) + ("\n]\n" if records else "]\n")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_export.COLUMNS)
    for r in records:
        writer.writerow([csv_export.cell(r[name]) for name in csv_export.COLUMNS])
    return out.getvalue()


def _written(jobs, fmt):
    out = io.StringIO()
    assert export.write(jobs, fmt, out) == len(jobs)
    return out.getvalue()


ALL = {"operations": OPERATION_JOBS, "awkward": _awkward_jobs(), "generic-only": _generic_only_jobs(),
       "samples": sample_jobs()}


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
@pytest.mark.parametrize("kind", list(ALL))
def test_the_export_writes_the_generic_paths_bytes(fmt, kind):
    jobs = ALL[kind]
    assert _written(jobs, fmt) == _generic(jobs, fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_mixed_jobs_in_one_export_keep_their_order(fmt):
    jobs = [job for pair in zip(OPERATION_JOBS, _awkward_jobs() * 20, _generic_only_jobs() * 60) for job in pair]
    assert len(jobs) == 3 * len(OPERATION_JOBS) == 3 * 12 * len(all_specs())
    assert _written(jobs, fmt) == _generic(jobs, fmt)


def test_every_operations_jobs_take_the_hot_path():
    def refuse(job):
        raise AssertionError(f"generic path for {job.operation} {job.job_id}")

    line, row = encoders.json_lines(refuse), encoders.csv_rows(refuse, csv_export.neutralise)
    kinds = {(job.service, job.operation) for job in OPERATION_JOBS}
    assert kinds == set(all_specs())
    for job in OPERATION_JOBS + _awkward_jobs():
        assert line(job) == _compact(converter.unstructure(job)) + "\n"
        assert row(job).endswith("\r\n")


def test_generic_only_jobs_leave_the_hot_path():
    seen = []
    line = encoders.json_lines(lambda job: seen.append(job) or "generic")
    row = encoders.csv_rows(lambda job: seen.append(job) or ["generic"], csv_export.neutralise)
    jobs = _generic_only_jobs()
    for job in jobs:
        assert line(job) == "generic\n"
        assert row(job) == "generic\r\n"
    assert [id(job) for job in seen] == [id(job) for job in jobs for _ in (1, 2)]


def test_details_that_are_not_json_fail_as_before():
    for details in ({"tags": {"a"}}, {"amount": decimal.Decimal("1.5")}):
        job = attrs.evolve(BASE, details=details)
        for fmt in ("jsonl", "json", "csv"):
            with pytest.raises(TypeError, match="not JSON serializable"):
                _written([job], fmt)
    cyclic = {}
    cyclic["self"] = cyclic
    with pytest.raises(ValueError, match="Circular"):
        _written([attrs.evolve(BASE, details=cyclic)], "jsonl")


def test_redacted_details_stay_redacted():
    for fmt in ("jsonl", "json", "csv"):
        text = _written(sample_jobs(), fmt)
        assert SECRET not in text
        assert text == _generic(sample_jobs(), fmt)


def test_formula_first_characters_are_every_prefix_and_every_space():
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert encoders.FORMULA_FIRST == set(csv_export.FORMULA_PREFIXES) | spaces
    for name in FORMULA_NAMES:
        assert name[:1] in encoders.FORMULA_FIRST


def test_csv_quoting_matches_the_csv_module():
    assert encoders.csv_agrees()
    rng = random.Random(17)
    alphabet = ['"', ",", "\r", "\n", " ", "a", "\u00e9", "\t", "'", "=", "\x00", "\\", ";", "\u2028"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8))) for _ in range(2000)]
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    assert out.getvalue() == ",".join(encoders.csv_quoted(c) for c in cells) + "\r\n"


def test_a_csv_module_that_quotes_otherwise_gets_every_row(monkeypatch):
    jobs = OPERATION_JOBS[:50] + _awkward_jobs()
    monkeypatch.setattr(csv_export, "csv_agrees", lambda: False)
    monkeypatch.setattr(csv_export, "csv_rows", lambda *a: pytest.fail("hot path used"))
    assert _written(jobs, "csv") == _generic(jobs, "csv")


def test_caches_are_per_export_and_keyed_by_every_shared_value():
    a = attrs.evolve(BASE, region="eu-west-1", account_id="111111111111")
    b = attrs.evolve(BASE, region="eu-west-1", account_id="222222222222")
    c = attrs.evolve(BASE, raw_status=BASE.raw_status + "x")
    for fmt in ("jsonl", "csv"):
        assert _written([a, b, c, a], fmt) == _generic([a, b, c, a], fmt)


def test_times_are_isoformat_z_to_the_microsecond():
    rng = random.Random(3)
    low, high = dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(9999, 12, 31, 23, 59, 59, 999999,
                                                                           tzinfo=dt.timezone.utc)
    stamps = [low, high, NOW, NOW.replace(microsecond=1), NOW.replace(microsecond=999999, second=59),
              dt.datetime(999, 9, 9, 9, 9, 9, tzinfo=dt.timezone.utc)]
    stamps += [low + dt.timedelta(microseconds=rng.randrange(0, int((high - low) / dt.timedelta(microseconds=1))))
               for _ in range(3000)]
    stamps += [s.replace(microsecond=0) for s in stamps[-1000:]]
    days = {}
    for stamp in stamps:
        assert encoders._iso(stamp, days, "") == isoformat_z(stamp)
        assert encoders._iso(stamp, days, "\"") == "\"" + isoformat_z(stamp) + "\""
    assert sorted(days) == sorted({stamp.toordinal() for stamp in stamps})


def test_a_list_is_written_in_chunks_an_iterator_line_by_line():
    n = encoders.CHUNK * 2 + 7
    for jobs, sizes in ((OPERATION_JOBS[:n], [encoders.CHUNK, encoders.CHUNK, 7]), (iter(OPERATION_JOBS[:n]), [1] * n),
                        ([], []), ((), [])):
        puts = []
        assert encoders.write_lines(jobs, encoders.json_lines(None), puts.append) == sum(sizes)
        assert "".join(puts) == _generic(OPERATION_JOBS[:sum(sizes)], "jsonl")
        assert [text.count("\n") for text in puts] == sizes
