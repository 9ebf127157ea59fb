"""CSV cells a spreadsheet would run as formulas are neutralised."""
from __future__ import annotations

import csv
import io

import pytest

from jobinventory import export
from jobinventory.export.csv import neutralise

from .sample import FORMULA_NAMES, sample_jobs


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1dcmd", "'\uff1dcmd"),  # full-width equals sign
        ('=HYPERLINK("http://evil","x")', "'=HYPERLINK(\"http://evil\",\"x\")"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (" =1", "' =1"),  # spreadsheets skip leading spaces and line breaks (issue 13 item 7)
        ("\n=1", "'\n=1"),
        ("  \n @SUM(A1)", "'  \n @SUM(A1)"),
        (" plain", " plain"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("'already", "'already"),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_every_formula_name_is_neutralised_in_the_export():
    stream = io.StringIO()
    export.write(sample_jobs(), "csv", stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    names = [row["name"] for row in rows]
    for name in FORMULA_NAMES:
        assert "'" + name in names
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
