"""Run by test_concurrency in a child process: a sync that stops mid-transaction and waits to be killed.

argv: store URL. The child syncs the "second" inventory of
test_concurrency and, once the jobs are written and the changes are about
to be, prints "writing" and sleeps until killed.
"""
from __future__ import annotations

import sys
import time

from sqlalchemy import event

from jobinventory.store import open_store

from helpers import inventory, job, later  # this directory is sys.path[0]


def second_inventory():
    return inventory([job(n, "FAILED", message="killed") for n in range(1, 41)] + [job(99)], at=later(1))


def main(url: str) -> None:
    store = open_store(url)

    def pause(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("INSERT INTO JOB_CHANGES"):
            print("writing", flush=True)
            time.sleep(3600)

    event.listen(store.engine, "before_cursor_execute", pause)
    store.sync(second_inventory(), filtered=False)
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
