"""`jobinventory report`: the command line (exit codes, --from, the extra)."""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

pytest.importorskip("jinja2")

from jobinventory import cli, to_dict  # noqa: E402
from jobinventory.cli.commands import report as report_command  # noqa: E402
from jobinventory.inventory import Inventory  # noqa: E402

from . import checks, sample  # noqa: E402
from .dom import parse  # noqa: E402


def write_jsonl(path: Path, jobs: List[Any]) -> Path:
    path.write_text("".join(json.dumps(to_dict(j)) + "\n" for j in jobs), encoding="utf-8")
    return path


def run(argv: List[str], capsys: pytest.CaptureFixture[str]) -> Tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_report_is_a_registered_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["report", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--output", "--from", "--title", "--demo", "--service", "--region", "--status", "--since"):
        assert flag in out


def test_from_jsonl_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = write_jsonl(tmp_path / "inventory.jsonl", list(reversed(sample.jobs())))
    out_file = tmp_path / "inventory.html"
    status, out, err = run(["report", "--from", str(saved), "--output", str(out_file)], capsys)
    assert (status, out, err) == (0, "", "")
    doc = parse(out_file.read_text(encoding="utf-8"))
    checks.assert_no_injection(doc)
    assert "cannot tell whether the inventory is complete" in doc.by_id("unknown-banner").text
    rows = doc.by_id("jobs-table").find_all("tr", pred=lambda n: n.get("data-status") is not None)
    assert len(rows) == len(sample.jobs())


def test_from_stdin_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(json.dumps(to_dict(j)) + "\n" for j in sample.jobs())
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    status, out, err = run(["report", "--from", "-", "--title", "Nightly <jobs>"], capsys)
    assert status == 0 and err == ""
    assert out.startswith("<!DOCTYPE html>")
    assert "<title>Nightly &lt;jobs&gt;</title>" in out


def test_bad_line_exits_2_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = write_jsonl(tmp_path / "inventory.jsonl", sample.jobs()[:2])
    with saved.open("a", encoding="utf-8") as handle:
        handle.write("\n")  # blank lines are skipped, but counted
        handle.write('{"service": "forecast"}\n')
    out_file = tmp_path / "inventory.html"
    status, out, err = run(["report", "--from", str(saved), "-o", str(out_file)], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{saved} line 4: not a job record" in err
    assert not out_file.exists()


def test_not_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "broken.jsonl"
    saved.write_text('{"a": 1}\n[1, 2]\n', encoding="utf-8")
    status, _, err = run(["report", "--from", str(saved)], capsys)
    assert status == 2 and "line 1: not a job record" in err
    saved.write_text("not json\n", encoding="utf-8")
    status, _, err = run(["report", "--from", str(saved)], capsys)
    assert status == 2 and "line 1: not JSON" in err and err.count("\n") == 1


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["report", "--from", str(tmp_path / "nope.jsonl")], capsys)
    assert status == 2 and "cannot read" in err and err.count("\n") == 1


def test_from_takes_no_collection_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = write_jsonl(tmp_path / "inventory.jsonl", sample.jobs())
    status, _, err = run(["report", "--from", str(saved), "--demo", "--region", "eu-west-1"], capsys)
    assert status == 2
    assert "--demo" in err and "--region" in err and err.count("\n") == 1


def test_without_jinja2_exits_2_naming_the_extra(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now raises ImportError
    status, out, err = run(["report", "--demo", "-o", "unused.html"], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "pip install 'jobinventory[report]'" in err


def test_partial_collection_writes_the_page_and_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_collection(args: argparse.Namespace) -> Tuple[Inventory, int]:
        calls.append(args)
        return sample.inventory(), cli.EXIT_PARTIAL

    monkeypatch.setattr(report_command, "run_collection", fake_collection)
    out_file = tmp_path / "inventory.html"
    assert cli.main(["report", "--region", "us-east-1", "-o", str(out_file)]) == 3
    assert calls and calls[0].regions == ["us-east-1"]
    doc = parse(out_file.read_text(encoding="utf-8"))
    assert "1 stream failed: this inventory is incomplete" in doc.by_id("partial-banner").text
    checks.assert_counts(doc)


def test_nothing_listed_writes_no_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out_file = tmp_path / "inventory.html"
    out_file.write_text("previous page", encoding="utf-8")

    def nothing(args: argparse.Namespace) -> Tuple[Inventory, int]:
        return Inventory(errors=[sample.error()]), cli.EXIT_NOTHING

    monkeypatch.setattr(report_command, "run_collection", nothing)
    assert cli.main(["report", "-o", str(out_file)]) == 1
    assert out_file.read_text(encoding="utf-8") == "previous page"


def test_bad_output_target_exits_2_before_collecting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["report", "--demo", "-o", str(tmp_path / "missing-dir" / "x.html")], capsys)
    assert status == 2 and "does not exist" in err
