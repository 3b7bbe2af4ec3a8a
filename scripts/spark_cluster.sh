#!/usr/bin/env bash
# A Spark standalone cluster on this machine, behind a Spark Thrift server:
# what profiles.yml's `spark_thrift` target connects to. Everything runs from
# the pinned pyspark in the virtualenv (requirements-spark.txt; Java 17) and
# listens on loopback (127.0.0.1) only.
#
# Usage: bash scripts/spark_cluster.sh start|stop|status
#
# start: three JVMs, each with a pid file under $SPARK_CLUSTER_DIR/pids:
#   master  org.apache.spark.deploy.master.Master   (spark://127.0.0.1:$SPARK_CLUSTER_MASTER_PORT)
#   worker  org.apache.spark.deploy.worker.Worker   (one, $SPARK_CLUSTER_CORES cores);
#           it starts one executor JVM for the Thrift server's application
#   thrift  org.apache.spark.sql.hive.thriftserver.HiveThriftServer2, the
#           SQL endpoint (127.0.0.1:$SCORING_SPARK_PORT, no authentication),
#           the application's driver
# then waits until the endpoint answers a query that runs on the executor.
# stop: stops exactly those processes (the Thrift server, then the worker
# and the executors it started, then the master), found by their pid files
# and checked to be this cluster's before any signal; never by name.
#
# Settings, from the environment:
#   SPARK_CLUSTER_DIR              everything the cluster writes: warehouse/
#                                  (parquet tables), metastore_db/ (Derby),
#                                  logs/, pids/, work/, tmp/
#                                  (default target/spark_cluster)
#   SCORING_SPARK_PORT             Thrift port (default 10000)
#   SPARK_CLUSTER_MASTER_PORT      master port (default 7077)
#   SPARK_CLUSTER_CORES            executor cores (default 2)
#   SPARK_CLUSTER_EXECUTOR_MEMORY  executor heap (default 1g)
#   SPARK_CLUSTER_DRIVER_MEMORY    Thrift server heap (default 1g)
#   SPARK_CLUSTER_SHUFFLE_PARTITIONS  spark.sql.shuffle.partitions (default 4)
#   SPARK_CLUSTER_START_TIMEOUT    seconds to wait for the endpoint (default 240)
#   SPARK_CLUSTER_JAVA_OPTIONS     options of every JVM of the cluster (default
#                                  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC:
#                                  the quick JIT compiler only and one GC
#                                  thread; on this 2-core machine the sample
#                                  build through the endpoint took 117 s and
#                                  201 s of JVM CPU instead of 160 s and 320
#                                  s. Results do not depend on them. Set it
#                                  empty for the JVM's defaults on big data.)
#   VENV                           the virtualenv (default .venv)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VENV:-$repo/.venv}"
dir="${SPARK_CLUSTER_DIR:-$repo/target/spark_cluster}"
host=127.0.0.1
thrift_port="${SCORING_SPARK_PORT:-10000}"
master_port="${SPARK_CLUSTER_MASTER_PORT:-7077}"
cores="${SPARK_CLUSTER_CORES:-2}"
executor_memory="${SPARK_CLUSTER_EXECUTOR_MEMORY:-1g}"
driver_memory="${SPARK_CLUSTER_DRIVER_MEMORY:-1g}"
shuffle_partitions="${SPARK_CLUSTER_SHUFFLE_PARTITIONS:-4}"
timeout="${SPARK_CLUSTER_START_TIMEOUT:-240}"
java_options="${SPARK_CLUSTER_JAVA_OPTIONS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
roles=(master worker thrift)

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pids="$dir/pids"
logs="$dir/logs"
# Every process this script starts has this variable in its environment
# (kept through the exec of the launch scripts into java): a pid counts as
# this cluster's only when it does (a pid file can outlive its process, and
# the pid can be reused).
tag="ENGAGEMENT_SCORING_SPARK_CLUSTER=$dir"

pid_of() {  # the live pid of a role of this cluster, or nothing
    local file="$pids/$1.pid" pid environment
    [ -f "$file" ] || return 0
    pid="$(cat "$file")"
    environment="$(tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" || true)"
    if grep -qxF -- "$tag" <<< "$environment"; then
        echo "$pid"
    fi
}

