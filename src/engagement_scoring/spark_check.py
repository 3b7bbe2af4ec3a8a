"""``engagement-scoring spark-check``: does a Spark Thrift server answer at
the host and port of the ``spark_thrift`` target, within the connect timeout?

dbt-spark's ``method: thrift`` connects through PyHive, which opens its
socket without a timeout, and dbt-spark's ``connect_timeout`` is only the
pause between connection retries. So when the port is open but no Thrift
server is behind it (an HTTP server, a load balancer's health port, another
service of the cluster), PyHive sends its handshake and waits for an answer
that never comes: ``dbt build --target spark_thrift`` stalls with no output.
Nothing in a dbt project runs before dbt opens its connection, so the check
runs first, from ``scripts/run.sh`` and from a scheduled job
(``engagement-scoring spark-check && dbt build --target spark_thrift``).

It makes the connection dbt would make (the same environment variables as
``profiles.yml``, the same authentication, PyHive's own handshake and
OpenSession), on a socket that gives up after ``SCORING_SPARK_CONNECT_TIMEOUT``
seconds (default 10, the profile's ``connect_timeout``), and says which host
and port did not answer. Exit status 0 when a server answered, 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass

DEFAULT_TIMEOUT = 10


class ThriftCheckFailed(RuntimeError):
    """No Spark Thrift server answered; the message names host and port."""


@dataclass(frozen=True)
class ThriftTarget:
    """Where the spark_thrift target of profiles.yml connects, read from the
    same environment variables with the same defaults."""

    host: str
    port: int
    user: str
    auth: str
    password: str | None
    timeout: float

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> ThriftTarget:
        env = os.environ if env is None else env
        host = env.get("SCORING_SPARK_HOST", "127.0.0.1")
        return cls(host=host,
                   port=port_number(env.get("SCORING_SPARK_PORT", "10000")),
                   user=env.get("SCORING_SPARK_USER", "dbt"),
                   auth=env.get("SCORING_SPARK_AUTH", "NONE").upper(),
                   password=env.get("SCORING_SPARK_PASSWORD"),
                   timeout=seconds(env.get("SCORING_SPARK_CONNECT_TIMEOUT",
                                           str(DEFAULT_TIMEOUT))))


def port_number(text: str) -> int:
    """SCORING_SPARK_PORT as a port: a whole number from 1 to 65535."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ThriftCheckFailed(
            f"SCORING_SPARK_PORT must be a port number (1 to 65535), got '{text}'")
    return int(value)


def seconds(text: str) -> float:
    """SCORING_SPARK_CONNECT_TIMEOUT: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ThriftCheckFailed(
            f"SCORING_SPARK_CONNECT_TIMEOUT must be a positive number of seconds, got '{text}'")
    return value


def _transport(target: ThriftTarget):
    """PyHive's transport for `target`'s authentication (pyhive.hive.Connection),
    on a socket with a timeout."""
    from pyhive.hive import get_installed_sasl
    from thrift.transport import TSocket, TTransport

    socket = TSocket.TSocket(target.host, target.port)
    socket.setTimeout(target.timeout * 1000)
    if target.auth == "NOSASL":
        return TTransport.TBufferedTransport(socket)
    if target.auth not in ("NONE", "LDAP", "CUSTOM", "KERBEROS"):
        raise ThriftCheckFailed(f"SCORING_SPARK_AUTH '{target.auth}' is not one of NONE, "
                                "NOSASL, LDAP, CUSTOM, KERBEROS")
    import thrift_sasl

    mechanism = "GSSAPI" if target.auth == "KERBEROS" else "PLAIN"
    password = target.password or "x"  # NONE: any non-empty password (PyHive)
    return thrift_sasl.TSaslClientTransport(
        lambda: get_installed_sasl(host=target.host, sasl_auth=mechanism, service="hive",
                                   username=target.user, password=password),
        mechanism, socket)


def check_thrift(target: ThriftTarget) -> float:
    """Open a session on `target` as dbt would, within its timeout; seconds
    taken. Raises ThriftCheckFailed naming host and port otherwise."""
    try:
        from pyhive import hive
    except ImportError as error:
        raise ThriftCheckFailed("the spark_thrift target needs PyHive: "
                                "bash scripts/setup_venv.sh --spark") from error
    where = f"{target.host}:{target.port}"
    # thrift logs a refused connection itself; the message below says it
    logging.getLogger("thrift.transport.TSocket").setLevel(logging.CRITICAL)
    started = time.monotonic()
    try:
        connection = hive.connect(thrift_transport=_transport(target))
    except ThriftCheckFailed:
        raise
    except Exception as error:  # socket, Thrift, SASL or server errors alike
        waited = time.monotonic() - started
        reason = f"{type(error).__name__}: {error}".strip().rstrip(":")
        raise ThriftCheckFailed(
            f"no Spark Thrift server answered at {where} ({reason}, after {waited:.1f} s; "
            f"timeout {target.timeout:g} s): check SCORING_SPARK_HOST and SCORING_SPARK_PORT"
        ) from error
    connection.close()
    return time.monotonic() - started


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("Reads SCORING_SPARK_HOST, SCORING_SPARK_PORT, SCORING_SPARK_USER, "
                     "SCORING_SPARK_AUTH, SCORING_SPARK_PASSWORD and "
                     "SCORING_SPARK_CONNECT_TIMEOUT, as profiles.yml does.")


def run(args: argparse.Namespace) -> int:
    try:
        target = ThriftTarget.from_environment()
        took = check_thrift(target)
    except ThriftCheckFailed as error:
        print(f"spark-check: {error}", file=sys.stderr)
        return 1
    print(f"spark-check: a Spark Thrift server answered at {target.host}:{target.port} "
          f"in {took:.1f} s")
    return 0
