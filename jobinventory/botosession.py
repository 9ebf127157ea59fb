"""One botocore session for many accounts: clients take their own credentials and share their service's class.

botocore takes a client's credentials from its session, so the collector
used to build a private session per account (~10 ms: some 1,350 event
handlers registered), and for every client it builds a `ServiceModel` of
the service and a client class with one method per operation (EC2: ~700
operations, ~10 ms a client). `SharedSession.client` creates each client
with the credentials object it is given (a refreshable one keeps
refreshing: the client holds the object, not a copy of its keys), and
builds each service's model and client class once per session. Each client
is still botocore's own, with its own endpoint, connection pool, event
emitter, signer and retry handler (and the adaptive mode's rate limiter).

`SharedSession.client` is botocore's `Session.create_client` (botocore
1.44) step by step, but for those two points (tests/core/test_botosession.py
notices when botocore's changes). botocore sessions are not thread-safe:
create clients under `SharedSession.lock`.

Each client also starts from a copy of the session's event emitter, whose
trie of some 1,350 handlers botocore copies node by node (~2 ms a client).
The session's emitter here is botocore's `HierarchicalEmitter` over a trie
whose copy shares every node: a trie copies only the nodes on the path of a
handler it registers or removes (path copying), so neither copy sees the
other's changes.

What botocore computes for a client from its service, region, endpoint URL
and config alone (its final settings, proxies, SSL context: ~0.5 ms) is
computed once per `memo` the caller gives `client` (the collector gives one
per collection: a collection's clients of one (region, service) differ only
by their credentials): `jobinventory.botoargs`.
"""
from __future__ import annotations

import copy
import threading
import types
from typing import Any, Dict, Hashable, Optional, Tuple

import botocore.client
import botocore.session
from botocore import UNSIGNED, retryhandler, translate
from botocore.config import Config
from botocore.context import get_context, with_current_context
from botocore.hooks import _MIDDLE, EventAliaser, HierarchicalEmitter, _PrefixTrie
from botocore.model import ServiceModel
from botocore.useragent import register_feature_id

from .botoargs import MemoArgsCreator
from .slimmodels import CONSULTED, slim_model

__all__ = ["SharedSession"]


