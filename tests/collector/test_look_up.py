"""Each account's look-up (jobinventory.planning.look_up): EC2 DescribeRegions only where it can tell something."""
from __future__ import annotations

from jobinventory import executors
from jobinventory.accounts import AccountRef
from jobinventory.clients import ClientFactory, ClientSettings
from jobinventory.executors import LookupBatch, run_lookups
from jobinventory.planning import EnabledEverywhere, candidate_regions, look_up
from jobinventory.regions import region_statuses, service_regions
from jobinventory.testing.callers import ALWAYS_ENABLED

from .conftest import A1, A2, session_for

BEDROCK = [("bedrock", "ListModelImportJobs")]


def _asked(fake):
    """(account, regions answered) of each DescribeRegions, in order."""
    return [(r.account_id, r.items) for r in fake.requests if r.operation == "DescribeRegions"]


def _look_up(fake, regions, accounts=(A1, A2)):
    """Accounts as ready sessions, one at a time (threads=1), in order."""
    sessions = [session_for(a) for a in accounts]
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url, max_attempts=1), sessions[0], sessions)
    refs = [AccountRef("session", session_index=i) for i in range(len(sessions))]
    try:
        return look_up(factory, refs, 1, everywhere=EnabledEverywhere(candidate_regions(BEDROCK, regions)))
    finally:
        factory.close()


def test_regions_enabled_in_every_account_need_one_describe_regions(fake):
    plans = _look_up(fake, ["us-east-1", "eu-west-1"], accounts=(A1, A2, A1))
    assert [p.ref.account_id for p in plans] == [A1, A2, A1]
    assert [p.not_enabled for p in plans] == [frozenset(), frozenset(), frozenset()]
    [asked] = [r for r in fake.requests if r.operation == "DescribeRegions"]
    assert asked.account_id == A1


def test_an_opt_in_region_among_the_candidates_is_asked_of_every_account(fake):
    fake.set_region_status("me-central-1", "not-opted-in", account_id=A2)
    plans = _look_up(fake, ["us-east-1", "me-central-1"])
    assert [p.not_enabled for p in plans] == [frozenset(), frozenset({"me-central-1"})]
    # The first asks about both candidates; the second only about the one that can differ.
    assert _asked(fake) == [(A1, 2), (A2, 1)]


def test_every_offered_region_includes_opt_in_ones_so_every_account_asks(fake):
    fake.set_region_status("il-central-1", "not-opted-in", account_id=A2)
    plans = _look_up(fake, None)
    assert [sorted(p.not_enabled) for p in plans] == [[], ["il-central-1"]]
    offered = service_regions("bedrock")
    opt_in = [r for r in offered if r not in ALWAYS_ENABLED]
    assert opt_in and len(opt_in) < len(offered)
    assert _asked(fake) == [(A1, len(offered)), (A2, len(opt_in))]


def test_region_statuses_asks_about_the_regions_named(fake):
    ec2 = session_for(A1).client("ec2", endpoint_url=fake.url)
    fake.set_region_status("af-south-1", "not-opted-in", account_id=A1)
    try:
        named = region_statuses(ec2, ["af-south-1", "us-east-1", "xx-nowhere-1"])
        every = region_statuses(ec2)
    finally:
        ec2.close()
    assert named == {"af-south-1": "not-opted-in", "us-east-1": "opt-in-not-required"}
    assert every["af-south-1"] == "not-opted-in" and every["me-central-1"] == "opted-in"
    assert _asked(fake) == [(A1, 2), (A1, len(every))]


def test_after_a_failed_describe_regions_the_next_account_still_asks(fake):
    fake.inject(operation="DescribeRegions", account_id=A1, access_denied=True)
    plans = _look_up(fake, ["us-east-1"])
    assert [p.not_enabled for p in plans] == [None, frozenset()]  # None: unknown, every region is listed
    assert _asked(fake) == [(A1, None), (A2, 1)]


def test_a_workers_later_look_ups_of_a_run_use_what_its_first_learnt(fake):
    settings = ClientSettings(endpoint_url=fake.url, max_attempts=1)
    wanted = dict(pairs=tuple(BEDROCK), regions=("us-east-1",))
    batches = [LookupBatch((AccountRef("default"),), settings, run_id="run-1", **wanted),
               LookupBatch((AccountRef("default"),), settings, run_id="run-1", **wanted),
               LookupBatch((AccountRef("default"),), settings, run_id="run-1b"),  # no regions said: it asks
               LookupBatch((AccountRef("default"),), settings, run_id="run-2", **wanted)]  # another run asks
    try:
        plans = [run_lookups(batch)[0] for batch in batches]
    finally:
        for batch in batches:
            run = executors._runs.pop((batch.run_id, batch.source, settings), None)
            if run is not None:
                run.factory.close()
    assert [[p.not_enabled for p in got] for got in plans] == [[frozenset()]] * 4
    assert fake.count(operation="DescribeRegions") == 3
