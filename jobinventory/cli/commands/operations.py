"""`jobinventory operations`: the covered services and operations, with their regions."""
from __future__ import annotations

import argparse
import sys

from ..options import service_list
from ..status import EXIT_OK

HELP = "show the covered services and operations"
SUMMARY = "the covered services and operations, with their regions"

EPILOG = """\
examples:
  jobinventory operations
  jobinventory operations --service personalize --format json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...export.catalog import FORMATS

    parser.add_argument("--service", dest="services", action="extend", type=service_list, metavar="NAME",
                        help="only this service; repeatable")
    parser.add_argument("-f", "--format", choices=FORMATS, default="table", help="default: table")


def run(args: argparse.Namespace) -> int:
    from ...export import catalog
    from ...covered import covered_operations

    rows = covered_operations()
    if args.services:
        rows = [row for row in rows if row.service in args.services]
    catalog.write(rows, args.format, sys.stdout)
    return EXIT_OK
