"""botocore's client arguments, what does not depend on the credentials computed once per collection.

A collection's clients of one (service, region, endpoint URL, config)
differ only by their credentials, yet botocore computes each one's
arguments from scratch (~1 ms a client): its final settings, read setting by
setting from the config store and the environment; the proxies, read from
the environment; a new SSL context for its connections. `MemoArgsCreator`
is botocore's `ClientArgsCreator` (botocore 1.44) but for three points, each
kept in the `memo` the caller gives (jobinventory.botosession: one per
collection and session, so each collection reads the environment again):

- `compute_client_args` once per (service model, region, is_secure,
  endpoint URL, config object); each client gets its own copy, and the
  user-agent features the computation registers are registered for every
  client, as botocore does;
- the proxies of an endpoint URL once (each client its own copy);
- one SSL context for the connection pools of every client with the same
  verify setting and client certificate (what urllib3 sets on the context
  at each connection, CA file and verify mode, is then the same for all;
  a client's connections already share its context across threads). The
  SSL contexts of proxies stay each client's own, as botocore makes them.

Each client still has its own endpoint, connection pool, event emitter,
signer with its credentials, serializer, parser and endpoint resolver.
`get_client_args` repeats botocore's step by step (tests/core/test_botoargs.py
notices when botocore's changes).
"""
from __future__ import annotations

import copy
from typing import Any, Dict, Hashable, Optional

import botocore.args
import botocore.parsers
import botocore.serialize
from botocore.config import Config
from botocore.context import ClientContext, get_context, start_as_current_context
from botocore.endpoint import EndpointCreator
from botocore.httpsession import URLLib3Session
from botocore.signers import RequestSigner

__all__ = ["MemoArgsCreator"]

Memo = Dict[Hashable, Any]


