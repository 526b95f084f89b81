# shellcheck shell=bash
# Shared by scripts/start-gateway.sh and scripts/stop-gateway.sh (run from the repository's root).

# Settings of docker-compose.gateway.yml that start-gateway.sh remembers in .env (compose reads .env by itself, so
# later `docker-compose logs`, `exec` and `up` need no variables).
GW_SETTINGS=(COMPOSE_PROJECT_NAME GATEWAY_PUBLIC_HOST GATEWAY_API_BIND GATEWAY_API_PORT GATEWAY_IMAGE_TAG GATEWAY_ID
    GATEWAY_NETWORK
    GATEWAY_HTTP_PORT GATEWAY_HTTPS_PORT GATEWAY_PORTS_FIRST GATEWAY_PORTS_LAST GATEWAY_DATA_VOLUME
    GATEWAY_LINKS_VOLUME GATEWAY_PUBLIC_ADDRESSES GATEWAY_SERVING_DNS_SERVER)

# A setting from the environment wins over the one remembered in .env.
gw_load_settings() {
    local name value
    [ -f .env ] || return 0
    for name in "${GW_SETTINGS[@]}"; do
        [ -z "${!name:-}" ] || continue
        value="$(sed -n "s/^$name=//p" .env | tail -n 1)"
        [ -z "$value" ] || printf -v "$name" '%s' "$value"
    done
}

gw_save_settings() {
    local name
    for name in "${GW_SETTINGS[@]}"; do
        [ -z "${!name:-}" ] || echo "$name=${!name}"
    done >.env
}

# docker-compose 1.29 (Debian's package) or `docker compose` v2, whichever is installed.
gw_compose() {
    if command -v docker-compose >/dev/null 2>&1; then
        docker-compose -f docker-compose.gateway.yml "$@"
    else
        docker compose -f docker-compose.gateway.yml "$@"
    fi
}
