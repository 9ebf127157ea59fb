"""The commands of `jobinventory`: one module per command, found through `COMMANDS`.

To add a command NAME:

1. write `commands/NAME.py` (`iam-policy` -> `iam_policy.py`) with
   - `HELP`: one line, lower case, no full stop ("list every job"); the
     command's description is the same, capitalised, with a full stop;
   - `SUMMARY`: its line in `jobinventory --help`'s list of commands;
   - `EPILOG`: examples (and exit status) shown by `jobinventory NAME --help`;
   - `add_arguments(parser)`: its options; reuse the groups of
     `jobinventory.cli.options` (`add_collection_options`, or just
     `add_selection_options`, `add_account_options`...) so a flag means the
     same in every command;
   - `run(args) -> int`: parse what is left, call the library, write; return
     the exit status (`jobinventory.cli.status`). Collect with
     `jobinventory.cli.context.run_collection(args)` or `collection(args)`.
     Import heavy modules inside `run`, so `--help` stays fast.
2. add one line to `COMMANDS` below.

A command imports from `jobinventory.cli` (options, context, progress,
status, writing) and the library; nothing in `jobinventory.cli` imports a
command except through this table. Rendering belongs in the library or in
`jobinventory.export`, not in the command.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Dict

__all__ = ["COMMANDS", "load"]

#: Command name -> its module in this package, in the order `jobinventory --help` lists them.
COMMANDS: Dict[str, str] = {
    "list": "list",
    "summary": "summary",
    "normalize": "normalize",
    "operations": "operations",
    "report": "report",
    "sync": "sync",
    "changes": "changes",
    "schema": "schema",
    "serve": "serve",
    "iam-policy": "iam_policy",
}


def load(name: str) -> ModuleType:
    """The module of command `name` (imported on first use)."""
    return importlib.import_module(f"{__name__}.{COMMANDS[name]}")
