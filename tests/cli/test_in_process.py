"""The command line's plumbing, in-process: progress, colour, accounts, interruption."""
from __future__ import annotations

import io

import pytest

from jobinventory import cli
from jobinventory.cli import context
from jobinventory.cli import progress as cli_progress
from jobinventory.cli.commands import list as list_command
from jobinventory.collector import Progress as Snapshot


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_line_is_rewritten_and_cleared():
    stream = io.StringIO()
    progress = cli_progress.ProgressLine(stream, interval=0)
    progress(Snapshot(streams_total=4, streams_done=1, jobs=10, errors=0, skipped=0))
    progress(Snapshot(streams_total=4, streams_done=4, jobs=25, errors=1, skipped=0))
    progress.clear()
    text = stream.getvalue()
    assert "streams 1/4; jobs 10" in text and "streams 4/4, 1 failed; jobs 25" in text
    assert text.endswith("\r\x1b[K")


def test_progress_only_on_a_terminal_and_not_quiet(monkeypatch):
    parser = cli.build_parser()
    monkeypatch.setattr("sys.stderr", _Tty())
    assert cli_progress.progress_for(parser.parse_args(["list"])) is not None
    assert cli_progress.progress_for(parser.parse_args(["list", "--quiet"])) is None
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert cli_progress.progress_for(parser.parse_args(["list"])) is None


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert cli_progress.use_color(_Tty())
    assert not cli_progress.use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_progress.use_color(_Tty())
    monkeypatch.setenv("NO_COLOR", "")
    assert cli_progress.use_color(_Tty())
    monkeypatch.setenv("TERM", "dumb")
    assert not cli_progress.use_color(_Tty())


def test_org_role_accounts_join_role_arns(monkeypatch):
    calls = []

    def organization_accounts(session, role_name, include=None, exclude=None, **kwargs):
        calls.append((role_name, include, exclude))
        return ["arn:aws:iam::222233334444:role/" + role_name]

    monkeypatch.setattr("jobinventory.accounts.organization_accounts", organization_accounts)
    args = cli.build_parser().parse_args([
        "list", "--role-arn", "arn:aws:iam::111122223333:role/Inventory", "--org-role", "OrgRead",
        "--include-account", "222233334444,555566667777", "--exclude-account", "999988887777",
    ])
    with context.collection(args) as kwargs:
        assert kwargs["accounts"] == [
            "arn:aws:iam::111122223333:role/Inventory", "arn:aws:iam::222233334444:role/OrgRead",
        ]
        assert kwargs["session"] is not None
    assert calls == [("OrgRead", ["222233334444", "555566667777"], ["999988887777"])]


def test_an_org_with_no_account_left_lists_nothing(monkeypatch, capsys):
    monkeypatch.setattr("jobinventory.accounts.organization_accounts", lambda *a, **k: [])
    assert cli.main(["list", "--org-role", "OrgRead", "--exclude-account", "123456789012"]) == 1
    assert "no account of the organization" in capsys.readouterr().err


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_an_interrupted_list_keeps_the_previous_file(fake_jobs, tmp_path, monkeypatch, capsys, error):
    fake_jobs.seed(["bedrock"], regions=["us-east-1"], jobs_per_stream=3)
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "jobs.jsonl"
    out.write_text("previous\n")
    from jobinventory.export import jsonl

    real_write = jsonl.write

    def interrupted(jobs, stream, **options):
        real_write(list(jobs)[:2], stream)
        raise error()

    monkeypatch.setattr(jsonl, "write", interrupted)
    argv = ["list", "--region", "us-east-1", "--format", "jsonl", "--output", str(out)]
    if error is KeyboardInterrupt:
        assert cli.main(argv) == 130
        assert capsys.readouterr().err.strip() == "jobinventory: interrupted"
    else:
        with pytest.raises(SystemExit):
            cli.main(argv)
    assert out.read_text() == "previous\n"
    assert [p.name for p in exports.iterdir()] == ["jobs.jsonl"]


def test_parquet_without_pyarrow_is_exit_2_before_collecting(monkeypatch, capsys, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.setattr(list_command, "run_collection", lambda args: pytest.fail("collected before checking pyarrow"))
    assert cli.main(["list", "--format", "parquet", "--output", str(tmp_path / "jobs.parquet")]) == 2
    assert capsys.readouterr().err == (
        "jobinventory: error: the parquet format needs pyarrow: pip install 'jobinventory[parquet]'\n"
    )


def test_endpoint_url_reaches_organizations_and_the_s3_output(monkeypatch):
    from jobinventory.export.output import parse_target

    seen = []

    def organization_accounts(session, role_name, include=None, exclude=None, *, endpoint_url=None, **kwargs):
        seen.append(endpoint_url)
        return ["arn:aws:iam::222233334444:role/" + role_name]

    monkeypatch.setattr("jobinventory.accounts.organization_accounts", organization_accounts)
    checked = []
    monkeypatch.setattr("jobinventory.export.output.check_s3_target",
                        lambda target, client: checked.append(client.meta.endpoint_url))
    args = cli.build_parser().parse_args([
        "list", "--org-role", "OrgRead", "--endpoint-url", "http://127.0.0.1:9", "--output", "s3://my-bucket/k.jsonl",
    ])
    with context.collection(args) as kwargs:
        assert kwargs["endpoint_url"] == "http://127.0.0.1:9"
    assert seen == ["http://127.0.0.1:9"]
    client = context.s3_client(args, parse_target(args.output))
    assert client.meta.endpoint_url == "http://127.0.0.1:9" and checked == ["http://127.0.0.1:9"]
    assert context.s3_client(args, parse_target("out.jsonl")) is None
