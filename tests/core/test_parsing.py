"""The compiled JSON parsers give exactly what botocore's own parsers give.

Every covered operation's responses, as the local fake sends them over
HTTP, are parsed by botocore's stock parser and by `jobinventory.parsing`
with the same timestamp parser, and compared (values, types, key order).
Error responses too.
"""
from __future__ import annotations

import json
from typing import Any, List, Tuple

import botocore.config
import botocore.parsers
import pytest
from botocore.parsers import ResponseParserError

from jobinventory.parsing import FastJSONParser, FastRestJSONParser, ParserFactory
from jobinventory.paging import page_plan
from jobinventory.registry import all_specs
from jobinventory.testing import FakeJobServer
from jobinventory.registry import get_spec
from jobinventory.timestamps import parse_wire_timestamp
from jobinventory.walk import stream_pages


@pytest.fixture(scope="module")
def fake():
    server = FakeJobServer().start()
    try:
        server.seed(None, regions=["us-east-1"], jobs_per_stream=30, seed=4)
        server.seed([("personalize", "ListDataDeletionJobs"), ("dataexchange", "ListJobs")],
                    regions=["us-east-1"], jobs_per_stream=250, seed=5)
        yield server
    finally:
        server.stop()


def _factories() -> Tuple[Any, Any]:
    stock = botocore.parsers.ResponseParserFactory()
    stock.set_parser_defaults(timestamp_parser=parse_wire_timestamp)
    fast = ParserFactory()
    fast.set_parser_defaults(timestamp_parser=parse_wire_timestamp)
    return stock, fast


def _responses(client: Any, service: str, operation: str) -> List[Tuple[dict, Any]]:
    captured: List[Tuple[dict, Any]] = []

    def keep(response_dict: dict, operation_model: Any, **_: Any) -> None:
        captured.append((dict(response_dict), operation_model))

    client.meta.events.register("before-parse", keep)
    try:
        # The walk's parent lists too, where the spec has one (their answers are parsed alike).
        for _ in stream_pages(client, get_spec(service, operation), page_plan(service, operation), {}):
            pass
    except Exception:  # an error response is captured all the same
        pass
    return captured