wait_gone() {  # wait_gone SECONDS PID...: true once none of them is alive
    local deadline=$((SECONDS + $1)) pid alive
    shift
    while :; do
        alive=0
        for pid in "$@"; do
            if kill -0 "$pid" 2>/dev/null; then alive=1; fi
        done
        [ "$alive" = 0 ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.5
    done
}

stop_pids() {  # TERM, then KILL after 30 s
    [ "$#" = 0 ] && return 0
    kill -TERM "$@" 2>/dev/null || true
    if ! wait_gone 30 "$@"; then
        kill -KILL "$@" 2>/dev/null || true
        wait_gone 10 "$@" || true
    fi
}

stop() {
    local pid children
    pid="$(pid_of thrift)"
    if [ -n "$pid" ]; then
        echo "stopping the Thrift server (pid $pid)"
        stop_pids "$pid"
    fi
    pid="$(pid_of worker)"
    if [ -n "$pid" ]; then
        # the executor JVMs the worker started (its child processes)
        children="$(ps -o pid= --ppid "$pid" | tr -s ' \n' ' ' || true)"
        echo "stopping the worker (pid $pid; executors:${children:- none})"
        stop_pids "$pid"
        # shellcheck disable=SC2086  # a list of pids
        stop_pids $children
    fi
    pid="$(pid_of master)"
    if [ -n "$pid" ]; then
        echo "stopping the master (pid $pid)"
        stop_pids "$pid"
    fi
    for role in "${roles[@]}"; do
        rm -f "$pids/$role.pid"
    done
}

status() {
    local role pid running=0
    for role in "${roles[@]}"; do
        pid="$(pid_of "$role")"
        echo "$role: ${pid:-not running}"
        [ -n "$pid" ] && running=$((running + 1))
    done
    [ "$running" = "${#roles[@]}" ]
}

endpoint_answers() {  # a query that needs the executor, through the endpoint
    "$venv/bin/python" - "$host" "$thrift_port" <<'PY' > /dev/null 2>&1
import sys
from pyhive import hive

connection = hive.connect(host=sys.argv[1], port=int(sys.argv[2]), username="spark_cluster")
cursor = connection.cursor()
cursor.execute("select count(*) from range(4)")
assert cursor.fetchall() == [(4,)]
connection.close()
PY
}

launch() {  # launch ROLE COMMAND...: in its own session, output to its log
    local role="$1"
    shift
    (cd "$dir" && exec setsid "$@" > "$logs/$role.log" 2>&1 < /dev/null) &
    echo $! > "$pids/$role.pid"
}

start() {
    if status > /dev/null; then
        echo "the cluster of $dir is already running"
        status
        return 0
    fi
    stop > /dev/null  # whatever is left of an earlier start
    local spark_home
    spark_home="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
    mkdir -p "$pids" "$logs" "$dir/conf" "$dir/work" "$dir/tmp" "$dir/warehouse"
    export SPARK_HOME="$spark_home"
    export SPARK_CONF_DIR="$dir/conf"  # empty: no spark-defaults.conf from elsewhere
    export SPARK_LOCAL_IP="$host"
    export SPARK_LOCAL_DIRS="$dir/tmp"
    export ENGAGEMENT_SCORING_SPARK_CLUSTER="$dir"  # the tag, for the processes started below
    export PYSPARK_PYTHON="$venv/bin/python"

    # the master and the worker only schedule: a small heap (SPARK_DAEMON_MEMORY
    # would also set the Thrift server's, which spark-submit counts as a daemon)
    launch master env SPARK_DAEMON_MEMORY=256m SPARK_DAEMON_JAVA_OPTS="$java_options" "$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host "$host" --port "$master_port" --webui-port 0
    launch worker env SPARK_DAEMON_MEMORY=256m SPARK_DAEMON_JAVA_OPTS="$java_options" "$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host "$host" --port 0 --webui-port 0 --cores "$cores" \
        --memory "$executor_memory" --work-dir "$dir/work" "spark://$host:$master_port"
    launch thrift "$spark_home/bin/spark-submit" \
        --master "spark://$host:$master_port" \
        --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
        --name engagement_scoring_thrift \
        --driver-memory "$driver_memory" \
        --executor-memory "$executor_memory" \
        --total-executor-cores "$cores" \
        --driver-java-options "$java_options -Duser.timezone=UTC -Dderby.stream.error.file=$dir/derby.log" \
        --conf spark.executor.extraJavaOptions="$java_options -Duser.timezone=UTC" \
        --conf spark.driver.host="$host" \
        --conf spark.driver.bindAddress="$host" \
        --conf spark.ui.enabled=false \
        --conf spark.sql.session.timeZone=UTC \
        --conf spark.sql.ansi.enabled=false \
        --conf spark.sql.catalogImplementation=hive \
        --conf spark.sql.warehouse.dir="$dir/warehouse" \
        --conf spark.hadoop.javax.jdo.option.ConnectionURL="jdbc:derby:;databaseName=$dir/metastore_db;create=true" \
        --conf spark.sql.sources.default=parquet \
        --conf spark.sql.legacy.createHiveTableByDefault=false \
        --conf spark.hadoop.hive.exec.dynamic.partition.mode=nonstrict \
        --conf spark.sql.shuffle.partitions="$shuffle_partitions" \
        --conf spark.default.parallelism="$cores" \
        --conf spark.sql.constraintPropagation.enabled=false \
        spark-internal \
        --hiveconf hive.server2.thrift.bind.host="$host" \
        --hiveconf hive.server2.thrift.port="$thrift_port"

    local deadline=$((SECONDS + timeout)) role
    until endpoint_answers; do
        for role in "${roles[@]}"; do
            if [ -z "$(pid_of "$role")" ]; then
                echo "the Spark $role exited; the end of $logs/$role.log:" >&2
                tail -n 30 "$logs/$role.log" >&2
                stop
                return 1
            fi
        done
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "the Thrift server did not answer on $host:$thrift_port within ${timeout}s;" \
                "logs in $logs" >&2
            stop
            return 1
        fi
        sleep 2
    done
    echo "Spark Thrift server on $host:$thrift_port (master spark://$host:$master_port;" \
        "pids: master $(pid_of master), worker $(pid_of worker), thrift $(pid_of thrift);" \
        "warehouse $dir/warehouse)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
