"""The cluster mode without a cluster: settings mapped to Serve's options, the config files, imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from ray.serve.schema import ServeDeploySchema

from auricle.cluster.app import ClusterOptions, build, deployment_options
from auricle.cluster.replica import replica_settings, workers_for
from auricle.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def applications(config: dict[str, Any]) -> list[dict[str, Any]]:
    ServeDeploySchema.model_validate(config)  # what `serve run` and `serve deploy` check first
    apps: list[dict[str, Any]] = config["applications"]
    return apps


def serve_yaml() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((DEPLOY / "serve.yaml").read_text())
    return config


def rayservice_serve_config() -> dict[str, Any]:
    manifest = yaml.safe_load((DEPLOY / "rayservice.yaml").read_text())
    assert manifest["kind"] == "RayService"
    assert manifest["spec"]["rayClusterConfig"]["rayVersion"] == "2.60.0"
    config: dict[str, Any] = yaml.safe_load(manifest["spec"]["serveConfigV2"])
    return config


@pytest.mark.parametrize("config", [serve_yaml(), rayservice_serve_config()], ids=["serve", "rayservice"])
def test_the_config_files_build(config: dict[str, Any]) -> None:
    [app] = applications(config)
    assert app["import_path"] == "auricle.cluster.app:build"
    bound: Any = build(app["args"])._bound_deployment
    assert bound.name == "Auricle"
    assert bound.ray_actor_options["num_cpus"] == 2  # workers 2 x cpu_threads 1
    assert bound._deployment_config.autoscaling_config.max_replicas == 4


def test_the_two_files_deploy_the_same_application() -> None:
    assert serve_yaml()["applications"] == rayservice_serve_config()["applications"]


def test_a_gpu_replica_asks_ray_for_one_gpu() -> None:
    on_gpu = deployment_options(Settings(device="cuda", workers=1), ClusterOptions())
    assert on_gpu["ray_actor_options"] == {"num_cpus": 1, "num_gpus": 1}
    on_cpu = deployment_options(Settings(workers=1), ClusterOptions())
    assert "num_gpus" not in on_cpu["ray_actor_options"]


def test_options_follow_the_settings() -> None:
    settings = Settings(workers=2, cpu_threads=2, concurrency=4, max_queue=10, retry_after_seconds=7)
    chosen = deployment_options(settings, ClusterOptions(min_replicas=2, max_replicas=3))
    assert chosen["ray_actor_options"] == {"num_cpus": 4}
    assert chosen["max_ongoing_requests"] == 4 + 3  # concurrency + live seats (three per two workers)
    assert chosen["max_queued_requests"] == 30
    assert chosen["backpressure_config"] == {"status_code": 429, "retry_after_s": 7}
    assert chosen["autoscaling_config"]["min_replicas"] == 2
    assert chosen["autoscaling_config"]["target_ongoing_requests"] == 4
    assert "num_replicas" not in chosen


def test_a_fixed_count_and_cpus_when_workers_is_zero() -> None:
    settings = Settings(cpu_threads=2, max_queue=0)
    options = ClusterOptions(min_replicas=3, replica_cpus=5, replica_memory_mb=512, max_replicas_per_node=1)
    chosen = deployment_options(settings, options)
    assert chosen["num_replicas"] == 3
    assert chosen["ray_actor_options"] == {"num_cpus": 4, "memory": 512 * 2**20}  # 2 workers of 2 threads
    assert chosen["max_queued_requests"] == 1  # Serve takes no 0; -1 would be unbounded
    assert chosen["max_replicas_per_node"] == 1
    assert "autoscaling_config" not in chosen


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValidationError, match="below min_replicas"):
        ClusterOptions(min_replicas=3, max_replicas=2)
    with pytest.raises(ValidationError):
        build({"replicas": 2})  # a typo is an error, not a silent default
    with pytest.raises(ValidationError):
        build({"settings": {"concurrency": 0}})


def test_workers_come_from_the_replicas_cpus_never_the_nodes() -> None:
    assert workers_for(Settings(workers=0, cpu_threads=1), 3.0) == 3
    assert workers_for(Settings(workers=0, cpu_threads=2), 3.0) == 1
    assert workers_for(Settings(workers=0, cpu_threads=4), 1.0) == 1
    assert workers_for(Settings(workers=5), 1.0) == 5


def test_a_replica_takes_only_the_settings_sent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AURICLE_BEAM_SIZE", "2")  # a node's environment must not change them
    sent = {"models": {"tiny.en": "bundled:tiny.en"}, "default_model": "tiny.en", "cache_dir": str(tmp_path)}
    settings = replica_settings(sent, assigned_cpus=2.0)
    assert settings.beam_size == 5
    assert settings.workers == 2
    assert settings.adopt_request_id
    assert Path(settings.models["tiny.en"]).is_dir()


def test_the_settings_sent_are_those_that_were_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AURICLE_BEAM_SIZE", "3")
    app = build({"settings": {"workers": 1}})
    [sent] = app._bound_deployment.init_args
    assert sent == {"aliases": {"whisper-1": "base"}, "workers": 1, "beam_size": 3, "adopt_request_id": True}


def test_the_plain_install_never_imports_ray() -> None:
    code = (
        "import sys, auricle.cli, auricle.api.app\n"
        "assert not [name for name in sys.modules if name == 'ray' or name.startswith('ray.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
