#!/usr/bin/env bash
# Stops the gateway on this host, or removes it completely.
#
#   scripts/stop-gateway.sh                    stop the control plane, NGINX and every link container; nothing is
#                                              deleted, scripts/start-gateway.sh brings everything back
#   scripts/stop-gateway.sh --remove           remove the containers (link containers too), the network, the
#                                              volumes and the gateway's images. THE DATA VOLUME GOES: links, keys,
#                                              tokens, audit log. It asks you to type the volume's name first
#   scripts/stop-gateway.sh --remove --yes     the same without asking (scripts)
#   scripts/stop-gateway.sh --remove --keep-data   remove everything but the data volume
#
# Order matters: the control plane goes first, or its reconciler would start the link containers again.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib-gateway.sh
. scripts/lib-gateway.sh

log() { printf '[stop-gateway] %s\n' "$*" >&2; }
die() { printf '[stop-gateway] ERROR: %s\n' "$*" >&2; exit 1; }

remove=0 yes=0 keep_data=0
for arg in "$@"; do
    case "$arg" in
        --remove) remove=1 ;;
        --yes) yes=1 ;;
        --keep-data) keep_data=1 ;;
        *) die "unknown argument $arg (see the comment at the top of $0)" ;;
    esac
done
gw_load_settings
# Compose refuses a file whose required variable is unset, even to stop it.
export GATEWAY_PUBLIC_HOST="${GATEWAY_PUBLIC_HOST:-unset}"
gateway_id="${GATEWAY_ID:-default}"
data_volume="${GATEWAY_DATA_VOLUME:-selfhosted-gateway-data}"
links_volume="${GATEWAY_LINKS_VOLUME:-selfhosted-gateway-nginx-links}"
network="${GATEWAY_NETWORK:-selfhosted-gateway}"
tag="${GATEWAY_IMAGE_TAG:-latest}"

link_containers() {
    docker ps -aq --filter "label=io.selfhosted-gateway.gateway=$gateway_id" \
        --filter "label=io.selfhosted-gateway.role=gateway-link"
}

if [ "$remove" = 1 ] && [ "$keep_data" = 0 ] && [ "$yes" = 0 ]; then
    cat >&2 <<WARNING
This removes the gateway completely, including the data volume $data_volume:
every link, its WireGuard keys, the API tokens and the audit log. Home servers cannot reconnect to a new gateway
without new snippets. Back it up first (README, "Back up and restore"), or run with --keep-data.
WARNING
    read -r -p "Type $data_volume to remove it: " answer
    [ "$answer" = "$data_volume" ] || die "not confirmed; nothing was removed"
fi

log "stopping the control plane"
gw_compose stop control-plane
ids="$(link_containers)"
if [ "$remove" = 0 ]; then
    # shellcheck disable=SC2086 # one id per word
    [ -z "$ids" ] || { log "stopping $(wc -w <<<"$ids") link container(s)"; docker stop $ids >/dev/null; }
    gw_compose stop
    log "stopped; scripts/start-gateway.sh starts it again"
    exit 0
fi

# shellcheck disable=SC2086
[ -z "$ids" ] || { log "removing $(wc -w <<<"$ids") link container(s)"; docker rm -f -v $ids >/dev/null; }
if [ "$keep_data" = 1 ]; then
    gw_compose down --remove-orphans
    docker volume rm "$links_volume" >/dev/null 2>&1 || true
    log "kept the data volume $data_volume"
else
    gw_compose down --volumes --remove-orphans
fi
# Compose leaves a network alone that it did not create in this project (say, another checkout made it).
if docker network inspect "$network" >/dev/null 2>&1; then
    docker network rm "$network" >/dev/null \
        || die "network $network still has containers: docker network inspect $network"
fi
# The link containers' keys and control sockets (GATEWAY_LINK_STATE_DIR in docker-compose.gateway.yml).
rm -rf "/var/lib/selfhosted-gateway/$gateway_id"
for image in control-plane gateway-nginx gateway-link; do
    docker image rm "selfhosted-gateway/$image:$tag" >/dev/null 2>&1 || true
done
rm -f .env
log "removed: containers, network $network, volumes, and the images" \
    "selfhosted-gateway/{control-plane,gateway-nginx,gateway-link}:$tag"
