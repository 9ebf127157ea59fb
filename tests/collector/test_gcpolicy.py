"""The cyclic GC is relaxed while a collection runs, and the process's thresholds come back after."""
from __future__ import annotations

import gc
import threading

import pytest

from jobinventory import collect, iter_jobs
from jobinventory.gcpolicy import YOUNG_THRESHOLD, relaxed_gc

OP = ("forecast", "ListDatasetImportJobs")


@pytest.fixture
def thresholds():
    """The process's thresholds, put back whatever the test does to them."""
    saved = gc.get_threshold()
    enabled = gc.isenabled()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)
    if enabled:
        gc.enable()


def test_the_young_threshold_is_raised_for_the_block_and_restored(thresholds):
    gc.set_threshold(800, 11, 12)
    with relaxed_gc():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 11, 12)
        with relaxed_gc():  # nested: still relaxed
            assert gc.get_threshold() == (YOUNG_THRESHOLD, 11, 12)
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 11, 12)
    assert gc.get_threshold() == (800, 11, 12)


def test_thresholds_set_meanwhile_by_someone_else_stand(thresholds):
    with relaxed_gc():
        gc.set_threshold(5000, 20, 20)
    assert gc.get_threshold() == (5000, 20, 20)


def test_a_collector_turned_off_or_already_relaxed_is_left_alone(thresholds):
    gc.set_threshold(0, 10, 10)
    with relaxed_gc():
        assert gc.get_threshold() == (0, 10, 10)
    gc.set_threshold(YOUNG_THRESHOLD * 2, 10, 10)
    with relaxed_gc():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 2
    assert gc.get_threshold() == (YOUNG_THRESHOLD * 2, 10, 10)


def test_overlapping_blocks_on_two_threads_restore_once_both_end(thresholds):
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def other():
        with relaxed_gc():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.get_threshold()[0])

    thread = threading.Thread(target=other)
    thread.start()
    first_in.wait(5)
    with relaxed_gc():
        pass
    second_done.set()  # this thread's block ended first: the other's still holds
    thread.join(5)
    assert seen == [YOUNG_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)


def test_iter_jobs_runs_relaxed_and_restores_when_exhausted(thresholds, fake):
    fake.seed([OP], regions=["us-east-1"], jobs_per_stream=250)
    during = []
    it = iter_jobs(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url)
    count = 0
    for _job in it:
        count += 1
        during.append(gc.get_threshold()[0])
    assert count == 250 and set(during) == {YOUNG_THRESHOLD}
    assert gc.get_threshold() == (700, 10, 10)


def test_iter_jobs_closed_early_restores(thresholds, fake):
    fake.seed([OP], regions=["us-east-1"], jobs_per_stream=250)
    it = iter_jobs(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url)
    next(it)
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    it.close()
    assert gc.get_threshold() == (700, 10, 10)


def test_collect_restores_the_thresholds_after(thresholds, fake):
    fake.seed([OP], regions=["us-east-1"], jobs_per_stream=120)
    seen = []
    inv = collect(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url,
                  progress=lambda p: seen.append(gc.get_threshold()[0]))
    assert len(inv.jobs) == 120 and not inv.errors
    assert YOUNG_THRESHOLD in seen
    assert gc.get_threshold() == (700, 10, 10)
