"""From an HTTP request to an AWS answer: routing, faults, the request log.

Routing reads only what any botocore client sends: the SigV4 credential
scope in ``Authorization`` (``Credential=AKID/date/REGION/SERVICE/aws4_request``)
gives the access key, region and signing name; the signing name gives the
service; ``X-Amz-Target`` (json), method and path against the model's
``requestUri`` (rest-json) or the ``Action`` form field (query, ec2) give the
operation. Signatures are not verified.
"""
from __future__ import annotations

import functools
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

from . import callers as _callers
from .faults import FaultSet, RequestLog, RequestRecord
from .listing import ServiceError, list_jobs, page_number
from .operations import FakeOperation, served_operations, service_model
from .store import JobStore
from .tokens import TokenSigner
from .wire import CONTENT_TYPES, error_response, json_body, rest_params

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/([^/]+)/aws4_request")

#: Services answered besides the job APIs, for the demo: service -> operations.
EXTRA_OPERATIONS = {"sts": ("GetCallerIdentity",), "ec2": ("DescribeRegions",)}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes


@functools.lru_cache(maxsize=1)
def _signing_names() -> Mapping[str, tuple[str, ...]]:
    """Signing name -> the services signed with it (bedrock, bedrock-agent and
    bedrock-runtime all sign as ``bedrock``: their paths tell them apart)."""
    names: dict[str, tuple[str, ...]] = {}
    for svc in list(dict.fromkeys(s.service for s in served_operations())) + list(EXTRA_OPERATIONS):
        signing = service_model(svc).signing_name
        names[signing] = names.get(signing, ()) + (svc,)
    return names


@functools.lru_cache(maxsize=None)
def _specs_of(service: str) -> tuple[FakeOperation, ...]:
    return tuple(s for s in served_operations() if s.service == service)


def _rest_spec(services: tuple[str, ...], method: str, path: str) -> FakeOperation | None:
    """The operation of any of ``services`` whose HTTP method and path match."""
    for svc in services:
        for spec in _specs_of(svc):
            if spec.model.http["method"] == method and spec.path_regex.match(path):
                return spec
    return None


# Fault kind -> candidate modelled error names, and AWS's common error if none is modelled.
_FAULT_ERRORS = {
    "throttle": (("ThrottlingException",), "ThrottlingException", 429),
    "access_denied": (("AccessDeniedException",), "AccessDeniedException", 403),
    "internal": (("InternalServerException",), "InternalFailure", 500),
    "unavailable": (("ServiceUnavailableException",), "ServiceUnavailable", 503),
}
_QUERY_FAULTS = {
    "sts": {"throttle": ("Throttling", 400), "access_denied": ("AccessDenied", 403),
            "internal": ("InternalFailure", 500), "unavailable": ("ServiceUnavailable", 503)},
    "ec2": {"throttle": ("RequestLimitExceeded", 503), "access_denied": ("UnauthorizedOperation", 403),
            "internal": ("InternalError", 500), "unavailable": ("Unavailable", 503)},
}


@functools.lru_cache(maxsize=None)
def fault_error(service: str, kind: str) -> tuple[str, int]:
    """(error code, HTTP status) a fault kind becomes for ``service``."""
    if service in _QUERY_FAULTS:
        return _QUERY_FAULTS[service][kind]
    model = service_model(service)
    names, common, status = _FAULT_ERRORS[kind]
    modelled = {s.name: s for s in model.error_shapes}
    code = next((n for n in names if n in modelled), common)
    if model.protocol == "json":
        # JSON 1.1 services answer every client error with 400.
        return code, 400 if status < 500 else status
    shape = modelled.get(code)
    if shape is not None:
        status = shape.metadata.get("error", {}).get("httpStatusCode", status)
    return code, status


