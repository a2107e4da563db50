"""Deployment files: the compose file and the Slack manifest parse and fit the code they run.
Each service's command is also tested directly (the API's `serve` in test_api, `chroma run` in
test_chroma_server); the whole stack runs in tests/test_compose.py where podman is installed
(deploy/compose_smoke.sh)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from review_assistant.cli import app
from tests.support.samples import ROOT


def test_compose_file_describes_the_deployment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {
        "proxy", "api", "slack", "postgres", "chroma", "ollama", "ollama-model",
    }  # fmt: skip
    assert services["api"]["command"][:2] == ["review-assistant", "serve"]
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["slack"]["command"] == ["review-assistant", "slack"]
    assert services["chroma"]["command"][0] == "run"
    assert services["ollama"]["profiles"] == services["ollama-model"]["profiles"] == ["llm"]
    # the model is put into the server, by pull or from a local GGUF file
    loader = services["ollama-model"]["command"][0]
    assert "ollama pull" in loader and "ollama create" in loader
    assert services["ollama-model"]["depends_on"]["ollama"]["condition"] == "service_healthy"
    assert services["postgres"]["command"][0] == "postgres"  # as the tests start it
    for name in set(services) - {"ollama-model"}:  # a one-shot job has nothing to check
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["volumes"], name
    for name in ("api", "slack"):
        env = services[name]["environment"]
        assert env["CHROMA_HOST"] == "chroma" and env["REVIEW_ASSISTANT_DATA_DIR"] == "/data"
        assert env["REVIEW_ASSISTANT_DATABASE_URL"].startswith("postgresql://review:")
        assert "@postgres:5432/review" in env["REVIEW_ASSISTANT_DATABASE_URL"]
        for engine in ("chroma", "postgres"):
            assert services[name]["depends_on"][engine]["condition"] == "service_healthy"
    assert set(compose["volumes"]) == {
        "assistant-data", "chroma-data", "postgres-data", "ollama-models",
    }  # fmt: skip
    # one published port, the proxy's, on loopback by default; keys are required
    assert "ports" not in services["api"]
    assert services["proxy"]["ports"] == ["${API_BIND:-127.0.0.1}:8000:8000"]
    mount = services["proxy"]["volumes"][0].split(":")
    assert (ROOT / mount[0]).is_file() and mount[1] == "/etc/nginx/conf.d/default.conf"
    assert "server api:8000" in (ROOT / mount[0]).read_text()
    assert services["api"]["environment"]["API_KEYS"].startswith("${API_KEYS:?")
    assert {"LLM_TIMEOUT", "LLM_API_KEY"} <= set(services["api"]["environment"])


def test_the_image_runs_as_a_user_without_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "'.[postgres]'" in dockerfile  # the driver the compose file's database needs


def test_serve_refuses_other_interfaces_without_keys(monkeypatch, tmp_path):
    runner = CliRunner()
    monkeypatch.setenv("REVIEW_ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("API_KEYS", raising=False)
    monkeypatch.delenv("REVIEW_ASSISTANT_ALLOW_OPEN", raising=False)
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "API_KEYS" in result.output


def test_slack_manifest_matches_the_bot():
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history"} <= scopes
    assert manifest["features"]["slash_commands"][0]["command"] == "/review"
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_mention", "message.im"} <= set(events)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_service_commands_exist_and_the_slack_worker_needs_its_tokens(monkeypatch, tmp_path):
    runner = CliRunner()
    monkeypatch.setenv("REVIEW_ASSISTANT_DATA_DIR", str(tmp_path))
    for command in ("serve", "slack", "ingest", "ask"):
        assert runner.invoke(app, [command, "--help"]).exit_code == 0
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    result = runner.invoke(app, ["slack"])
    assert result.exit_code == 2 and "SLACK_APP_TOKEN" in result.output


@pytest.mark.parametrize("gguf", ["", "small-model.gguf"])
def test_the_model_loader_pulls_or_creates_from_a_local_file(tmp_path, gguf):
    """The `ollama-model` command, as compose hands it to the shell, with a stand-in `ollama`
    that records how it was called."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["ollama-model"]["command"][0].replace("$$", "$")
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "ollama"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "LLM_MODEL": "reviewer", "LLM_GGUF": gguf}
    subprocess.run(["sh", "-c", command], env=env, check=True)
    if gguf:
        assert calls.read_text() == "create reviewer -f /tmp/Modelfile\n"
        assert Path("/tmp/Modelfile").read_text() == "FROM /models/small-model.gguf\n"
    else:
        assert calls.read_text() == "pull reviewer\n"
