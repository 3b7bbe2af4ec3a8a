"""The local Spark cluster behind a Thrift server (scripts/spark_cluster.sh),
started once for the Spark tests and stopped when they end, pass or fail."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.harness import REPO

CLUSTER_SCRIPT = REPO / "scripts" / "spark_cluster.sh"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Cluster:
    port: int
    directory: Path
    env: dict[str, str]


def free_port() -> int:
    """A port nothing listens on now (another cluster on this machine, such
    as a developer's on the default ports, is left alone)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cluster_command(action: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(CLUSTER_SCRIPT), action], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory) -> Cluster:
    """A master, a worker and the Thrift server on free loopback ports, their
    warehouse and metastore in a directory of their own
    (SCORING_TEST_SPARK_CLUSTER_DIR, which scripts/test.sh sets so that its
    exit trap can stop the cluster too, or a temporary directory)."""
    directory = Path(os.environ.get("SCORING_TEST_SPARK_CLUSTER_DIR")
                     or tmp_path_factory.mktemp("spark_cluster"))
    port = free_port()
    # the Thrift server is the application's driver: it plans every model of
    # the build and keeps the metastore, and the script's 1 GiB default left
    # too little room when the other test groups loaded the machine
    env = {"SPARK_CLUSTER_DIR": str(directory), "SCORING_SPARK_PORT": str(port),
           "SPARK_CLUSTER_MASTER_PORT": str(free_port()),
           "SPARK_CLUSTER_DRIVER_MEMORY": os.environ.get("SPARK_CLUSTER_DRIVER_MEMORY", "2g")}
    # a fresh warehouse and metastore: first stop what an interrupted run may
    # have left running there, then empty the directory
    cluster_command("stop", env)
    shutil.rmtree(directory, ignore_errors=True)
    started = cluster_command("start", env)
    try:
        assert started.returncode == 0, f"{started.stdout}\n{started.stderr}"
        yield Cluster(port, directory, env)
        # a Thrift server that died under the tests fails every later one
        # with "Could not connect": say why it died
        running = cluster_command("status", env)
        assert running.returncode == 0, (
            f"the Spark cluster stopped during the tests:\n{running.stdout}"
            f"{last_lines(directory / 'logs' / 'thrift.log')}")
    finally:
        stopped = cluster_command("stop", env)
        assert stopped.returncode == 0, f"{stopped.stdout}\n{stopped.stderr}"


def last_lines(log: Path, count: int = 40) -> str:
    """The end of a cluster log, and every line of it naming an error."""
    if not log.exists():
        return f"(no {log})"
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [line for line in lines
              if "OutOfMemory" in line or "Exception in thread" in line or "SIGTERM" in line
              or " ERROR " in line and "TThreadPoolServer" not in line]
    return (f"errors in {log}:\n" + "\n".join(errors[-20:])
            + f"\nthe last {count} lines:\n" + "\n".join(lines[-count:]))
