#!/usr/bin/env bash
# Starts the gateway on this host (the VPS): Docker and the images if needed, the control plane's jar,
# then docker-compose.gateway.yml (control plane + NGINX). Safe to run again: it updates in place.
#   GATEWAY_PUBLIC_HOST=gw.example.com scripts/start-gateway.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[start-gateway] %s\n' "$*" >&2; }
# Remembered in .env, which compose reads by itself: later `docker-compose logs`, `exec`, `up` need no variables.
if [ -z "${GATEWAY_PUBLIC_HOST:-}" ] && [ -f .env ]; then
    GATEWAY_PUBLIC_HOST="$(sed -n 's/^GATEWAY_PUBLIC_HOST=//p' .env)"
fi
[ -n "${GATEWAY_PUBLIC_HOST:-}" ] || { log "set GATEWAY_PUBLIC_HOST to this gateway's public DNS name or IP"; exit 1; }
[[ $GATEWAY_PUBLIC_HOST =~ ^[A-Za-z0-9.:-]+$ ]] || { log "GATEWAY_PUBLIC_HOST must be a DNS name or an IP address"; exit 1; }
{
    echo "GATEWAY_PUBLIC_HOST=$GATEWAY_PUBLIC_HOST"
    for name in GATEWAY_API_BIND GATEWAY_API_PORT; do
        [ -z "${!name:-}" ] || echo "$name=${!name}"
    done
} >.env

if [ ! -f target/selfhosted-gateway.jar ] || [ -n "$(find src pom.xml openapi.yaml -newer target/selfhosted-gateway.jar -print -quit)" ]; then
    log "building the control plane"
    ./mvnw -B -q -DskipTests package
fi
bash scripts/prepare-docker.sh

if command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose); else compose=(docker compose); fi
"${compose[@]}" -f docker-compose.gateway.yml up -d

log "waiting for the control plane"
for _ in $(seq 1 90); do
    if curl -fsS "http://127.0.0.1:${GATEWAY_API_PORT:-8080}/actuator/health" >/dev/null 2>&1; then
        log "up: API on http://127.0.0.1:${GATEWAY_API_PORT:-8080}"
        if [ -z "${GATEWAY_API_TOKEN:-}" ]; then
            log "admin token: $("${compose[@]}" -f docker-compose.gateway.yml exec -T control-plane cat /data/api-token </dev/null)"
        fi
        exit 0
    fi
    sleep 2
done
log "the control plane did not become healthy; see: ${compose[*]} -f docker-compose.gateway.yml logs control-plane"
exit 1
