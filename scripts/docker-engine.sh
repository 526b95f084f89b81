#!/usr/bin/env bash
# Starts or stops the Docker engine that scripts/prepare-docker.sh runs for the tests.
#
#   docker-engine.sh start   a running engine is left alone; otherwise start dockerd (from docker.io) with
#                            --live-restore in a session of its own
#   docker-engine.sh stop    stop the engine, but only one that `start` started (its pid is in $PID_FILE);
#                            with live restore its containers keep running, as a home server's would
#
# The reboot test (GatewayRebootTests) stops and starts the engine through this script; an engine that something
# else manages (systemd, Docker Desktop) is never touched: `stop` refuses, and that test is skipped.
#
# Env: SG_DOCKERD_LOG (default /var/log/selfhosted-gateway-dockerd.log).
set -euo pipefail

DOCKERD_LOG="${SG_DOCKERD_LOG:-/var/log/selfhosted-gateway-dockerd.log}"
PID_FILE=/run/selfhosted-gateway-dockerd.pid

log() { printf '[docker-engine] %s\n' "$*" >&2; }
die() { printf '[docker-engine] ERROR: %s\n' "$*" >&2; exit 1; }

managed_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid="$(cat "$PID_FILE")"
    [[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
    echo "$pid"
}

start() {
    if docker info >/dev/null 2>&1; then
        log "docker engine is running"
        return
    fi
    command -v dockerd >/dev/null 2>&1 \
        || die "dockerd is not installed: apt-get install docker.io (scripts/prepare-docker.sh does)"
    if ! pgrep -x dockerd >/dev/null 2>&1; then
        log "starting dockerd (log: $DOCKERD_LOG)"
        mkdir -p "$(dirname "$DOCKERD_LOG")"
        # Its own session, so it outlives the shell (and the job) that started it. Live restore keeps containers
        # running while the engine restarts.
        setsid nohup dockerd --live-restore >>"$DOCKERD_LOG" 2>&1 </dev/null &
        echo $! >"$PID_FILE"
        disown || true
    else
        log "dockerd is running but not answering yet; waiting"
    fi
    local i
    for i in $(seq 1 60); do
        if docker info >/dev/null 2>&1; then
            log "docker engine is up after ${i}s"
            return
        fi
        sleep 1
    done
    tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
    die "docker engine did not answer within 60s (see $DOCKERD_LOG)"
}

stop() {
    local pid i
    pid="$(managed_pid)" || die "the running engine was not started by this script; not stopping it"
    log "stopping dockerd ($pid)"
    kill -TERM "$pid"
    for i in $(seq 1 60); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "dockerd stopped after ${i}s"
            return
        fi
        sleep 1
    done
    die "dockerd did not stop within 60s"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 start|stop" ;;
esac
