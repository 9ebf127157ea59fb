"""A faithful local fake of the AWS job-list APIs, for tests and the demo.

    from jobinventory.testing import FakeJobServer, seed_demo

    with FakeJobServer() as fake:            # 127.0.0.1, ephemeral port
        fake.seed(regions=["us-east-1", "eu-west-1"], jobs_per_stream=25)
        fake.inject(service="bedrock", region="eu-west-1", throttle_first=3)
        client = boto3.client("bedrock", region_name="eu-west-1", endpoint_url=fake.url)

Real HTTP, every protocol detail as botocore expects it. Modules:
``server`` (``FakeJobServer``: lifecycle and the public API), ``dispatch``
(routing from the SigV4 scope, faults, the request log), ``operations`` (the
table of the served operations), ``listing`` (validate, filter, order,
page), ``store`` (jobs per stream), ``tokens`` (query-bound page tokens),
``wire`` (bytes per protocol), ``validation`` (against botocore shapes),
``accounts`` (access key -> account, regions, STS/EC2 answers), ``faults``
(fault rules and the request log), ``seeds`` and ``gen_*`` (generated jobs,
``seed_demo``), ``pytest_plugin`` (the ``fake_jobs`` fixture).
"""
from .callers import DEFAULT_ACCOUNT_ID, moto_account_resolver
from .faults import FaultRule, RateLimit, RequestRecord
from .operations import Filter, FakeOperation, all_operations, get_operation
from .seeds import ANCHOR, generate, seed_demo
from .server import FakeJobServer

__all__ = [
    "ANCHOR",
    "DEFAULT_ACCOUNT_ID",
    "FakeJobServer",
    "FaultRule",
    "Filter",
    "FakeOperation",
    "RateLimit",
    "RequestRecord",
    "all_operations",
    "generate",
    "get_operation",
    "moto_account_resolver",
    "seed_demo",
]
