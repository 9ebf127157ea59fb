"""Accounts through moto (STS AssumeRole, Organizations) beside the fake; executors; client setup."""
from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
from typing import Iterator

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.credentials import DeferredRefreshableCredentials
from moto.server import ThreadedMotoServer

from jobinventory import ConfigurationError, collect
from jobinventory.accounts import AccountRef, organization_accounts
from jobinventory import registry
from jobinventory.clients import ClientFactory, ClientSettings
from jobinventory.testing import FakeJobServer, moto_account_resolver

from .conftest import A1, A2, expected_jobs, session_for

# fork() copies this process's server threads' locks into the child, which
# can then hang at exit; spawn starts workers clean (the default from Python 3.14).
SPAWN = multiprocessing.get_context("spawn")

JOB_SERVICES = (*registry.services(), "ec2")  # every covered service: none may go to AWS


@pytest.fixture
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        requests.post(f"{url}/moto-api/reset", timeout=10)
        yield url
    finally:
        server.stop()


@pytest.fixture
def fake_moto() -> Iterator[FakeJobServer]:
    """The fake, filing requests under the account moto issued the caller's key for."""
    server = FakeJobServer(account_resolver=moto_account_resolver).start()
    try:
        yield server
    finally:
        server.stop()


def _endpoints(moto_url: str, fake: FakeJobServer) -> dict:
    return {"sts": moto_url, "organizations": moto_url, **{s: fake.url for s in JOB_SERVICES}}


def _organization(moto_url: str) -> tuple:
    orgs = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url)
    orgs.create_organization(FeatureSet="ALL")
    ids = []
    for i in range(3):
        status = orgs.create_account(Email=f"team{i}@example.com", AccountName=f"team{i}")["CreateAccountStatus"]
        ids.append(status["AccountId"])
    orgs.close_account(AccountId=ids[2])
    management = boto3.client("sts", region_name="us-east-1", endpoint_url=moto_url).get_caller_identity()["Account"]
    return management, ids


def test_organization_accounts_lists_active_accounts_as_role_arns(moto_url):
    management, (one, two, closed) = _organization(moto_url)
    session = boto3.Session(region_name="us-east-1")

    arns = organization_accounts(session, "JobInventoryRead", endpoint_url=moto_url)
    assert arns == sorted(f"arn:aws:iam::{a}:role/JobInventoryRead" for a in (management, one, two))
    assert organization_accounts(session, "R", exclude=[management], endpoint_url=moto_url) == sorted(
        f"arn:aws:iam::{a}:role/R" for a in (one, two))
    assert organization_accounts(session, "R", include=[two, closed], endpoint_url=moto_url) == [
        f"arn:aws:iam::{two}:role/R"]
    with pytest.raises(ConfigurationError):
        organization_accounts(session, "R", include=["123"], endpoint_url=moto_url)


def test_collect_assumes_roles_from_the_organization(moto_url, fake_moto):
    management, (one, two, _closed) = _organization(moto_url)
    session = boto3.Session(region_name="us-east-1")
    arns = organization_accounts(session, "JobInventoryRead", exclude=[management], endpoint_url=moto_url)
    fake_moto.seed(["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"], accounts=[one, two], jobs_per_stream=5)

    inv = collect(session, accounts=arns, services=["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"],
                  endpoint_url=_endpoints(moto_url, fake_moto))

    assert inv.errors == []
    assert inv.jobs == expected_jobs(fake_moto)
    assert {s.account for s in inv.streams} == {one, two}
    assert {j.account_id for j in inv.jobs} == {one, two}
    # the fake saw each account's own temporary keys, not the base session's
    keys = {r.access_key_id for r in fake_moto.requests if r.operation != "DescribeRegions"}
    assert "testing" not in keys and len(keys) == 2


def test_assumed_role_credentials_refresh(moto_url):
    arn = f"arn:aws:iam::{A1}:role/Reader"
    factory = ClientFactory(ClientSettings(endpoint_url={"sts": moto_url}), boto3.Session(region_name="us-east-1"))
    ref = AccountRef("role", role_arn=arn, account_id=A1, partition="aws")
    try:
        factory.client(ref, "us-east-1", "forecast")
        creds = factory._account(ref).credentials
        assert isinstance(creds, DeferredRefreshableCredentials)
        first = creds.get_frozen_credentials().access_key
        # expire them, and the fetcher's cached AssumeRole answer with them
        creds._refresh_using.__self__._cache.clear()
        creds._expiry_time = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
        assert creds.get_frozen_credentials().access_key != first
    finally:
        factory.close()


