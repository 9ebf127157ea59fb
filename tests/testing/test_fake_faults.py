"""Injected faults surface as the botocore errors a real service would cause."""
from __future__ import annotations

import threading

import boto3
import botocore.retries.standard
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from jobinventory.testing import FakeJobServer, FaultRule

from .conftest import ALL_OPS, by_op, call, client_for

def _expect(spec, client, code, rest_status, json_status=400):
    """The botocore exception class for ``code`` and the HTTP status the protocol uses."""
    status = json_status if spec.protocol == "json" else rest_status
    cls = getattr(client.exceptions, code, ClientError)
    return cls, status


@pytest.fixture
def backoff_scales(monkeypatch):
    """Retry at once, recording botocore's base scale: 1 for throttling, 0.05 otherwise."""
    scales = []

    def delay(self, context):
        scales.append(self._get_base_scale(context))
        return 0.0

    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", delay)
    return scales


@by_op
def test_throttling_is_retried_by_standard_mode(fake_jobs, spec, backoff_scales):
    fake_jobs.seed([(spec.service, spec.operation)], jobs_per_stream=2)
    fake_jobs.inject(service=spec.service, operation=spec.operation, throttle_first=2)
    client = boto3.client(spec.service, region_name="us-east-1", endpoint_url=fake_jobs.url,
                          config=Config(retries={"mode": "standard", "max_attempts": 5}))
    page = call(client, spec)
    assert len(page[spec.result_key]) == 2
    assert page["ResponseMetadata"]["RetryAttempts"] == 2
    assert backoff_scales == [1, 1]  # botocore classified both as throttling
    log = fake_jobs.requests
    assert [(r.status, r.error_code) for r in log] == [
        (400 if spec.protocol == "json" else 429, "ThrottlingException")] * 2 + [(200, None)]
    assert fake_jobs.count(operation=spec.operation, fault="throttle") == 2


@by_op
def test_throttling_without_retries_raises(fake_jobs, spec):
    fake_jobs.inject(service=spec.service, throttle_first=1)
    client = client_for(fake_jobs, spec.service)
    cls, status = _expect(spec, client, "ThrottlingException", 429)
    with pytest.raises(cls) as info:
        call(client, spec)
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    call(client, spec)  # only the first call was throttled


@by_op
def test_access_denied(fake_jobs, spec):
    fake_jobs.inject(service=spec.service, access_denied=True)
    client = client_for(fake_jobs, spec.service, attempts=3)
    cls, status = _expect(spec, client, "AccessDeniedException", 403)
    with pytest.raises(cls) as info:
        call(client, spec)
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert fake_jobs.count() == 1  # not retried


@by_op
def test_internal_error_is_a_retried_500(fake_jobs, spec, backoff_scales):
    fake_jobs.inject(service=spec.service, error="internal")
    client = client_for(fake_jobs, spec.service, attempts=3)
    code = "InternalServerException" if spec.protocol == "rest-json" else "InternalFailure"
    cls, _ = _expect(spec, client, code, 500)
    with pytest.raises(cls) as info:
        call(client, spec)
    assert info.value.response["Error"]["Code"] == code
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert fake_jobs.count(status=500) == 3 and backoff_scales == [0.05, 0.05]


@pytest.mark.parametrize("service,code", [("bedrock", "ServiceUnavailableException"),
                                          ("dataexchange", "ServiceUnavailable"),
                                          ("forecast", "ServiceUnavailable")])
def test_unavailable_is_a_503(fake_jobs, service, code):
    spec = next(s for s in ALL_OPS if s.service == service)
    fake_jobs.inject(service=service, error="unavailable")
    with pytest.raises(ClientError) as info:
        call(client_for(fake_jobs, service), spec)
    assert info.value.response["Error"]["Code"] == code
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


@by_op
def test_region_down_is_a_connection_error(fake_jobs, spec):
    fake_jobs.inject(region="eu-west-1", down=True)
    with pytest.raises(ConnectionClosedError):
        call(client_for(fake_jobs, spec.service, "eu-west-1"), spec)
    call(client_for(fake_jobs, spec.service, "us-east-1"), spec)  # other regions answer
    assert [(r.region, r.status, r.fault) for r in fake_jobs.requests] == [
        ("eu-west-1", None, "down"), ("us-east-1", 200, None)]


def test_connection_errors_are_retried(fake_jobs, no_backoff):
    fake_jobs.inject(region="ap-south-1", down=True)
    spec = ALL_OPS[0]
    with pytest.raises(ConnectionClosedError):
        call(client_for(fake_jobs, spec.service, "ap-south-1", attempts=3), spec)
    assert fake_jobs.count(region="ap-south-1", status=None) == 3


@pytest.mark.parametrize("spec", [ALL_OPS[0], ALL_OPS[5], ALL_OPS[10], ALL_OPS[11]],
                         ids=lambda s: f"{s.service}.{s.operation}")
