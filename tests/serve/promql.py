"""What a PromQL expression names: its metric names, by a small lexer.

Strings, label matchers (``{...}``), ranges (``[...]``) and grouping label
lists (``by (...)``, ``without``, ``on``, ``ignoring``, ``group_left``,
``group_right``) are cut out first; what is left are numbers, operators,
function and aggregation names (followed by ``(``), keywords, and the metric
names.
"""
from __future__ import annotations

import re

CONTRACT_METRICS = frozenset({
    "jobinventory_jobs",
    "jobinventory_job_changes_total",
    "jobinventory_oldest_active_job_age_seconds",
    "jobinventory_stream_failures",
    "jobinventory_last_sync_timestamp_seconds",
    "jobinventory_last_sync_duration_seconds",
    "jobinventory_last_sync_success",
})

_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or",
             "unless", "inf", "nan"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """The metric names ``expr`` selects (Grafana ``$variables`` allowed)."""
    text = _STRING.sub('""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = _GROUPING.sub(" ", text)
    text = re.sub(r"\$\{?\w+\}?", " ", text)
    names = set()
    for match in _IDENT.finditer(text):
        word = match.group()
        if word.lower() in _KEYWORDS or re.match(r"\s*\(", text[match.end():]):
            continue
        if re.match(r"\d", text[max(match.start() - 1, 0)]):  # exponent or duration suffix (1e3, 5m)
            continue
        names.add(word)
    return names


def dashboard_targets(dashboard: dict) -> list:
    """(panel title, expr) of every panel query of a classic dashboard JSON, rows' panels included."""
    found = []
    for panel in dashboard["panels"]:
        for inner in [panel] + panel.get("panels", []):
            found += [(inner["title"], target["expr"]) for target in inner.get("targets", [])]
    return found


def for_prometheus(expr: str) -> str:
    """A dashboard query with its Grafana variables set to match everything."""
    return (expr.replace("$__rate_interval", "2m").replace('"$service"', '".*"').replace('"$region"', '".*"')
            .replace('"$account_id"', '".*"'))
