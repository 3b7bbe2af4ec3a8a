"""The spark_thrift target pointed at the wrong place (issue 28): a port an
HTTP server listens on, a port nothing listens on, a port that is no number.

dbt-spark connects through PyHive, whose socket has no timeout: on a port
that accepts the connection but is no Thrift server, `dbt build --target
spark_thrift` waits forever (dbt-spark's connect_timeout is the pause between
retries). `engagement-scoring spark-check`, which scripts/run.sh runs before
dbt on that target, must fail within the connect timeout naming host and
port. No Spark is needed: only PyHive and dbt-spark (requirements-spark.txt).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.harness import REPO, dbt_executable

pytest.importorskip("pyhive")
pytest.importorskip("thrift_sasl")

HOST = "127.0.0.1"
TIMEOUT = 3  # seconds, SCORING_SPARK_CONNECT_TIMEOUT of the checks below


class Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_port():
    """An HTTP server on a free loopback port; it never times a client out."""
    server = ThreadingHTTPServer((HOST, 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def spark_check(port: str, timeout: float = TIMEOUT) -> tuple[subprocess.CompletedProcess, float]:
    env = dict(os.environ, SCORING_SPARK_HOST=HOST, SCORING_SPARK_PORT=port,
               SCORING_SPARK_CONNECT_TIMEOUT=str(timeout))
    started = time.monotonic()
    # the test's own limit: 60 s, far above the check's 3 s, far below forever
    result = subprocess.run([sys.executable, "-m", "engagement_scoring", "spark-check"],
                            env=env, capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - started


def test_an_http_port_fails_within_the_connect_timeout_naming_host_and_port(http_port):
    result, took = spark_check(str(http_port))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"no Spark Thrift server answered at {HOST}:{http_port}" in result.stderr
    assert "timeout 3 s" in result.stderr
    # the timeout, plus starting Python and importing PyHive (about 1 s here)
    assert TIMEOUT <= took < TIMEOUT + 15, took


def test_a_closed_port_fails_at_once_naming_host_and_port():
    # port 1 (tcpmux): nothing listens there on loopback
    result, took = spark_check("1")
    assert result.returncode == 1
    assert f"no Spark Thrift server answered at {HOST}:1" in result.stderr, result.stderr
    assert took < TIMEOUT + 15, took


def test_a_port_that_is_no_number_fails_naming_the_variable():
    result, _ = spark_check("abc")
    assert result.returncode == 1
    assert "SCORING_SPARK_PORT must be a port number (1 to 65535), got 'abc'" in result.stderr


def test_dbt_refuses_a_port_that_is_no_number_naming_the_variable(tmp_path):
    """profiles.yml rendered `abc | int` as port 0, which dbt accepted."""
    pytest.importorskip("dbt.adapters.spark")
    result = subprocess.run(
        [dbt_executable(), "parse", "--target", "spark_thrift", "--project-dir", str(REPO),
         "--profiles-dir", str(REPO), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        env=dict(os.environ, SCORING_SPARK_PORT="abc", DBT_SEND_ANONYMOUS_USAGE_STATS="false"),
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode != 0, said[-3000:]
    assert "SCORING_SPARK_PORT must be a port number, got abc" in said, said[-3000:]
