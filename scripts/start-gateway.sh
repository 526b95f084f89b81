#!/usr/bin/env bash
# Starts the gateway on this host (the VPS): the Docker engine and compose if missing, the gateway's images
# (gateway-link, gateway-nginx, control-plane; nothing that only tests use), then docker-compose.gateway.yml
# (control plane + NGINX). Safe to run again: it updates in place.
#   GATEWAY_PUBLIC_HOST=gw.example.com scripts/start-gateway.sh
# Without a JDK on the host the control plane is compiled inside Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib-gateway.sh
. scripts/lib-gateway.sh

log() { printf '[start-gateway] %s\n' "$*" >&2; }
gw_load_settings
[ -n "${GATEWAY_PUBLIC_HOST:-}" ] || { log "set GATEWAY_PUBLIC_HOST to this gateway's public DNS name or IP"; exit 1; }
[[ $GATEWAY_PUBLIC_HOST =~ ^[A-Za-z0-9.:-]+$ ]] \
    || { log "GATEWAY_PUBLIC_HOST must be a DNS name or an IP address"; exit 1; }
gw_save_settings

jar_stale() {
    [ ! -f target/selfhosted-gateway.jar ] \
        || [ -n "$(find src pom.xml openapi.yaml -newer target/selfhosted-gateway.jar -print -quit)" ]
}
if jar_stale; then
    if command -v java >/dev/null 2>&1; then
        log "building the control plane"
        ./mvnw -B -q -DskipTests package
    else
        export SG_CONTROL_PLANE_FROM_SOURCE=1
    fi
fi
SG_IMAGE_TAG="${GATEWAY_IMAGE_TAG:-latest}" bash scripts/prepare-docker.sh gateway

# Docker's userland proxy runs two processes for every published port (each link's UDP port, each raw port), about
# 1.5-1.7 MiB a port, and hides the visitor's address from raw ports' PROXY headers; without it the engine's iptables
# rules carry the same packets. Switching it off means restarting the engine, which this script never does behind
# your back: it only says so (README, "Memory on a small VPS").
if command -v pgrep >/dev/null && pgrep -x dockerd >/dev/null 2>&1 \
    && ! grep -qs '"userland-proxy"[[:space:]]*:[[:space:]]*false' /etc/docker/daemon.json; then
    log "tip: Docker's userland proxy is on; '\"userland-proxy\": false' in /etc/docker/daemon.json and a restart of" \
        "Docker save about 1.7 MiB per link and per raw port, and let raw ports see visitors' addresses" \
        "(README, \"Memory on a small VPS\")"
fi
gw_compose up -d

log "waiting for the control plane"
for _ in $(seq 1 90); do
    if curl -fsS "http://127.0.0.1:${GATEWAY_API_PORT:-8080}/actuator/health" >/dev/null 2>&1; then
        log "up: API on http://127.0.0.1:${GATEWAY_API_PORT:-8080}"
        if [ -z "${GATEWAY_API_TOKEN:-}" ]; then
            log "admin token: $(gw_compose exec -T control-plane cat /data/api-token </dev/null)"
        fi
        exit 0
    fi
    sleep 2
done
log "the control plane did not become healthy; see: docker-compose -f docker-compose.gateway.yml logs control-plane"
exit 1
