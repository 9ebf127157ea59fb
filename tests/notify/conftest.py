"""Fixtures: moto's server (EventBridge, SNS, SQS) and the local receivers, each stopped by its handle."""
from __future__ import annotations

import json
import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

from .servers import PutEventsProxy, WebhookReceiver


@pytest.fixture(scope="session")
def moto_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto_url(moto_server):
    """moto's endpoint, emptied before the test."""
    urllib.request.urlopen(urllib.request.Request(moto_server + "/moto-api/reset", method="POST"), timeout=10).close()
    return moto_server


@pytest.fixture
def aws(moto_url):
    """boto3 clients on moto for the test's own setup and reading back."""
    def client(service: str):
        return boto3.client(service, region_name="us-east-1", endpoint_url=moto_url)
    return client


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def events_proxy(moto_url):
    server = PutEventsProxy(moto_url)
    try:
        yield server
    finally:
        server.stop()


def drain(sqs, queue_url: str, expected: int):
    """Every message of the queue (waits for `expected`, then makes sure no more came)."""
    bodies = []
    for _ in range(20):
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        for message in got:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if not got and len(bodies) >= expected:
            break
    return bodies


@pytest.fixture(params=("sqlite", "postgresql"))
def store_url(request, tmp_path) -> str:
    """An empty store's URL: an SQLite file, or a fresh schema of the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'inventory.db'}"
    return request.getfixturevalue("postgres_server").create_schema()


@pytest.fixture
def store(store_url):
    from jobinventory.store import open_store

    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