def _canonical(value: Any) -> Any:
    """`value` with its dicts' keys sorted and every leaf tagged with its type."""
    if isinstance(value, dict):
        return sorted((k, _canonical(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("service, operation", sorted(all_specs()))
def test_every_page_parses_the_same(fake, service, operation):
    client = fake.client(service, "us-east-1")
    responses = _responses(client, service, operation)
    assert responses
    stock, fast = _factories()
    protocol = client.meta.service_model.resolved_protocol
    assert type(fast.create_parser(protocol)) in (FastJSONParser, FastRestJSONParser)
    for response, op_model in responses:
        expected = stock.create_parser(protocol).parse(response, op_model.output_shape)
        got = fast.create_parser(protocol).parse(response, op_model.output_shape)
        assert got == expected
        # Types too; keys in the order the service sent them (the fast path keeps the wire's order).
        assert _canonical(got) == _canonical(expected)


@pytest.mark.parametrize("service, operation", [("forecast", "ListForecastExportJobs"), ("bedrock", "ListModelCopyJobs")])
@pytest.mark.parametrize("fault", [{"access_denied": True}, {"throttle_first": 1}, {"error": "internal"}])
def test_error_responses_parse_the_same(service, operation, fault):
    with FakeJobServer() as server:
        server.inject(service=service, **fault)
        client = server.client(service, "us-east-1", config=botocore.config.Config(retries={"total_max_attempts": 1}))
        responses = _responses(client, service, operation)
    assert responses and responses[0][0]["status_code"] >= 400
    stock, fast = _factories()
    protocol = client.meta.service_model.resolved_protocol
    for response, op_model in responses:
        expected = stock.create_parser(protocol).parse(response, op_model.output_shape)
        got = fast.create_parser(protocol).parse(response, op_model.output_shape)
        assert repr(got) == repr(expected)


def test_other_protocols_stay_botocores():
    _, fast = _factories()
    for protocol, cls in (("query", botocore.parsers.QueryParser), ("ec2", botocore.parsers.EC2QueryParser)):
        parser = fast.create_parser(protocol)
        assert type(parser) is cls
        assert parser._timestamp_parser is parse_wire_timestamp


def test_recursive_and_odd_shapes_match_the_stock_walk():
    """Shapes the covered lists do not use yet: maps, blobs, documents, tagged unions, recursion, nulls."""
    from botocore.model import ShapeResolver

    resolver = ShapeResolver({
        "Out": {"type": "structure", "members": {
            "Tree": {"shape": "Node"}, "Tags": {"shape": "TagMap"}, "Blob": {"shape": "Bytes"},
            "Doc": {"shape": "Doc"}, "Choice": {"shape": "Union"}, "Renamed": {"shape": "Str", "locationName": "wire"},
            "Times": {"shape": "TimeList"}, "Flag": {"shape": "Bool"}, "Count": {"shape": "Int"},
        }},
        "Node": {"type": "structure", "members": {"Name": {"shape": "Str"}, "Kids": {"shape": "NodeList"}}},
        "NodeList": {"type": "list", "member": {"shape": "Node"}},
        "TagMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Time"}},
        "TimeList": {"type": "list", "member": {"shape": "Time"}},
        "Union": {"type": "structure", "union": True, "members": {"A": {"shape": "Str"}, "B": {"shape": "Int"}}},
        "Doc": {"type": "structure", "members": {}, "document": True},
        "Bytes": {"type": "blob"}, "Str": {"type": "string"}, "Time": {"type": "timestamp"},
        "Bool": {"type": "boolean"}, "Int": {"type": "integer"},
    })
    shape = resolver.get_shape_by_name("Out")
    body = {
        "Tree": {"Name": "root", "Kids": [{"Name": "a", "Kids": [{"Name": "b"}, None]}, {"Kids": []}]},
        "Tags": {"x": 1714564800, "y": "2024-05-01T12:00:00Z"}, "Blob": "aGVsbG8=",
        "Doc": {"any": [1, {"thing": None}]}, "Choice": {"B": 3}, "wire": "renamed", "Renamed": "ignored",
        "Times": [1714564800.5, None, "2024-05-01T14:00:00+02:00"], "Flag": True, "Count": 7, "Unknown": 1,
    }
    stock, fast = _factories()
    for protocol in ("json", "rest-json"):
        for value in (body, {"Tree": None, "Times": []}, {}, {"Choice": {"Z": 1}}, {"Choice": {"A": "x"}},
                      {"Choice": {"A": None, "B": 2}}, {"Choice": {"A": "x", "__type": "T"}}):
            expected = stock.create_parser(protocol)._parse_shape(shape, value)
            got = fast.create_parser(protocol)._parse_shape(shape, value)
            assert _canonical(got) == _canonical(expected)
        node = resolver.get_shape_by_name("Node")
        for value, order in (({"Name": "a", "Kids": [{"Name": "b"}]}, ["Name", "Kids"]),
                             ({"Kids": [{"Name": "b"}], "Name": "a"}, ["Kids", "Name"])):
            expected = stock.create_parser(protocol)._parse_shape(node, value)
            got = fast.create_parser(protocol)._parse_shape(node, json.loads(json.dumps(value)))
            assert _canonical(got) == _canonical(expected)
            assert list(got) == order  # keys as the service sent them
        for bad in ({"Choice": {"A": "x", "B": 2}}, {"Choice": {"A": None}}, {"Choice": {}}):
            with pytest.raises(ResponseParserError) as expected_error:
                stock.create_parser(protocol)._parse_shape(shape, bad)
            with pytest.raises(ResponseParserError) as got_error:
                fast.create_parser(protocol)._parse_shape(shape, bad)
            assert str(got_error.value) == str(expected_error.value)
