"""The collector's botocore sessions: one per (profile, region) for the process, renewed with the config files."""
from __future__ import annotations

import os

import boto3
import pytest

from jobinventory import collect, sessions
from jobinventory.sessions import MAX_SESSIONS, shared_session
from jobinventory.testing import FakeJobServer


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config"
    path.write_text("[profile team]\nregion = eu-west-1\nmax_attempts = 4\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    sessions.clear()
    yield path
    sessions.clear()


def test_one_session_per_profile_and_region_for_the_process(config_file):
    first = shared_session("team", "eu-west-1")
    assert shared_session("team", "eu-west-1") is first
    assert shared_session("team", "us-east-1") is not first
    assert shared_session(None, "eu-west-1") is not first
    assert first.get_scoped_config()["max_attempts"] == "4"
    assert first.get_config_variable("region") == "eu-west-1"


def test_an_edited_or_another_config_file_gets_a_new_session(config_file, tmp_path, monkeypatch):
    first = shared_session("team", None)
    config_file.write_text("[profile team]\nregion = eu-west-1\nmax_attempts = 7\n")
    stat = os.stat(config_file)
    os.utime(config_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later modification time
    edited = shared_session("team", None)
    assert edited is not first and edited.get_scoped_config()["max_attempts"] == "7"
    other = tmp_path / "other"
    other.write_text("[profile team]\nmax_attempts = 2\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(other))
    moved = shared_session("team", None)
    assert moved is not edited and moved.get_scoped_config()["max_attempts"] == "2"


def test_at_most_max_sessions_are_kept_the_oldest_go(config_file):
    first = shared_session(None, "region-0")
    for i in range(1, MAX_SESSIONS + 1):
        shared_session(None, f"region-{i}")
    assert len(sessions._sessions) == MAX_SESSIONS
    assert shared_session(None, "region-0") is not first


def test_two_collects_share_the_session_and_each_signs_with_its_own_keys(config_file):
    with FakeJobServer() as fake:
        fake.seed([("forecast", "ListPredictors")], regions=["us-east-1"], jobs_per_stream=3)
        seen = []
        for key in ("AKIDFIRST", "AKIDSECOND"):
            sess = boto3.Session(aws_access_key_id=key, aws_secret_access_key="s", region_name="us-east-1")
            fake.reset_log()
            inv = collect(sess, operations=["forecast:ListPredictors"], regions=["us-east-1"], endpoint_url=fake.url)
            assert len(inv.jobs) == 3 and not inv.errors
            seen.append({r.access_key_id for r in fake.requests if r.operation == "ListPredictors"})
        assert seen == [{"AKIDFIRST"}, {"AKIDSECOND"}]
        assert len(sessions._sessions) == 1  # both collects' clients came from one session
