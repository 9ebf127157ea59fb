"""The shipped alert rules, Prometheus config and Grafana dashboard."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from .promql import CONTRACT_METRICS, dashboard_targets, for_prometheus, metric_names

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "jobinventory.json"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


#: Only rule files in deploy/prometheus/, so `promtool check rules deploy/prometheus/*` passes;
#: the example config and the rules' unit tests live elsewhere.
CONFIG = DEPLOY / "prometheus-config" / "prometheus.yml"
RULE_TESTS = Path(__file__).resolve().parent / "alerts_test.yml"


def _promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=60)


def test_promtool_checks_every_file_of_the_rules_folder():
    files = sorted(str(p) for p in (DEPLOY / "prometheus").iterdir())
    assert files == [str(RULES)]
    proc = _promtool("check", "rules", *files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS: 5 rules found" in proc.stdout


def test_the_rules_fire_as_their_unit_tests_say():
    proc = _promtool("test", "rules", str(RULE_TESTS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout


def test_promtool_checks_the_example_config():
    proc = _promtool("check", "config", str(CONFIG))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _rules() -> dict[str, dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return {rule["alert"]: rule for group in groups for rule in group["rules"]}


def test_the_alerts_cover_what_the_issue_asks_with_contract_metrics_only():
    rules = _rules()
    assert sorted(rules) == ["JobInventoryJobActiveTooLong", "JobInventoryJobFailed", "JobInventoryStreamsFailing",
                             "JobInventorySyncFailed", "JobInventorySyncStale"]
    named = {alert: metric_names(rule["expr"]) for alert, rule in rules.items()}
    assert named == {
        "JobInventoryJobFailed": {"jobinventory_job_changes_total"},
        "JobInventoryJobActiveTooLong": {"jobinventory_oldest_active_job_age_seconds"},
        "JobInventorySyncFailed": {"jobinventory_last_sync_success"},
        "JobInventorySyncStale": {"jobinventory_last_sync_timestamp_seconds"},
        "JobInventoryStreamsFailing": {"jobinventory_stream_failures"},
    }
    assert 'status="FAILED"' in rules["JobInventoryJobFailed"]["expr"]


def _dashboard_queries(dashboard: dict) -> list[str]:
    queries = [expr for _, expr in dashboard_targets(dashboard)]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            queries.append(variable["query"]["query"])
    return queries


def test_metric_names_are_read_from_promql():
    assert metric_names('sum by (a, b) (increase(x_total{k="y", j=~"$v"}[$__rate_interval])) > 0') == {"x_total"}
    assert metric_names("time() - max(last_seconds) > 2 * 300 or absent(other) offset 5m") == \
        {"last_seconds", "other"}
    assert metric_names("label_values(jobinventory_jobs, service)") == {"jobinventory_jobs", "service"}


def test_the_dashboard_is_classic_json_with_a_datasource_variable():
    dashboard = json.loads(DASHBOARD.read_text())
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert all(p["datasource"] == {"type": "prometheus", "uid": "${datasource}"} for p in panels)
    assert all(t["datasource"]["uid"] == "${datasource}" for p in panels for t in p["targets"])
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    titles = [p["title"] for p in panels]
    for wanted in ("Jobs by status", "Jobs by service and status", "Changes into FAILED", "Oldest active job",
                   "Last sync", "Failing streams"):
        assert wanted in titles


def test_every_dashboard_query_uses_only_contract_metrics():
    dashboard = json.loads(DASHBOARD.read_text())
    queries = _dashboard_queries(dashboard)
    assert len(queries) == 16
    used = set()
    for query in queries:
        names = metric_names(query)
        if query.startswith("label_values("):
            names -= {"service", "region", "account_id"}
        assert names and names <= CONTRACT_METRICS, (query, names - CONTRACT_METRICS)
        used |= names
    assert used == CONTRACT_METRICS


def test_the_provisioning_example_points_at_the_dashboard():
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/jobinventory.yml").read_text())
    assert provider["apiVersion"] == 1
    assert provider["providers"][0]["type"] == "file"
    source = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    assert source["datasources"][0]["type"] == "prometheus"


def test_a_real_prometheus_accepts_every_dashboard_query_and_loads_the_rules(prometheus):
    prometheus = prometheus([], rule_files=[str(RULES)])
    dashboard = json.loads(DASHBOARD.read_text())
    for query in _dashboard_queries(dashboard):
        if query.startswith("label_values("):
            continue
        assert prometheus.query(for_prometheus(query)) == []  # valid PromQL; no data scraped yet
    groups = prometheus.api("rules")["groups"]
    assert sorted(r["name"] for g in groups for r in g["rules"]) == sorted(_rules())
    assert all(r["health"] != "err" for g in groups for r in g["rules"])