def test_fail_after_page(fake_jobs, spec):
    fake_jobs.seed([(spec.service, spec.operation)], jobs_per_stream=7)
    fake_jobs.inject(service=spec.service, fail_after_page=2, fail_kind="access_denied")
    client = client_for(fake_jobs, spec.service)
    first = call(client, spec, **{spec.limit_member: 3})
    second = call(client, spec, **{spec.limit_member: 3, spec.token_member: first[spec.output_token_member]})
    with pytest.raises(ClientError, match="AccessDeniedException"):
        call(client, spec, **{spec.limit_member: 3, spec.token_member: second[spec.output_token_member]})
    assert [(r.page, r.status) for r in fake_jobs.requests] == [
        (1, 200), (2, 200), (3, 400 if spec.protocol == "json" else 403)]


def test_latency_is_applied_and_logged(fake_jobs):
    fake_jobs.inject(service="personalize", region="us-west-2", latency=0.02)
    spec = next(s for s in ALL_OPS if s.service == "personalize")
    call(client_for(fake_jobs, "personalize", "us-west-2"), spec)
    call(client_for(fake_jobs, "personalize", "us-east-1"), spec)
    assert [(r.region, r.latency, r.status) for r in fake_jobs.requests] == [
        ("us-west-2", 0.02, 200), ("us-east-1", 0.0, 200)]


def test_probabilistic_throttling_is_reproducible():
    def run():
        with FakeJobServer() as fake:
            fake.inject(service="bedrock", throttle=0.5, seed=11)
            client = client_for(fake, "bedrock")
            for _ in range(20):
                try:
                    client.list_model_import_jobs()
                except client.exceptions.ThrottlingException:
                    pass
            return [r.status for r in fake.requests]

    first = run()
    assert first == run() and 0 < first.count(429) < 20


def test_faults_select_by_service_region_account_and_operation(fake_jobs):
    fake_jobs.set_account("AKIDOTHER", "111122223333")
    fake_jobs.inject(service="bedrock", operation="ListEvaluationJobs", region="eu-west-1",
                     account_id="111122223333", access_denied=True)
    denied = client_for(fake_jobs, "bedrock", "eu-west-1", key="AKIDOTHER")
    with pytest.raises(denied.exceptions.AccessDeniedException):
        denied.list_evaluation_jobs()
    denied.list_model_copy_jobs()  # other operation
    client_for(fake_jobs, "bedrock", "eu-west-1").list_evaluation_jobs()  # other account
    client_for(fake_jobs, "bedrock", "us-east-1", key="AKIDOTHER").list_evaluation_jobs()  # other region
    client_for(fake_jobs, "forecast", "eu-west-1", key="AKIDOTHER").list_dataset_import_jobs()  # other service
    assert fake_jobs.count(fault="access_denied") == 1
    fake_jobs.clear_faults()
    denied.list_evaluation_jobs()
    assert fake_jobs.faults == []


def test_custom_rule_and_first_error_rule_wins(fake_jobs):
    fake_jobs.add_fault(FaultRule("throttle", service="dataexchange", code="TooManyRequestsException",
                                  status=429, message="slow down", first=1))
    fake_jobs.inject(service="dataexchange", error="internal")
    client = client_for(fake_jobs, "dataexchange")
    with pytest.raises(ClientError, match="slow down") as info:
        client.list_jobs()
    assert info.value.response["Error"]["Code"] == "TooManyRequestsException"
    with pytest.raises(client.exceptions.InternalServerException):
        client.list_jobs()


def test_sts_and_ec2_faults_use_their_protocols(fake_jobs):
    fake_jobs.inject(service="sts", throttle_first=1)
    fake_jobs.inject(service="ec2", access_denied=True)
    sts = client_for(fake_jobs, "sts")
    with pytest.raises(ClientError) as info:
        sts.get_caller_identity()
    assert info.value.response["Error"]["Code"] == "Throttling"
    assert sts.get_caller_identity()["Account"] == "123456789012"
    with pytest.raises(ClientError) as info:
        client_for(fake_jobs, "ec2").describe_regions()
    assert info.value.response["Error"]["Code"] == "UnauthorizedOperation"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_bad_fault_definitions_are_refused(fake_jobs):
    with pytest.raises(ValueError, match="kind"):
        FaultRule("explode")
    with pytest.raises(ValueError, match="probability"):
        FaultRule("throttle", probability=2)
    with pytest.raises(ValueError, match="say what"):
        fake_jobs.inject(service="bedrock")


def test_request_log_is_thread_safe_and_filterable(fake_jobs):
    spec = next(s for s in ALL_OPS if s.operation == "ListModelImportJobs")
    fake_jobs.seed([("bedrock", "ListModelImportJobs")], jobs_per_stream=3)
    errors = []

    def worker(region):
        try:
            client = client_for(fake_jobs, "bedrock", region)
            for _ in range(15):
                call(client, spec)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(r,)) for r in ("us-east-1", "us-west-2") * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert fake_jobs.count() == 120 and fake_jobs.count(region="us-east-1", items=3, status=200) == 60
    with pytest.raises(TypeError, match="unknown request-log field"):
        fake_jobs.count(colour="red")
    fake_jobs.reset_log()
    assert fake_jobs.requests == []
