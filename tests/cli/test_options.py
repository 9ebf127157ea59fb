"""Option parsing, help and usage errors (in-process: no collection happens here)."""
from __future__ import annotations

import datetime as _dt

import pytest

from jobinventory import JobStatus, cli
from jobinventory.cli import options, status
from jobinventory.cli.commands import operations

NOW = _dt.datetime(2024, 5, 10, 12, 0, tzinfo=_dt.timezone.utc)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7d", NOW - _dt.timedelta(days=7)),
        ("24h", NOW - _dt.timedelta(hours=24)),
        ("30m", NOW - _dt.timedelta(minutes=30)),
        ("90s", NOW - _dt.timedelta(seconds=90)),
        ("2w", NOW - _dt.timedelta(weeks=2)),
        ("1d12h", NOW - _dt.timedelta(hours=36)),
        ("1.5h", NOW - _dt.timedelta(minutes=90)),
        ("3d ago", NOW - _dt.timedelta(days=3)),
        ("now", NOW),
        ("2024-05-01", _dt.datetime(2024, 5, 1, tzinfo=_dt.timezone.utc)),
        ("2024-05-01T12:00:00+02:00", _dt.datetime(2024, 5, 1, 10, tzinfo=_dt.timezone.utc)),
        ("2024-05-01T12:00:00Z", _dt.datetime(2024, 5, 1, 12, tzinfo=_dt.timezone.utc)),
        ("1714560000", _dt.datetime(2024, 5, 1, 10, 40, tzinfo=_dt.timezone.utc)),
        ("1714560000000", _dt.datetime(2024, 5, 1, 10, 40, tzinfo=_dt.timezone.utc)),
    ],
)
def test_times(text, expected):
    assert options.parse_time(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "7x", "", "d7", "2024-13-45"])
def test_bad_times(text):
    with pytest.raises(ValueError, match="30m, 24h, 7d"):
        options.parse_time(text, now=NOW)


def _args(*argv):
    return cli.build_parser().parse_args(["list", *argv])


def test_collect_kwargs():
    args = _args("--service", "forecast,bedrock", "--service", "forecast", "--region", "us-east-1",
                 "--region", "eu-west-1,us-east-1", "--status", "FAILED,stopped", "--status", "Failed",
                 "--since", "2024-05-01", "--name-contains", "nightly", "--max-workers", "8",
                 "--operation", "ListDatasetImportJobs", "--retry-mode", "adaptive", "--max-attempts", "5",
                 "--endpoint-url", "http://127.0.0.1:9")
    kwargs = options.collect_kwargs(args)
    assert kwargs == {
        "services": ["forecast", "bedrock"],
        "operations": ["ListDatasetImportJobs"],
        "regions": ["us-east-1", "eu-west-1"],
        "statuses": [JobStatus.STOPPED, JobStatus.FAILED],
        "since": _dt.datetime(2024, 5, 1, tzinfo=_dt.timezone.utc),
        "until": None,
        "name_contains": "nightly",
        "max_workers": 8,
        "retry_mode": "adaptive",
        "max_attempts": 5,
        "endpoint_url": "http://127.0.0.1:9",
    }


def test_defaults_mean_everything():
    kwargs = options.collect_kwargs(_args())
    assert kwargs["services"] is None and kwargs["regions"] is None and kwargs["statuses"] is None
    assert options.collect_kwargs(_args("--region", "all"))["regions"] is None


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--region", "all,us-east-1"], "--region all cannot be combined"),
        (["--since", "1d", "--until", "2d"], "--since must be before --until"),
        (["--include-account", "123456789012"], "go with --org-role"),
        (["--demo", "--profile", "prod"], "takes no --profile"),
        (["--demo", "--role-arn", "arn:aws:iam::111122223333:role/R"], "takes no --profile"),
    ],
)
def test_combinations_that_cannot_work(argv, message):
    with pytest.raises(cli.UsageError, match=message):
        options.collect_kwargs(_args(*argv))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["list", "--status", "exploded"], "unknown status 'exploded'"),
        (["list", "--since", "last tuesday"], "is not a time"),
        (["list", "--service", "ec2"], "unknown service 'ec2'"),
        (["list", "--format", "xml"], "invalid choice"),
        (["list", "--max-workers", "0"], "must be at least 1"),
        (["list", "--org-role", "R", "--include-account", "12345"], "12-digit"),
        (["summary", "--format", "parquet"], "invalid choice"),
        (["normalize", "x.json"], "required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_argparse_errors_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_usage_errors_after_parsing_are_one_line(capsys):
    assert cli.main(["list", "--region", "all", "--region", "us-east-1"]) == 2
    assert capsys.readouterr().err == "jobinventory: error: --region all cannot be combined with other regions\n"


@pytest.mark.parametrize("command", ["list", "summary", "normalize", "operations", None])
def test_help_shows_examples(capsys, command):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"] if command else ["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "jobinventory " + (command or "list") in out


def test_list_help_documents_columns_times_and_exit_status(capsys):
    with pytest.raises(SystemExit):
        cli.main(["list", "--help"])
    out = capsys.readouterr().out
    assert "created_at, updated_at, ended_at" in out
    assert "30m, 24h, 7d" in out
    assert "3 output written but some streams failed" in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert cli.main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_collection_options_are_shared():
    """list, summary (and report, when present) take the same collection flags."""
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    flags = {}
    for name in ("list", "summary", "report"):
        if name in subparsers.choices:
            flags[name] = {s for a in subparsers.choices[name]._actions for s in a.option_strings}
    shared = {"--service", "--operation", "--region", "--status", "--since", "--until", "--name-contains",
              "--profile", "--role-arn", "--org-role", "--include-account", "--exclude-account",
              "--max-workers", "--quiet", "--demo", "--endpoint-url"}
    for name, found in flags.items():
        assert shared <= found, name


def test_exit_status():
    from jobinventory.inventory import StreamResult

    ok = StreamResult(None, "us-east-1", "bedrock", "ListModelImportJobs", "answered")
    failed = StreamResult(None, "eu-west-1", "bedrock", "ListModelImportJobs", "failed")
    skipped = StreamResult(None, "ap-east-1", "bedrock", "ListModelImportJobs", "skipped")
    assert status.exit_status([], [ok, skipped]) == 0
    assert status.exit_status([], []) == 0
    assert status.exit_status(["e"], [ok, failed]) == 3
    assert status.exit_status(["e"], [failed, skipped]) == 1
    assert status.exit_status(["e"], [failed], jobs=2) == 3  # jobs read before the stream failed


def test_an_unexpected_error_is_one_line_not_a_traceback(capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("something we did not foresee\nsecond line")

    monkeypatch.setattr(operations, "run", broken)
    assert cli.main(["operations"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unexpected RuntimeError: something we did not foresee" in err


def test_library_warnings_reach_stderr_unless_quiet(capsys, monkeypatch):
    import logging

    def warns(args):
        logging.getLogger("jobinventory").warning("jobinventory: a warning for the user")
        return 0

    monkeypatch.setattr(operations, "run", warns)
    assert cli.main(["operations"]) == 0
    assert capsys.readouterr().err == "jobinventory: a warning for the user\n"
    # the handler is gone once main returns
    logging.getLogger("jobinventory").warning("not shown")
    assert capsys.readouterr().err == ""