class MemoArgsCreator(botocore.args.ClientArgsCreator):
    """botocore's ClientArgsCreator, what is the same for every client of `key` taken from (or put into) `memo`."""

    def __init__(self, *args: Any, memo: Optional[Memo], key: Hashable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._memo, self._key = memo, key

    def compute_client_args(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        found = self._memo.get(("args", self._key)) if self._memo is not None else None
        if found is None:
            # In a context of its own, to note the user-agent features the computation registers.
            with start_as_current_context(ClientContext()):
                computed = super().compute_client_args(*args, **kwargs)
                features = frozenset(get_context().features)
            found = (computed, features)
            if self._memo is not None:
                self._memo[("args", self._key)] = found
        computed, features = found
        context = get_context()
        if context is not None:
            context.features.update(features)  # as botocore's computation registers them for this client
        # get_client_args adds to config_kwargs; s3_config goes into the client's Config.
        return dict(computed, config_kwargs=dict(computed["config_kwargs"]),
                    s3_config=copy.deepcopy(computed["s3_config"]))

    def get_client_args(self, service_model: Any, region_name: Any, is_secure: Any, endpoint_url: Any,
                        verify: Any, credentials: Any, scoped_config: Any, client_config: Any,
                        endpoint_bridge: Any, auth_token: Any = None, endpoints_ruleset_data: Any = None,
                        partition_data: Any = None) -> Dict[str, Any]:
        """botocore's, step by step, but for the endpoint creator (proxies and SSL context from the memo)."""
        final_args = self.compute_client_args(
            service_model, client_config, endpoint_bridge, region_name, endpoint_url, is_secure, scoped_config,
        )
        endpoint_config = final_args["endpoint_config"]
        config_kwargs = final_args["config_kwargs"]
        event_emitter = copy.copy(self._event_emitter)
        signer = RequestSigner(
            service_model.service_id, endpoint_config["signing_region"], endpoint_config["signing_name"],
            endpoint_config["signature_version"], credentials, event_emitter, auth_token,
        )
        config_kwargs["s3"] = final_args["s3_config"]
        new_config = Config(**config_kwargs)
        endpoint = self._endpoint(service_model, endpoint_config, verify, new_config, final_args, event_emitter)
        serializer, response_parser = self._serializer_and_parser(service_model, final_args, event_emitter)
        ruleset_resolver = self._build_endpoint_resolver(
            endpoints_ruleset_data, partition_data, client_config, service_model, endpoint_config["region_name"],
            region_name, final_args["configured_endpoint_url"], endpoint, is_secure, endpoint_bridge,
            event_emitter, credentials, config_kwargs["account_id_endpoint_mode"],
            config_kwargs["s3_disable_express_session_auth"], config_kwargs["auth_scheme_preference"],
        )
        client_ua_creator = self._session_ua_creator.with_client_config(new_config)
        supplied_ua = client_config.user_agent if client_config else None
        new_config._supplied_user_agent = supplied_ua
        return {
            "serializer": serializer,
            "endpoint": endpoint,
            "response_parser": response_parser,
            "event_emitter": event_emitter,
            "request_signer": signer,
            "service_model": service_model,
            "loader": self._loader,
            "client_config": new_config,
            "partition": endpoint_config["metadata"].get("partition", None),
            "exceptions_factory": self._exceptions_factory,
            "endpoint_ruleset_resolver": ruleset_resolver,
            "user_agent_creator": client_ua_creator,
        }

    def _endpoint(self, service_model: Any, endpoint_config: Dict[str, Any], verify: Any, new_config: Config,
                  final_args: Dict[str, Any], event_emitter: Any) -> Any:
        return _EndpointCreator(event_emitter, self._memo).create_endpoint(
            service_model,
            region_name=endpoint_config["region_name"],
            endpoint_url=endpoint_config["endpoint_url"],
            verify=verify,
            response_parser_factory=self._response_parser_factory,
            max_pool_connections=new_config.max_pool_connections,
            proxies=new_config.proxies,
            timeout=(new_config.connect_timeout, new_config.read_timeout),
            socket_options=final_args["socket_options"],
            client_cert=new_config.client_cert,
            proxies_config=new_config.proxies_config,
        )

    @staticmethod
    def _serializer_and_parser(service_model: Any, final_args: Dict[str, Any], event_emitter: Any) -> Any:
        protocol = final_args["protocol"]
        serializer_kwargs = {"timestamp_precision": botocore.serialize.TIMESTAMP_PRECISION_DEFAULT}
        event_emitter.emit(f"creating-serializer.{final_args['service_name']}", protocol_name=protocol,
                           service_model=service_model, serializer_kwargs=serializer_kwargs)
        serializer = botocore.serialize.create_serializer(
            protocol, final_args["parameter_validation"], timestamp_precision=serializer_kwargs["timestamp_precision"],
        )
        return serializer, botocore.parsers.create_parser(protocol)


class _EndpointCreator(EndpointCreator):
    """botocore's EndpointCreator, an endpoint URL's proxies read once per memo, SSL contexts shared."""

    def __init__(self, event_emitter: Any, memo: Optional[Memo]) -> None:
        super().__init__(event_emitter)
        self._memo = memo

    def create_endpoint(self, *args: Any, **kwargs: Any) -> Any:
        if self._memo is not None:
            contexts = self._memo.setdefault("ssl contexts", {})
            kwargs["http_session_cls"] = lambda **keys: _SharedContextSession(contexts=contexts, **keys)
        return super().create_endpoint(*args, **kwargs)

    def _get_proxies(self, url: str) -> Any:
        if self._memo is None:
            return super()._get_proxies(url)
        found = self._memo.get(("proxies", url))
        if found is None:
            found = self._memo[("proxies", url)] = super()._get_proxies(url)
        return dict(found)


class _SharedContextSession(URLLib3Session):
    """botocore's URLLib3Session whose connection pools take their SSL context from `contexts`.

    One context per (verify, client certificate): what urllib3 sets on it at
    each connection is then the same for every session sharing it. Only the
    pool manager built in `__init__` shares it; a proxy's contexts (made
    later, and changed: its CA, hostname check) stay each session's own.
    """

    def __init__(self, *, contexts: Dict[Any, Any], **kwargs: Any) -> None:
        self._contexts: Optional[Dict[Any, Any]] = contexts
        super().__init__(**kwargs)
        self._contexts = None

    def _get_ssl_context(self) -> Any:
        if self._contexts is None:
            return super()._get_ssl_context()
        key = (self._verify, self._cert_file, self._key_file)
        found = self._contexts.get(key)
        if found is None:
            found = self._contexts[key] = super()._get_ssl_context()
        return found
