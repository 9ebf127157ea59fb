"""jobinventory.botosession follows botocore's own Session.create_client."""
from __future__ import annotations

import copy
import hashlib
import inspect
import random
import re

import botocore.session
import pytest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.hooks import EVENT_ALIASES, EventAliaser, HierarchicalEmitter

from jobinventory.botosession import SharedSession, _Emitter

A1, A2 = "111111111111", "222222222222"

#: sha256 of botocore 1.44's Session.create_client, which SharedSession.client repeats step by step.
CREATE_CLIENT_SHA256 = "a1302b106e49635e6929202d4830e7cb4cc7d78e037f8ff80fc9e7e38f9eb9eb"


def test_botocores_create_client_is_the_one_the_shared_session_repeats():
    source = inspect.getsource(botocore.session.Session.create_client)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == CREATE_CLIENT_SHA256, (
        "botocore's Session.create_client changed: bring jobinventory.botosession.SharedSession.client in line "
        "with it, then record its new sha256 here")


def _handler(i):
    def handler(**kwargs):
        return i

    return handler


def test_the_path_copying_emitter_calls_what_botocores_calls_through_copies_and_changes():
    """Random registrations, removals and copies on botocore's emitter and on ours: the same handlers, in order."""
    rng = random.Random(7)
    handlers = [_handler(i) for i in range(30)]

    def event():
        return ".".join(rng.choice(("before-call", "s3", "ec2", "*", "Op")) for _ in range(rng.randint(1, 4)))

    for _trial in range(60):
        theirs, ours, registered = [HierarchicalEmitter()], [_Emitter()], []
        for _step in range(50):
            which, roll = rng.randrange(len(theirs)), rng.random()
            if roll < 0.5:
                name, handler = event(), rng.choice(handlers)
                how = rng.choice(("register", "register_first", "register_last"))
                getattr(theirs[which], how)(name, handler)
                getattr(ours[which], how)(name, handler)
                registered.append((which, name, handler))
            elif roll < 0.65 and registered:
                which, name, handler = rng.choice(registered)
                theirs[which].unregister(name, handler)
                ours[which].unregister(name, handler)
            elif roll < 0.8:
                theirs.append(copy.copy(theirs[which]))
                ours.append(copy.copy(ours[which]))
            for their, our in zip(theirs, ours):
                name = event()
                assert [r for _, r in their.emit(name)] == [r for _, r in our.emit(name)]


def test_a_clients_handlers_stay_its_own():
    session = SharedSession()
    one = session.client("sts", "us-east-1", "http://127.0.0.1:9", None, None)
    two = session.client("sts", "us-east-1", "http://127.0.0.1:9", None, None)
    one.meta.events.register("jobinventory-test.sts", _handler("one"))
    assert [r for _, r in one.meta.events.emit("jobinventory-test.sts.GetCallerIdentity")].count("one") == 1
    assert "one" not in [r for _, r in two.meta.events.emit("jobinventory-test.sts.GetCallerIdentity")]
    assert "one" not in [r for _, r in session.get_component("event_emitter").emit("jobinventory-test.sts.X")]


def test_copies_of_the_aliaser_share_its_cache_and_alias_as_botocore_does():
    session = SharedSession()
    ours = copy.copy(copy.copy(session.get_component("event_emitter")))
    theirs = EventAliaser(HierarchicalEmitter())
    names = ["before-call.apigateway.GetRestApis", "creating-client-class.autoscaling.X",
             "before-parameter-build.elasticloadbalancing", "needs-retry.sts.AssumeRole", "before-send"]
    names += [f"before-call.{old}.Op" for old in EVENT_ALIASES]
    assert [ours._alias_event_name(n) for n in names] == [theirs._alias_event_name(n) for n in names]
    assert ours._alias_name_cache is session.get_component("event_emitter")._alias_name_cache
    # a handler registered under a service's old name fires for its events under the new one
    client = session.client("apigateway", "us-east-1", "http://127.0.0.1:9", None, None)
    client.meta.events.register("jobinventory-test.apigateway", _handler("old name"))
    assert [r for _, r in client.meta.events.emit("jobinventory-test.api-gateway.GetRestApis")] == ["old name"]


def _handler_without_kwargs(request):
    return request


class _Handlers:
    def without_kwargs(self, request):
        return request

    def with_kwargs(self, **kwargs):
        return "with"


def test_a_handler_without_kwargs_is_refused_at_every_registration():
    emitter = _Emitter()
    for _ in range(2):  # the refusal is not remembered as a pass
        with pytest.raises(ValueError, match="must accept keyword arguments"):
            emitter.register("before-send", _handler_without_kwargs)
        with pytest.raises(ValueError, match="must accept keyword arguments"):
            emitter.register("before-send", _Handlers().without_kwargs)
    for _ in range(2):
        emitter.register("before-send", _Handlers().with_kwargs)
    emitter.register("before-send", _handler(3))
    emitter.register("before-send", _handler(4))  # another closure of the same def
    assert [r for _, r in emitter.emit("before-send")] == ["with", "with", 3, 4]


def _credentials(key):
    return Credentials(key, "secret")


def test_clients_sharing_a_memo_sign_with_their_own_credentials_and_keep_their_own_config(fake_jobs):
    fake_jobs.set_account("AKIDMEMOONE", A1)
    fake_jobs.set_account("AKIDMEMOTWO", A2)
    fake_jobs.set_region_status("af-south-1", "not-opted-in", account_id=A2)
    session, memo = SharedSession(), {}
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    clients = [session.client("ec2", "af-south-1", fake_jobs.url, config, _credentials(key), memo)
               for key in ("AKIDMEMOONE", "AKIDMEMOTWO")]
    clients.append(session.client("ec2", "eu-west-1", fake_jobs.url, config, _credentials("AKIDMEMOONE"), memo))
    clients.append(session.client("ec2", "eu-west-1", fake_jobs.url, config, _credentials("AKIDMEMOONE")))  # no memo
    agents = []
    try:
        for client in clients:
            client.meta.events.register("before-send", lambda request, **_: agents.append(
                request.headers["User-Agent"].decode() if isinstance(request.headers["User-Agent"], bytes)
                else request.headers["User-Agent"]))
        answers = [client.describe_regions(AllRegions=True, RegionNames=["af-south-1"])["Regions"]
                   for client in clients]
    finally:
        for client in clients:
            client.close()
    assert [[(r["RegionName"], r["OptInStatus"]) for r in answer] for answer in answers] == [
        [("af-south-1", "opted-in")], [("af-south-1", "not-opted-in")], [("af-south-1", "opted-in")],
        [("af-south-1", "opted-in")]]
    assert [(r.account_id, r.region) for r in fake_jobs.requests] == [
        (A1, "af-south-1"), (A2, "af-south-1"), (A1, "eu-west-1"), (A1, "eu-west-1")]
    [kept] = memo.values()  # one session: per (service, region, endpoint URL, config), per URL, one context
    assert sorted(k if isinstance(k, str) else k[0] for k in kept) == ["args", "args", "proxies", "ssl contexts"]
    assert len(kept["ssl contexts"]) == 1
    assert [c.meta.region_name for c in clients] == ["af-south-1", "af-south-1", "eu-west-1", "eu-west-1"]
    assert len({id(c.meta.config) for c in clients}) == 4
    # The user-agent features botocore's computation registers (endpoint override, checksum modes) are
    # every memo client's too, as the client made without a memo has them.
    features = [sorted(re.search(r" m/(\S+)", agent).group(1).split(",")) for agent in agents]
    assert "N" in features[3] and features == [features[3]] * 4
