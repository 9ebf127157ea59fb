"""Service models cut down to the operations jobinventory calls, for the services it only consults.

A botocore client holds its service's whole model. EC2's describes some 750
operations: loaded, it is about 16 MB of Python dicts held for the life of
the process (a tenth of a streamed sync's memory), and its client class has
a method per operation. jobinventory calls one EC2 operation, DescribeRegions
(which regions an account has enabled). `slim_model` loads such a model with
a loader of its own (so the whole model is not cached), keeps the named
operations and the shapes they reach, and lets the rest go. What the client
does with the operations kept (serialization, parsing, errors, endpoints,
signing) is unchanged: their shapes, the metadata and the endpoint rules
are botocore's own.

Only clients of jobinventory's own sessions (`jobinventory.botosession`) get
slim models; a boto3 session the caller passes keeps its full ones.
"""
from __future__ import annotations

from typing import Any, Dict, FrozenSet, Iterable, Optional

from botocore.loaders import Loader

__all__ = ["CONSULTED", "slim_model", "reachable_shapes"]

#: The services jobinventory consults (not lists jobs of), each with every operation it calls there.
CONSULTED: Dict[str, FrozenSet[str]] = {"ec2": frozenset({"DescribeRegions"})}


def slim_model(loader: Loader, service_name: str, operations: Iterable[str],
               api_version: Optional[str] = None) -> Dict[str, Any]:
    """The service-2 model of `service_name` as `loader` finds it, with only `operations` and their shapes.

    Raises KeyError naming an operation the model does not have.
    """
    full = Loader(extra_search_paths=list(loader.search_paths), include_default_search_paths=False).load_service_model(
        service_name, "service-2", api_version=api_version)
    wanted = sorted(set(operations))
    missing = [name for name in wanted if name not in full["operations"]]
    if missing:
        raise KeyError(f"{service_name} has no operation {', '.join(missing)}")
    kept_operations = {name: full["operations"][name] for name in wanted}
    shapes = reachable_shapes(full["shapes"], kept_operations.values())
    slim = {key: value for key, value in full.items() if key not in ("operations", "shapes", "documentation")}
    slim.update(operations=kept_operations, shapes={name: full["shapes"][name] for name in sorted(shapes)})
    return slim


def reachable_shapes(shapes: Dict[str, Any], operations: Iterable[Dict[str, Any]]) -> FrozenSet[str]:
    """The names of every shape the operations' input, output and errors reach, members included."""
    found: set = set()
    todo = []
    for operation in operations:
        for part in ("input", "output"):
            if part in operation:
                todo.append(operation[part]["shape"])
        todo.extend(error["shape"] for error in operation.get("errors", ()))
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        shape = shapes[name]
        todo.extend(member["shape"] for member in shape.get("members", {}).values())
        todo.extend(shape[part]["shape"] for part in ("member", "key", "value") if part in shape)
    return frozenset(found)
