"""The demo's jobs move on between syncs (jobinventory.testing.evolve)."""
from __future__ import annotations

import datetime as dt

from jobinventory import JobStatus, collect, demo
from jobinventory.testing import FakeJobServer, get_operation, seed_demo
from jobinventory.testing.evolve import Moves, move_on
from jobinventory.testing.validation import summary_problems

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(minutes=5)


def _listed(target) -> dict:
    inventory = collect(session=target.session, endpoint_url=target.endpoint_url, regions=list(target.regions))
    assert inventory.errors == []
    return {(job.service, job.job_id): job for job in inventory.jobs}


def test_running_jobs_end_some_fail_and_new_ones_start():
    with demo.running(now=NOW) as target:
        before = _listed(target)
        totals = Moves()
        for step in (1, 2, 3):
            at = NOW + step * STEP
            moves = target.move_on(step, now=at)
            after = _listed(target)
            changed = {k: (before[k].status, after[k].status) for k in before.keys() & after.keys()
                       if before[k].status != after[k].status}
            assert all(old.is_active and new.is_terminal for old, new in changed.values())
            ends = [new for _, new in changed.values()]
            assert (ends.count(JobStatus.SUCCEEDED), ends.count(JobStatus.FAILED), ends.count(JobStatus.STOPPED)) \
                == (moves.succeeded, moves.failed, moves.stopped)
            for key in changed:  # same job, same creation, ended now
                assert after[key].created_at == before[key].created_at
                assert after[key].name == before[key].name
                assert after[key].updated_at in (at, None)
            new = [after[k] for k in after.keys() - before.keys()]
            assert len(new) == moves.started
            assert all(job.status.is_active and job.created_at == at for job in new)
            gone = [before[k] for k in before.keys() - after.keys()]
            assert len(gone) == moves.gone
            assert all(job.status is JobStatus.DELETING or job.status.is_terminal for job in gone)
            before, totals = after, totals + moves
        assert totals.failed > 0 and totals.succeeded > 0 and totals.started > 0


def test_moved_jobs_are_what_aws_could_send():
    with FakeJobServer() as fake:
        seed_demo(fake, now=NOW)
        for step in range(1, 6):
            move_on(fake, step=step, now=NOW + step * STEP)
        for service, operation, region, account in fake.streams():
            spec = get_operation(service, operation)
            for summary in fake.jobs(service, operation, region=region, account_id=account):
                assert summary_problems(spec.summary_shape, summary) == []


def _moved(seed: int, steps: int) -> list:
    with FakeJobServer() as fake:
        seed_demo(fake, now=NOW)
        moves = [move_on(fake, step=s, seed=seed, now=NOW + s * STEP) for s in range(1, steps + 1)]
        return [moves] + [fake.jobs(s, o, region=r, account_id=a) for s, o, r, a in fake.streams()]


def test_moves_are_deterministic_given_seed_step_and_time():
    assert _moved(7, 3) == _moved(7, 3)
    assert _moved(7, 3) != _moved(8, 3)


def test_streams_never_grow():
    with FakeJobServer() as fake:
        seed_demo(fake, now=NOW)
        sizes = {key: fake.job_count(*key) for key in fake.streams()}
        for step in range(1, 31):
            move_on(fake, step=step, now=NOW + step * STEP)
        assert all(fake.job_count(*key) <= size for key, size in sizes.items())
