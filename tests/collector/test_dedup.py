"""A job listed again across a page boundary is yielded and counted once; memory holds two pages of ids."""
from __future__ import annotations

import datetime as dt

from jobinventory import collect, iter_jobs
from jobinventory.dedup import PageWindow
from jobinventory.testing import FaultRule

OP = ("forecast", "ListDatasetImportJobs")


def test_a_window_remembers_the_previous_and_the_current_page_only():
    window = PageWindow()
    window.next_page()
    assert [window.fresh(i) for i in ("a", "b", "a")] == [True, True, False]
    window.next_page()
    assert [window.fresh(i) for i in ("b", "c")] == [False, True]
    window.next_page()
    assert [window.fresh(i) for i in ("c", "a")] == [False, True]  # "a" was two pages ago
    assert len(window) == 2  # {"c"} and {"a"}: two pages, never the whole stream


def _newest(fake):
    newest = dict(fake.jobs(*OP)[0])
    newest["DatasetImportJobArn"] += "-new"
    newest["CreationTime"] += dt.timedelta(minutes=1)
    return newest


def test_a_job_pushed_onto_the_next_page_while_listing_is_yielded_once(fake):
    fake.seed([OP], regions=["us-east-1"], jobs_per_stream=150)
    expected = {j["DatasetImportJobArn"] for j in fake.jobs(*OP)}
    # Page 2 is answered after 0.5 s: the job created meanwhile pushes page 1's last job onto it.
    fake.add_fault(FaultRule("latency", latency=0.5, after_page=1))
    arns, added = [], False
    it = iter_jobs(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url)
    for job in it:
        if not added:
            fake.add_jobs(*OP, [_newest(fake)], region="us-east-1")
            added = True
        arns.append(job.arn)
    pages = [r for r in fake.requests if r.operation == OP[1]]
    assert [r.items for r in pages] == [100, 51]  # the listing did shift: 151 items for 150 jobs
    assert len(arns) == len(set(arns)) == 150 and set(arns) == expected
    assert [(s.jobs, s.pages) for s in it.streams] == [(150, 2)]


def test_collect_keeps_the_repeated_job_once(fake):
    fake.seed([OP], regions=["us-east-1"], jobs_per_stream=150)
    fake.add_fault(FaultRule("latency", latency=0.5, after_page=1))
    newest = _newest(fake)

    def add_once(progress):
        if progress.jobs and not fake.job_count(*OP) > 150:
            fake.add_jobs(*OP, [newest], region="us-east-1")

    inv = collect(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url,
                  progress=add_once)
    assert len(inv.jobs) == 150 and newest["DatasetImportJobArn"] not in {j.arn for j in inv.jobs}
    assert [(s.jobs, s.pages) for s in inv.streams] == [(150, 2)]
