"""pytest fixture ``fake_jobs``: a started :class:`FakeJobServer` per test.

Registered through the ``pytest11`` entry point once the package is
installed (``pip install -e .``); before that, run pytest with
``-p jobinventory.testing.pytest_plugin``.

The fixture starts a fresh server on 127.0.0.1, sets (through monkeypatch,
undone after the test) ``AWS_ENDPOINT_URL`` to it, dummy credentials,
``AWS_DEFAULT_REGION=us-east-1`` and ``AWS_EC2_METADATA_DISABLED=true``,
clears any profile and per-service endpoint variables, and stops the server
after the test even when it fails. Every boto3 client created in the test
then talks to the fake, STS and EC2 included::

    def test_lists(fake_jobs):
        fake_jobs.seed(["bedrock"], regions=["us-west-2"], jobs_per_stream=3)
        client = boto3.client("bedrock", region_name="us-west-2")
        assert len(client.list_model_import_jobs()["modelImportJobSummaries"]) == 3

The fake and moto side by side
------------------------------
botocore reads ``AWS_ENDPOINT_URL_<SERVICE>`` (the service id in upper case,
spaces as underscores) before ``AWS_ENDPOINT_URL``. To let moto answer STS
(AssumeRole across accounts) while the fake answers the job APIs::

    from moto.server import ThreadedMotoServer
    from jobinventory.testing import FakeJobServer, moto_account_resolver

    moto = ThreadedMotoServer(port=0); moto.start()
    host, port = moto.get_host_and_port()
    fake = FakeJobServer(account_resolver=moto_account_resolver).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://{host}:{port}")
    monkeypatch.setenv("AWS_ENDPOINT_URL_IAM", f"http://{host}:{port}")
    for service in ("FORECAST", "PERSONALIZE", "DATAEXCHANGE", "BEDROCK", "EC2"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", fake.url)

``moto_account_resolver`` files each request under the account moto issued
the caller's temporary key for (it looks the key up in moto's in-process
backends), so seeding ``account_id="111111111111"`` and assuming a role in
that account lists those jobs. Inside ``with mock_aws():`` moto intercepts
every request in-process, the fake's too: use the server form above.
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from .server import FakeJobServer

_CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")


@pytest.fixture
def fake_jobs(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[FakeJobServer]:
    """A running FakeJobServer, with the environment pointing boto3 at it."""
    fake = FakeJobServer()
    fake.start()
    try:
        for name in _CLEARED:
            monkeypatch.delenv(name, raising=False)
        for name in list(os.environ):
            if name.startswith("AWS_ENDPOINT_URL_"):
                monkeypatch.delenv(name)
        # No stray ~/.aws files: point the config at empty files.
        empty = tmp_path / "aws-empty-config"
        empty.write_text("")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("NO_PROXY", ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"])))
        yield fake
    finally:
        fake.stop()
