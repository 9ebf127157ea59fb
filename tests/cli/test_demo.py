"""`jobinventory list --demo` on a machine with no AWS setup at all."""
from __future__ import annotations

import json
import os

from .helpers import run


def _bare_env(tmp_path):
    """No AWS_* variable, HOME in an empty directory: no config, no credentials."""
    drop = [name for name in os.environ if name.startswith("AWS_")]
    return {"HOME": str(tmp_path), "NO_COLOR": "1"}, drop


def test_list_demo_needs_no_credentials(tmp_path):
    env, drop = _bare_env(tmp_path)
    proc = run("list", "--demo", env=env, drop=drop, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:2] == ["CREATED", "SERVICE"]
    assert len(lines) > 20
    services = {line.split()[2] for line in lines[1:] if line and not line[0].isalpha()}
    assert {"forecast", "personalize", "dataexchange", "bedrock"} <= services
    assert lines[-1].endswith("times in UTC") or "times in" in lines[-1]


def test_demo_ignores_a_broken_aws_setup(tmp_path):
    """A profile that does not exist, a garbage config file, an endpoint elsewhere: the demo still works."""
    env, drop = _bare_env(tmp_path)
    bad = tmp_path / "config"
    bad.write_text("[[[not ini\n")
    env.update({"AWS_PROFILE": "nope", "AWS_CONFIG_FILE": str(bad), "AWS_SHARED_CREDENTIALS_FILE": str(bad),
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    proc = run("summary", "--demo", "--region", "eu-west-1", "--format", "json", env=env, drop=drop, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["total"] > 20 and data["by_region"] == {"eu-west-1": data["total"]}
    # The demo seeds no async invocation in eu-west-1 (it does in us-east-1 and us-west-2).
    assert set(data["by_service"]) == {"forecast", "personalize", "dataexchange", "bedrock", "bedrock-agent"}
    assert data["streams"]["failed"] == 0


def test_the_demo_reads_an_empty_config_file_of_its_own():
    from jobinventory import demo

    path = demo.empty_config_file()
    assert path != os.devnull and os.path.isfile(path) and os.path.getsize(path) == 0
    session = demo.demo_session()
    assert session._session.get_config_variable("config_file") == path
    with demo.sealed_environment():
        assert os.environ["AWS_CONFIG_FILE"] == path == os.environ["AWS_SHARED_CREDENTIALS_FILE"]
