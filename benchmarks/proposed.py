"""Changes measured before they are made: what the benchmarks run "as proposed".

`compiled_parsers()`: the collector's clients parse with
`jobinventory.parsing.ParserFactory` (botocore's JSON parsers, shape walk
compiled) instead of botocore's stock factory. Once clients.py wires it in,
`parser_wired()` is True and the benchmarks stop reporting it separately.
"""
from __future__ import annotations

import contextlib
from typing import Iterator


def parser_available() -> bool:
    try:
        import jobinventory.parsing  # noqa: F401
    except ImportError:  # an older tree, measured for a "before" figure
        return False
    return True


def parser_wired() -> bool:
    from jobinventory.clients import ClientFactory, ClientSettings

    if not parser_available():
        return False
    from jobinventory.parsing import ParserFactory

    try:  # the process's sessions (jobinventory.sessions) hold the parser factory
        from jobinventory import sessions
    except ImportError:  # an older tree: each ClientFactory held its own
        pass
    else:
        return isinstance(getattr(sessions, "_parsers", None), ParserFactory)
    factory = ClientFactory(ClientSettings(endpoint_url="http://127.0.0.1:9"), _session())
    try:
        return isinstance(getattr(factory, "_parsers", None), ParserFactory)
    finally:
        factory.close()


def _session():  # type: ignore[no-untyped-def]
    from .common import session

    return session()


@contextlib.contextmanager
def compiled_parsers() -> Iterator[None]:
    """ClientFactory builds its private sessions' parsers from ParserFactory for the block."""
    import jobinventory.clients as clients
    from jobinventory.parsing import ParserFactory

    if parser_wired():
        yield
        return
    original = clients.ResponseParserFactory
    clients.ResponseParserFactory = ParserFactory  # type: ignore[misc]
    try:
        if not parser_wired():
            raise RuntimeError("clients.py no longer builds its parser factory as ResponseParserFactory(): "
                               "update benchmarks/proposed.py")
        yield
    finally:
        clients.ResponseParserFactory = original  # type: ignore[misc]