class _SharingCreator(botocore.client.ClientCreator):
    """botocore's ClientCreator, each service's model and class taken from (or put into) `shared`,
    its client arguments computed once per `memo` and (service, region, endpoint, config)."""

    def __init__(self, *args: Any, shared: Dict[Tuple[Any, ...], Any], memo: Optional[Dict[Hashable, Any]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared = shared
        self._memo = memo

    def _get_client_args(self, service_model: Any, region_name: Optional[str], is_secure: bool,
                         endpoint_url: Optional[str], verify: Any, credentials: Any, scoped_config: Any,
                         client_config: Any, endpoint_bridge: Any, auth_token: Any, endpoints_ruleset_data: Any,
                         partition_data: Any) -> Dict[str, Any]:
        # botocore's own, but for the args creator. The model is the session's (kept under "model"), the
        # config the caller's object: the key holds both, so neither id is reused while the memo lives.
        key = (service_model, region_name, is_secure, endpoint_url, client_config)
        args_creator = MemoArgsCreator(
            self._event_emitter,
            self._user_agent,
            self._response_parser_factory,
            self._loader,
            self._exceptions_factory,
            config_store=self._config_store,
            user_agent_creator=self._user_agent_creator,
            memo=self._memo,
            key=key,
        )
        return args_creator.get_client_args(
            service_model, region_name, is_secure, endpoint_url, verify, credentials, scoped_config,
            client_config, endpoint_bridge, auth_token, endpoints_ruleset_data, partition_data,
        )

    def _load_service_model(self, service_name: str, api_version: Optional[str] = None) -> Any:
        key = ("model", service_name, api_version)
        found = self._shared.get(key)
        if found is None:
            if service_name in CONSULTED:  # only the operations jobinventory calls (slimmodels)
                model = slim_model(self._loader, service_name, CONSULTED[service_name], api_version)
                found = ServiceModel(model, service_name=service_name)
            else:
                found = super()._load_service_model(service_name, api_version)
            self._shared[key] = found
        return found

    def _create_client_class(self, service_name: str, service_model: Any) -> Any:
        key = ("class", service_name, id(service_model))  # the model is the one kept under "model"
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = super()._create_client_class(service_name, service_model)
        return found


class _PathCopyingTrie(_PrefixTrie):
    """botocore's trie of event handlers, copied in O(1): copies share nodes until one changes them.

    A node belongs to the trie whose `_token` it carries; a copy gives both
    tries new tokens, so every node is shared, and a change first copies
    the nodes from the root down to the one it changes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._token = object()
        self._root["owner"] = self._token

    def __copy__(self) -> "_PathCopyingTrie":
        new = self.__class__.__new__(self.__class__)
        new._root, new._token = self._root, object()
        self._token = object()  # the nodes are shared now: this trie copies before changing them too
        return new

    def _own(self, node: Dict[str, Any]) -> Dict[str, Any]:
        if node.get("owner") is self._token:
            return node
        values = node["values"]
        return {"chunk": node["chunk"], "values": copy.copy(values) if values is not None else None,
                "children": dict(node["children"]), "owner": self._token}

    def _owned_path(self, parts: Any, create: bool) -> bool:
        """Make every node on `parts`' path this trie's own; False (nothing changed) if one is missing."""
        if not create:
            node = self._root
            for part in parts:
                node = node["children"].get(part)
                if node is None:
                    return False
        node = self._root = self._own(self._root)
        for part in parts:
            child = node["children"].get(part)
            if child is None:
                child = {"chunk": part, "values": None, "children": {}, "owner": self._token}
            node["children"][part] = child = self._own(child)
            node = child
        return True

    def append_item(self, key: str, value: Any, section: int = _MIDDLE) -> None:
        self._owned_path(key.split("."), create=True)
        super().append_item(key, value, section)

    def remove_item(self, key: str, value: Any) -> None:
        self._owned_path(key.split("."), create=False)
        super().remove_item(key, value)


#: Code objects of the handlers botocore found to take **kwargs (what decides it: a closure's code is
#: its def's, the same for every closure made from it, so this stays as small as the code registering).
_TAKES_KWARGS: Dict[Any, bool] = {}


class _Emitter(HierarchicalEmitter):
    """botocore's HierarchicalEmitter over a `_PathCopyingTrie`, each handler's function checked once.

    botocore checks that a handler takes **kwargs (`inspect` reads its
    signature, ~20 us) at every registration: each client registers some
    ten handlers, the bound methods of its own objects. What decides it is
    the function's code (a bound method's: its function's), so a code
    object checked once is not read again.
    """

    def __init__(self) -> None:
        super().__init__()
        self._handlers = _PathCopyingTrie()

    def _verify_accept_kwargs(self, func: Any) -> Any:
        target = func.__func__ if isinstance(func, types.MethodType) else func
        if not isinstance(target, types.FunctionType) or "__signature__" in target.__dict__:
            return super()._verify_accept_kwargs(func)  # partials, callable objects...: botocore's check
        code = target.__code__
        if code not in _TAKES_KWARGS:
            super()._verify_accept_kwargs(func)  # raises ValueError if it takes no **kwargs (then not kept)
            _TAKES_KWARGS[code] = True
        return None


class _Aliaser(EventAliaser):
    """botocore's EventAliaser whose copies share its cache of aliased event names.

    An event's aliased name depends on nothing but the name (the table of
    aliases is botocore's own, the same in every copy); botocore's copy
    starts each client with an empty cache.
    """

    def __copy__(self) -> "_Aliaser":
        new = super().__copy__()
        new._alias_name_cache = self._alias_name_cache
        return new


class SharedSession(botocore.session.Session):
    """A botocore session whose clients are each given their credentials (see the module's doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("event_hooks", _Emitter())
        super().__init__(*args, **kwargs)
        # The same handlers (they live in the emitter it wraps), names aliased once per session.
        self._events = _Aliaser(self._original_handler)
        self._components.register_component("event_emitter", self._events)
        self.lock = threading.RLock()
        self._shared: Dict[Tuple[Any, ...], Any] = {}

    @with_current_context()
    def client(self, service_name: str, region_name: Optional[str], endpoint_url: Optional[str],
               config: Optional[Config], credentials: Any, memo: Optional[Dict[Hashable, Any]] = None) -> Any:
        """A new client of `service_name` signing with `credentials` (botocore's create_client otherwise).

        `memo`: where the client arguments that do not depend on the credentials are kept for later clients
        of the same service, region, endpoint URL and config object (None: computed for this client alone).
        """
        default_client_config = self.get_default_client_config()
        if config is not None and default_client_config is not None:
            config = default_client_config.merge(config)
        elif default_client_config is not None:
            config = default_client_config
        region_name = self._resolve_region_name(region_name, config)
        verify = self.get_config_variable("ca_bundle")
        api_version = self.get_config_variable("api_versions").get(service_name, None)
        if config is not None and config.signature_version is UNSIGNED:
            credentials = None
        if getattr(credentials, "method", None) == "explicit":
            register_feature_id("CREDENTIALS_CODE")
        auth_token = self.get_auth_token()
        config_store = copy.copy(self.get_component("config_store"))
        user_agent_creator = self.get_component("user_agent_creator")
        user_agent_creator.set_session_config(
            session_user_agent_name=self.user_agent_name,
            session_user_agent_version=self.user_agent_version,
            session_user_agent_extra=self.user_agent_extra,
        )
        defaults_mode = self._resolve_defaults_mode(config, config_store)
        if defaults_mode != "legacy":
            smart_defaults_factory = self._get_internal_component("smart_defaults_factory")
            smart_defaults_factory.merge_smart_defaults(config_store, defaults_mode, region_name)
        self._add_configured_endpoint_provider(client_name=service_name, config_store=config_store)
        user_agent_creator.set_client_features(get_context().features)
        creator = _SharingCreator(
            self.get_component("data_loader"),
            self._get_internal_component("endpoint_resolver"),
            self.user_agent(),
            self.get_component("event_emitter"),
            retryhandler,
            translate,
            self.get_component("response_parser_factory"),
            self._get_internal_component("exceptions_factory"),
            config_store,
            user_agent_creator=user_agent_creator,
            auth_token_resolver=self.get_auth_token,
            shared=self._shared,
            memo=None if memo is None else memo.setdefault(self, {}),
        )
        client = creator.create_client(
            service_name=service_name,
            region_name=region_name,
            is_secure=True,
            endpoint_url=endpoint_url,
            verify=verify,
            credentials=credentials,
            scoped_config=self.get_scoped_config(),
            client_config=config,
            api_version=api_version,
            auth_token=auth_token,
        )
        monitor = self._get_internal_component("monitor")
        if monitor is not None:
            monitor.register(client.meta.events)
        self._register_client_plugins(client)
        return client