def test_a_role_that_cannot_be_assumed_fails_its_streams_only(fake_moto):
    fake_moto.seed(["dataexchange"], regions=["us-east-1"], jobs_per_stream=2)
    good = f"arn:aws:iam::{A1}:role/Reader"
    # STS does not answer: AssumeRole fails inside the stream, which fails alone
    inv = collect(accounts=[good], services=["dataexchange"], regions=["us-east-1"],
                  endpoint_url={"sts": "http://127.0.0.1:9", **{s: fake_moto.url for s in JOB_SERVICES}},
                  max_attempts=1)
    [error] = inv.errors
    assert error.account == A1 and error.kind == "region_unavailable"  # STS did not answer
    assert inv.streams[0].state == "failed"


def test_process_pool_gives_the_thread_pool_inventory(fake):
    fake.seed(["forecast", "dataexchange"], regions=["us-east-1", "us-west-2"], jobs_per_stream=120, seed=4)
    kwargs = dict(services=["forecast", "dataexchange"], regions=["us-east-1", "us-west-2"], endpoint_url=fake.url)
    threads = collect(**kwargs)
    with ProcessPoolExecutor(2, mp_context=SPAWN) as pool:
        processes = collect(**kwargs, executor=pool)
    assert processes.errors == threads.errors == []
    assert processes.jobs == threads.jobs == expected_jobs(fake)
    assert processes.streams == threads.streams


def test_process_pool_assumes_roles_inside_the_workers(moto_url, fake_moto):
    fake_moto.seed(["bedrock"], regions=["us-west-2"], accounts=[A1, A2], jobs_per_stream=3)
    arns = [f"arn:aws:iam::{a}:role/Reader" for a in (A1, A2)]
    kwargs = dict(accounts=arns, services=["bedrock"], regions=["us-west-2"],
                  endpoint_url=_endpoints(moto_url, fake_moto))
    with ProcessPoolExecutor(2, mp_context=SPAWN) as pool:
        processes = collect(**kwargs, executor=pool)
    threads = collect(**kwargs)
    assert processes.errors == [] and processes.jobs == threads.jobs == expected_jobs(fake_moto)
    assert {j.account_id for j in processes.jobs} == {A1, A2}


def test_an_executor_refuses_what_cannot_travel(fake):
    with ProcessPoolExecutor(1, mp_context=SPAWN) as pool:
        with pytest.raises(ConfigurationError, match="Sessions"):
            collect(accounts=[session_for(A1)], endpoint_url=fake.url, executor=pool)
        explicit = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1")
        with pytest.raises(ConfigurationError, match="explicit keys"):
            collect(explicit, endpoint_url=fake.url, executor=pool)


def test_client_settings():
    config = ClientSettings(retry_mode="adaptive", max_attempts=7, per_key=8).config()
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    assert config.max_pool_connections >= 8
    assert config.connect_timeout and config.read_timeout
    assert ClientSettings(endpoint_url={"sts": "http://a"}).endpoint_for("sts") == "http://a"
    assert ClientSettings(endpoint_url={"sts": "http://a"}).endpoint_for("ec2") is None
    assert ClientSettings(endpoint_url="http://b").endpoint_for("ec2") == "http://b"


def test_one_client_per_account_region_service(fake):
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url))
    ref = AccountRef("default")
    try:
        a = factory.client(ref, "us-east-1", "bedrock")
        assert factory.client(ref, "us-east-1", "bedrock") is a
        assert factory.client(ref, "us-west-2", "bedrock") is not a
        # a key's streams are its service's operations: its connection pool holds as many, no more
        assert a.meta.config.max_pool_connections == len(registry.specs_for("bedrock")) < 64
        assert factory.client(ref, "us-east-1", "sts").meta.config.max_pool_connections == 2
        parser = a._endpoint._response_parser_factory if hasattr(a._endpoint, "_response_parser_factory") else None
        assert parser is None or parser._defaults["timestamp_parser"].__name__ == "parse_wire_timestamp"
    finally:
        factory.close()