class Dispatcher:
    def __init__(self, store: JobStore, faults: FaultSet, log: RequestLog,
                 directory: _callers.AccountDirectory, signer: TokenSigner) -> None:
        self.store = store
        self.faults = faults
        self.log = log
        self.directory = directory
        self.signer = signer

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply | None:
        """The reply to send, or None to drop the connection without one."""
        request_id = str(uuid.uuid4())
        rec: dict[str, Any] = dict(time=time.time(), service=None, operation=None, region=None, account_id=None,
                                   access_key_id=None, page=None, items=None, latency=0.0, fault=None)
        reply = self._handle(method, target, headers, body, request_id, rec)
        error = reply.headers.get("x-amzn-ErrorType") if reply else None
        if reply is not None and error is None and reply.status >= 400:
            error = _error_code_of(reply)
        self.log.append(RequestRecord(status=reply.status if reply else None, error_code=error,
                                      request_id=request_id, **rec))
        return reply

    def _handle(self, method, target, headers, body, request_id, rec) -> Reply | None:
        url = urlsplit(target)
        match = _CREDENTIAL.search(headers.get("Authorization") or "")
        guess = "json" if headers.get("X-Amz-Target") else "rest-json"
        if match is None:
            return self._error(guess, "MissingAuthenticationTokenException", 403, "Missing Authentication Token", request_id)
        access_key, region, signing = match.groups()
        rec.update(access_key_id=access_key, region=region)
        candidates = _signing_names().get(signing)
        if candidates is None:
            return self._error(_protocol_of(signing) or guess, "UnrecognizedClientException", 400,
                               f"The fake does not serve the service signed as {signing!r}.", request_id)
        service = candidates[0]
        rest_spec = None
        if len(candidates) > 1:  # one signing name, several REST services: the path says which
            rest_spec = _rest_spec(candidates, method, url.path)
            service = rest_spec.service if rest_spec is not None else service
        account = self.directory.account_for(access_key)
        rec.update(service=service, account_id=account)
        protocol = service_model(service).protocol

        if service in EXTRA_OPERATIONS:
            return self._extra(service, url, body, region, account, access_key, protocol, request_id, rec)

        spec, params, problems = None, {}, []
        if protocol == "json":
            prefix, _, name = (headers.get("X-Amz-Target") or "").partition(".")
            if prefix == service_model(service).metadata.get("targetPrefix"):
                spec = next((s for s in _specs_of(service) if s.operation == name), None)
            if spec is None:
                return self._error(protocol, "UnknownOperationException", 400,
                                   f"The fake does not serve {headers.get('X-Amz-Target')!r}.", request_id)
            try:
                params = json.loads(body or b"{}")
            except ValueError:
                params = None
            if not isinstance(params, dict):
                return self._error(protocol, "SerializationException", 400, "Request body is not a JSON object.", request_id)
        else:
            spec = rest_spec or _rest_spec((service,), method, url.path)
            if spec is None:
                return self._error(protocol, "UnknownOperationException", 404,
                                   f"The fake does not serve {method} {url.path}.", request_id)
            params, problems = rest_params(spec, url, body)
        rec["operation"] = spec.operation

        page = page_number(spec, self.signer, params)
        rec["page"] = page
        failed = self._apply_faults(service, spec.operation, region, account, page, protocol, request_id, rec,
                                    spec)
        if failed is not False:
            return failed
        try:
            output, items, page = list_jobs(spec, self.store, self.signer, region=region, account_id=account,
                                            params=params, parse_problems=problems)
        except ServiceError as exc:
            status = exc.status or _status_of(service, exc.code)
            return self._error(protocol, exc.code, status, exc.message, request_id)
        rec["items"] = items
        return Reply(200, {"Content-Type": CONTENT_TYPES[protocol], "x-amzn-RequestId": request_id}, json_body(output))

    def _extra(self, service, url, body, region, account, access_key, protocol, request_id, rec) -> Reply | None:
        """STS GetCallerIdentity and EC2 DescribeRegions (query protocol): what planning calls."""
        form = _callers.form_params(body) if body else parse_qs(url.query)
        operation = (form.get("Action") or [""])[0]
        rec["operation"] = operation or None
        if operation not in EXTRA_OPERATIONS[service]:
            return self._error(protocol, "InvalidAction", 400, f"Could not find operation {operation}", request_id)
        rec["page"] = 1
        failed = self._apply_faults(service, operation, region, account, 1, protocol, request_id, rec)
        if failed is not False:
            return failed
        if operation == "GetCallerIdentity":
            payload = _callers.get_caller_identity(account, access_key, request_id)
        else:
            payload, rec["items"] = _callers.describe_regions(self.directory, account, form, request_id)
        return Reply(200, {"Content-Type": CONTENT_TYPES[protocol], "x-amzn-RequestId": request_id}, payload)

    def _apply_faults(self, service, operation, region, account, page, protocol, request_id, rec, spec=None):
        """False when no fault answers; else the reply (None: drop the connection)."""
        decision = self.faults.decide(service, operation, region, account, page)
        if decision.latency:
            rec["latency"] = decision.latency
            time.sleep(decision.latency)
        rule = decision.rule
        if rule is None:
            return False
        rec["fault"] = rule.kind
        if rule.kind == "down":
            return None
        if rule.kind == "hang":
            self.faults.released.wait()
            return None
        if rule.kind == "body":
            headers = {"Content-Type": rule.content_type or CONTENT_TYPES[protocol], "x-amzn-RequestId": request_id}
            return Reply(rule.status or 200, headers, rule.body or b"")
        if rule.kind in ("endless", "repeat_token"):
            if spec is None:
                return False
            token = "same-token" if rule.kind == "repeat_token" else f"endless-{request_id}"
            output = {spec.result_key: [], spec.output_token_member: token}
            return Reply(200, {"Content-Type": CONTENT_TYPES[protocol], "x-amzn-RequestId": request_id},
                         json_body(output))
        code, status = fault_error(service, rule.kind)
        return self._error(protocol, rule.code or code, rule.status or status,
                           rule.message or _FAULT_MESSAGES[rule.kind], request_id)

    @staticmethod
    def _error(protocol: str, code: str, status: int, message: str, request_id: str) -> Reply:
        status, headers, body = error_response(protocol, code, status, message, request_id)
        headers["x-amzn-RequestId"] = request_id
        return Reply(status, headers, body)


_FAULT_MESSAGES = {
    "throttle": "Rate exceeded",
    "access_denied": "User is not authorized to perform this action",
    "internal": "An internal error occurred. Try again later.",
    "unavailable": "The service is unavailable. Try again later.",
}


@functools.lru_cache(maxsize=None)
def _protocol_of(signing_name: str) -> str | None:
    """The protocol of a service the fake does not serve, to answer it in kind."""
    try:
        return service_model(signing_name).protocol
    except Exception:  # not a botocore service name: any error body will do
        return None


def _status_of(service: str, code: str) -> int:
    model = service_model(service)
    if model.protocol == "json":
        return 400
    for shape in model.error_shapes:
        if shape.name == code:
            return shape.metadata.get("error", {}).get("httpStatusCode", 400)
    return 400


def _error_code_of(reply: Reply) -> str | None:
    ctype = reply.headers.get("Content-Type", "")
    if "json" in ctype:
        try:
            return json.loads(reply.body).get("__type")
        except ValueError:
            return None
    m = re.search(rb"<Code>([^<]+)</Code>", reply.body)
    return m.group(1).decode() if m else None
