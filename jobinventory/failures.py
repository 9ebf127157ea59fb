"""What went wrong with a stream, as one of the CollectionError kinds.

Read from botocore's exceptions by error code and HTTP status, so any
service's errors fall into the same few kinds:

- access_denied: 401/403 and the credential and authorization codes;
- throttled: the throttling codes botocore's retry modes know, and 429,
  after botocore's own retries ran out;
- invalid_request: any other 4xx, and parameters botocore refused to send;
- service_error: 5xx, and a 200 answer that is not the operation's response
  (an unreadable body, no list member, page tokens repeated or never ending);
- region_unavailable: no HTTP answer from the endpoint (it does not resolve,
  refuses or drops the connection, or times out), after botocore's retries,
  or none within the stream's deadline;
- other: anything else, including summaries that could not be normalized.
"""
from __future__ import annotations

from typing import Optional, Tuple

from botocore import exceptions as bce
from botocore.parsers import ResponseParserError

from .deadlines import Cancelled, DeadlineExceeded
from .errors import ResponseError

__all__ = ["classify", "attempts_of"]

_ACCESS = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
    "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
    "AuthFailure", "NotAuthorized", "NotAuthorizedException", "SignatureDoesNotMatch",
    "IncompleteSignature", "InvalidSignatureException", "MissingAuthenticationToken",
    "OptInRequired", "AuthorizationError", "RequestExpired",
})
_THROTTLE = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
})


def classify(exc: BaseException) -> Tuple[str, str]:
    """(kind, message) of an exception that ended a stream."""
    if isinstance(exc, bce.ClientError):
        error = exc.response.get("Error", {}) or {}
        code = str(error.get("Code") or "")
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        message = f"{code or 'HTTP ' + str(status)}: {error.get('Message') or exc}"
        if code in _ACCESS or status in (401, 403):
            return "access_denied", message
        if code in _THROTTLE or status == 429:
            return "throttled", message
        if isinstance(status, int) and status >= 500:
            return "service_error", message
        if isinstance(status, int) and 400 <= status < 500:
            return "invalid_request", message
        return "other", message
    if isinstance(exc, (bce.NoCredentialsError, bce.PartialCredentialsError, bce.NoAuthTokenError)):
        return "access_denied", str(exc)
    if isinstance(exc, (bce.ConnectionError, bce.HTTPClientError, bce.UnknownEndpointError, bce.NoRegionError)):
        return "region_unavailable", str(exc)
    if isinstance(exc, DeadlineExceeded):
        return "region_unavailable", str(exc)
    if isinstance(exc, Cancelled):
        return "other", "cancelled"
    if isinstance(exc, ResponseError):
        return "service_error", str(exc)
    if isinstance(exc, ResponseParserError):
        return "service_error", f"unreadable answer: {exc}"
    if isinstance(exc, bce.PaginationError):
        return "service_error", str(exc)
    if isinstance(exc, bce.ParamValidationError):
        return "invalid_request", str(exc)
    return "other", f"{type(exc).__name__}: {exc}"


def attempts_of(exc: BaseException) -> int:
    """The HTTP requests a failed call made, as far as botocore tells (at least 1)."""
    if isinstance(exc, bce.ClientError):
        meta: Optional[dict] = exc.response.get("ResponseMetadata")
        if meta and isinstance(meta.get("RetryAttempts"), int):
            return 1 + meta["RetryAttempts"]
    return 1