# -- one botocore session for many accounts (jobinventory.botosession) -------------------


def test_accounts_of_one_session_share_it_and_sign_with_their_own_keys(fake):
    sessions = [session_for(A1), session_for(A2)]
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url), sessions[0], sessions)
    one, two = AccountRef("session", session_index=0), AccountRef("session", session_index=1)
    try:
        a, b = factory.client(one, "us-east-1", "bedrock"), factory.client(two, "us-east-1", "bedrock")
        assert a is not b and type(a) is type(b)  # one client class per service, built once
        assert a.meta.service_model is b.meta.service_model
        assert factory._account(one).session is factory._account(two).session
        fake.reset_log()
        b.list_model_import_jobs()
        a.list_model_import_jobs()
        b.list_model_import_jobs()
    finally:
        factory.close()
    assert [(r.access_key_id, r.account_id) for r in fake.requests] == [
        ("AKIDACCOUNTTWO", A2), ("AKIDACCOUNTONE", A1), ("AKIDACCOUNTTWO", A2)]


def test_a_ready_sessions_default_config_goes_into_its_own_clients_only(fake):
    """Clients share their (service, default config)'s config object, so botocore's settings are computed once."""
    own = session_for(A2)
    own._session.set_default_client_config(Config(user_agent_appid="team-two", read_timeout=99))
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url, max_attempts=1), session_for(A1), [own])
    refs = [AccountRef("default"), AccountRef("session", session_index=0)]
    try:
        clients = [factory.client(ref, region, "bedrock") for ref in refs for region in ("us-east-1", "eu-west-1")]
        fake.reset_log()
        for client in clients:
            client.list_model_import_jobs()
    finally:
        factory.close()
    assert [c.meta.config.user_agent_appid for c in clients] == [None, None, "team-two", "team-two"]
    assert [c.meta.config.read_timeout for c in clients] == [20.0] * 4  # the collection's settings win
    assert [(r.account_id, r.region) for r in fake.requests] == [
        (A1, "us-east-1"), (A1, "eu-west-1"), (A2, "us-east-1"), (A2, "eu-west-1")]


def test_roles_are_assumed_through_one_sts_client_and_sign_with_their_own_keys(moto_url, fake_moto):
    ids = [A1, A2]
    settings = ClientSettings(endpoint_url=_endpoints(moto_url, fake_moto))
    factory = ClientFactory(settings, boto3.Session(region_name="us-east-1"))
    refs = [AccountRef("role", role_arn=f"arn:aws:iam::{i}:role/R", account_id=i, partition="aws") for i in ids]
    try:
        for ref in refs + refs[::-1]:
            factory.client(ref, "us-east-1", "bedrock").list_model_import_jobs()
        assert list(factory._sts) == ["us-east-1"]
    finally:
        factory.close()
    seen = [(r.account_id, r.access_key_id) for r in fake_moto.requests]
    assert [account for account, _ in seen] == ids + ids[::-1]
    assert seen[:2] == seen[2:][::-1] and seen[0][1] != seen[1][1] and "testing" not in {k for _, k in seen}


def test_a_refreshed_role_signs_its_next_request_with_its_new_key(moto_url, fake_moto):
    account = A1
    settings = ClientSettings(endpoint_url=_endpoints(moto_url, fake_moto))
    factory = ClientFactory(settings, boto3.Session(region_name="us-east-1"))
    ref = AccountRef("role", role_arn=f"arn:aws:iam::{account}:role/R", account_id=account, partition="aws")
    try:
        client = factory.client(ref, "us-east-1", "bedrock")
        client.list_model_import_jobs()
        creds = factory._account(ref).credentials
        creds._refresh_using.__self__._cache.clear()
        creds._expiry_time = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
        client.list_model_import_jobs()
        assert factory.client(ref, "us-east-1", "bedrock") is client
    finally:
        factory.close()
    [first, second] = fake_moto.requests
    assert first.account_id == second.account_id == account
    assert first.access_key_id != second.access_key_id
