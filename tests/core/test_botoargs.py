"""jobinventory.botoargs: botocore's client arguments once per memo, clients still their own (real HTTPS)."""
from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import ipaddress
import re
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List, Tuple

import botocore.args
import botocore.exceptions
import botocore.httpsession
import pytest
from botocore.config import Config
from botocore.credentials import Credentials
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from jobinventory.botosession import SharedSession

#: sha256 of botocore 1.44's ClientArgsCreator.get_client_args, which MemoArgsCreator.get_client_args repeats.
GET_CLIENT_ARGS_SHA256 = "5143d4fee85f86ae422b3d75371b6cdde56fd9530d0bba90951e8e32aa458971"
#: ... and of URLLib3Session.__init__: it builds its pool manager (with its SSL context) while it runs.
SESSION_INIT_SHA256 = "9feaa1cb12588f9afb6d890d3a4a8c43284603c47330f7e2e0481e712319faa9"
ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.mark.parametrize("function, digest", [
    (botocore.args.ClientArgsCreator.get_client_args, GET_CLIENT_ARGS_SHA256),
    (botocore.httpsession.URLLib3Session.__init__, SESSION_INIT_SHA256),
])
def test_botocores_code_is_the_one_botoargs_follows(function, digest):
    source = inspect.getsource(function)
    assert hashlib.sha256(source.encode()).hexdigest() == digest, (
        f"botocore's {function.__qualname__} changed: bring jobinventory.botoargs in line with it, "
        "then record its new sha256 here")


def _self_signed(tmp_path) -> Tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


class _CallerIdentity(BaseHTTPRequestHandler):
    """STS GetCallerIdentity over TLS: the UserId is the caller's access key (from its signature)."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", "")).group(1)
        self.server.callers.append(key)  # type: ignore[attr-defined]
        body = (f'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                f"<GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/x</Arn><UserId>{key}</UserId>"
                "<Account>111111111111</Account></GetCallerIdentityResult>"
                "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def tls_sts(tmp_path) -> Iterator[Tuple[str, str, List[str]]]:
    """(https URL, the certificate to trust, the access keys of the calls answered)."""
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CallerIdentity)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.callers = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert, server.callers  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _context(client):
    return client._endpoint.http_session._manager.connection_pool_kw["ssl_context"]


def test_clients_of_a_memo_share_an_ssl_context_per_verify_setting(tls_sts, monkeypatch):
    url, cert, callers = tls_sts
    session, memo = SharedSession(), {}
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)  # botocore's verify when the session names no CA bundle
    trusting = [session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials(key, "s"), memo)
                for key in ("AKIDONE", "AKIDTWO")]
    alone = session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials("AKIDTHREE", "s"))  # no memo
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    default = session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials("AKIDFOUR", "s"), memo)
    clients = trusting + [alone, default]
    try:
        ids = [c.get_caller_identity()["UserId"] for c in trusting + [alone]]
        # After the trusting clients loaded the certificate into theirs, the default client's context
        # (certifi's bundle) still refuses the server: contexts are shared only with the same verify setting.
        with pytest.raises(botocore.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
            default.get_caller_identity()
        for client in trusting:
            client.close()  # new connections, through the shared context
        again = [c.get_caller_identity()["UserId"] for c in trusting]
    finally:
        for client in clients:
            client.close()
    assert ids == ["AKIDONE", "AKIDTWO", "AKIDTHREE"] and again == ["AKIDONE", "AKIDTWO"]
    assert callers == ["AKIDONE", "AKIDTWO", "AKIDTHREE", "AKIDONE", "AKIDTWO"]
    contexts = [_context(c) for c in clients]
    assert contexts[0] is contexts[1]
    assert len({id(c) for c in contexts[1:]}) == 3


def test_an_endpoints_proxies_are_read_once_per_memo(monkeypatch):
    session, memo = SharedSession(), {}
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy-one.invalid:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = "https://sts.example.invalid"
    first = session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials("AKIDONE", "s"), memo)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy-two.invalid:3128")
    second = session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials("AKIDTWO", "s"), memo)
    fresh = session.client("sts", "us-east-1", url, ONE_ATTEMPT, Credentials("AKIDTWO", "s"), {})
    clients = [first, second, fresh]
    try:
        proxies = [c._endpoint.http_session._proxy_config.proxy_url_for(url) for c in clients]
        configs = [c._endpoint.http_session._proxy_config._proxies for c in clients]
    finally:
        for client in clients:
            client.close()
    assert proxies == ["http://proxy-one.invalid:3128", "http://proxy-one.invalid:3128",
                       "http://proxy-two.invalid:3128"]
    assert configs[0] is not configs[1]  # each client its own copy
