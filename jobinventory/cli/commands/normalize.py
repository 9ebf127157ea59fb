"""`jobinventory normalize`: a saved List response as canonical records."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ...errors import NormalizationError
from ..context import s3_client
from ..status import say
from ..options import account_list, add_output_option
from ..status import EXIT_OK, UsageError
from ..writing import check_output, write_options

HELP = "turn a saved List response into canonical records"
SUMMARY = "a saved List response (boto3 or AWS CLI JSON) as canonical records"

EPILOG = """\
examples:
  aws forecast list-dataset-import-jobs > saved.json
  jobinventory normalize saved.json --service forecast --operation ListDatasetImportJobs
  aws bedrock list-model-import-jobs | jobinventory normalize - --service bedrock \\
      --operation ListModelImportJobs --format table

FILE is a whole List response (with its list key, e.g. DatasetImportJobs) or a
bare list of summaries, as boto3 or the AWS CLI gives it; `-` reads stdin.
Malformed JSON, a wrong list key or a summary that cannot be read: exit 2 and one
line naming the file, the item index and the field.
"""


def _one_account(text: str) -> str:
    found = account_list(text)
    if len(found) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one 12-digit AWS account id")
    return found[0]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...export import FORMATS

    parser.add_argument("file", metavar="FILE", help="saved response (JSON); - for stdin")
    parser.add_argument("--service", required=True, help="boto3 service name, e.g. forecast")
    parser.add_argument("--operation", required=True, help="List operation, e.g. ListDatasetImportJobs")
    parser.add_argument("-f", "--format", choices=list(FORMATS), default="jsonl", help="default: jsonl")
    parser.add_argument("--region", dest="region_hint", metavar="REGION",
                        help="region of the jobs, where their ARNs do not say")
    parser.add_argument("--account-id", dest="account_hint", type=_one_account, metavar="ID",
                        help="account of the jobs, where their ARNs do not say")
    add_output_option(parser)


def _read_json(path: str) -> Any:
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise UsageError(f"{name}: JSON nested too deeply to be a saved List response") from None


def _jobs(args: argparse.Namespace, name: str, data: Any) -> list:
    from ...normalize import normalize, summaries_of

    try:
        summaries = summaries_of(args.service, args.operation, data)
    except NormalizationError as exc:
        raise UsageError(f"{name}: {exc}") from None
    jobs = []
    for index, summary in enumerate(summaries):
        try:
            jobs.append(normalize(args.service, args.operation, summary,
                                  region=args.region_hint, account_id=args.account_hint))
        except NormalizationError as exc:
            field = f" field {exc.field!r}" if exc.field else ""
            raise UsageError(
                f"{name}: item {index}{field}: {exc.reason} ({args.service} {args.operation})"
            ) from None
        except RecursionError:
            raise UsageError(f"{name}: item {index}: nested too deeply ({args.service} {args.operation})") from None
    _warn_if_one_page_of_more(args, name, data)
    return jobs


def _warn_if_one_page_of_more(args: argparse.Namespace, name: str, data: Any) -> None:
    """A saved response that still has a next-page token is one page of more: say so on stderr."""
    from ...paging import page_plan

    token_key = page_plan(args.service, args.operation).output_token
    if isinstance(data, dict) and token_key and data.get(token_key):
        say(f"warning: {name} has a {token_key}: it is one page of a longer list, the jobs of the "
            "other pages are not in the output")


def run(args: argparse.Namespace) -> int:
    from ... import export
    from ...export.output import Output, parse_target

    fmt = export.get_format(args.format)
    target = parse_target(args.output)
    check_output(fmt, target)
    name = "<stdin>" if args.file == "-" else args.file
    data = _read_json(args.file)
    client = s3_client(args, target)
    jobs = _jobs(args, name, data)
    with Output(target, binary=fmt.binary, terminal=fmt.name == "table", content_type=fmt.content_type,
                s3_client=client) as stream:
        fmt.writer().write(jobs, stream, **write_options(fmt, target))
    return EXIT_OK
