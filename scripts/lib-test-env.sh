# shellcheck shell=bash
# Shared helpers for scripts/smoke-data-path.sh and benchmarks/data-path/run.sh: they build a
# whole data path (nginx, gateway-link, pebble, demo app, client-link) on private Docker
# networks. Everything created carries the labels below and is removed by sg_cleanup.

SG_TEST_LABEL="io.selfhosted-gateway.test=true"
SG_RUN_ID="${SG_RUN_ID:-$$}"
SG_RUN_LABEL="io.selfhosted-gateway.test.run=$SG_RUN_ID"
SG_PREFIX="${SG_PREFIX:-sg-smoke}"
SG_TMP="$(mktemp -d "/tmp/$SG_PREFIX.XXXXXX")"
SG_DOMAIN="${SG_DOMAIN:-app.example.test}"
# Tag of the project images to run (prepare-docker.sh's SG_IMAGE_TAG).
SG_IMAGE_TAG="${SG_IMAGE_TAG:-latest}"

sg_log() { printf '[%s] %s\n' "$SG_PREFIX" "$*" >&2; }
sg_die() { printf '[%s] FAIL: %s\n' "$SG_PREFIX" "$*" >&2; exit 1; }
sg_now() { date +%s.%N; }
sg_since() { awk -v a="$1" -v b="$(sg_now)" 'BEGIN { printf "%.2f", b - a }'; }

sg_cleanup() {
    local ids
    ids="$(docker ps -aq --filter "label=$SG_RUN_LABEL")"
    # shellcheck disable=SC2086 # word splitting of the id list is intended
    [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1 || true
    ids="$(docker network ls -q --filter "label=$SG_RUN_LABEL")"
    # shellcheck disable=SC2086
    [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1 || true
    ids="$(docker volume ls -q --filter "label=$SG_RUN_LABEL")"
    # shellcheck disable=SC2086
    [ -z "$ids" ] || docker volume rm $ids >/dev/null 2>&1 || true
    rm -rf "$SG_TMP"
}

sg_ip() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}" "$1"; }

sg_free_udp_port() {
    local p
    for _ in $(seq 1 50); do
        p=$(( 40000 + RANDOM % 20000 ))
        ss -Huln "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
    sg_die "no free UDP port found"
}

sg_require_images() {
    local img
    for img in gateway-link client-link gateway-nginx test-pebble test-demo; do
        docker image inspect "selfhosted-gateway/$img:$SG_IMAGE_TAG" >/dev/null 2>&1 \
            || sg_die "image selfhosted-gateway/$img:$SG_IMAGE_TAG missing: run scripts/prepare-docker.sh"
    done
    command -v wg >/dev/null || sg_die "wg missing: run scripts/prepare-docker.sh"
}

# Networks sg-…-gw (gateway side) and sg-…-home (home side); NGINX with an empty map; pebble.
sg_start_gateway() {
    docker network create --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" "$SG_PREFIX-gw" >/dev/null
    docker network create --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" "$SG_PREFIX-home" >/dev/null
    mkdir -p "$SG_TMP/links"
    : >"$SG_TMP/links/links.map"
    docker run -d --name "$SG_PREFIX-nginx" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
        --network "$SG_PREFIX-gw" -v "$SG_TMP/links:/etc/nginx/links" \
        selfhosted-gateway/gateway-nginx:"$SG_IMAGE_TAG" >/dev/null
    NGINX_IP="$(sg_ip "$SG_PREFIX-nginx" "$SG_PREFIX-gw")"
    docker run -d --name "$SG_PREFIX-pebble" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
        --network "$SG_PREFIX-gw" -e DNS_DEFAULT_IPV4="$NGINX_IP" \
        selfhosted-gateway/test-pebble:"$SG_IMAGE_TAG" >/dev/null
    # The client reaches the ACME directory as https://pebble:14000/dir over the home network.
    docker network connect --alias pebble "$SG_PREFIX-home" "$SG_PREFIX-pebble"
    PEBBLE_IP="$(sg_ip "$SG_PREFIX-pebble" "$SG_PREFIX-gw")"
    HOME_GW_IP="$(docker network inspect -f '{{(index .IPAM.Config 0).Gateway}}' "$SG_PREFIX-home")"
    for _ in $(seq 1 100); do
        docker cp "$SG_PREFIX-pebble:/etc/pebble/certs/minica.pem" "$SG_TMP/pebble-minica.pem" 2>/dev/null \
            && curl -fsS --cacert "$SG_TMP/pebble-minica.pem" --resolve "pebble:15000:$PEBBLE_IP" \
                 -o "$SG_TMP/pebble-root.pem" https://pebble:15000/roots/0 2>/dev/null \
            && break
        sleep 0.1
    done
    [ -s "$SG_TMP/pebble-root.pem" ] || sg_die "pebble did not come up"
    chmod 644 "$SG_TMP/pebble-minica.pem"
}

# sg_create_gateway_link NAME: creates and starts a gateway-link as the control plane would.
# Sets LINK_PORT, CLIENT_PRIV, GATEWAY_PUB.
sg_create_gateway_link() {
    local name="$1" dir="$SG_TMP/keys-$1"
    mkdir -p "$dir"
    (umask 077; wg genkey >"$dir/private-key"; wg genkey >"$dir/client-private-key")
    wg pubkey <"$dir/private-key" >"$dir/public-key"
    wg pubkey <"$dir/client-private-key" >"$dir/peer-public-key"
    LINK_PORT="$(sg_free_udp_port)"
    docker create --name "$name" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
        --network "$SG_PREFIX-gw" --cap-add NET_ADMIN --device /dev/net/tun \
        -e LINK_UDP_PORT="$LINK_PORT" -p "$LINK_PORT:$LINK_PORT/udp" \
        selfhosted-gateway/gateway-link:"$SG_IMAGE_TAG" >/dev/null
    docker cp "$dir/private-key" "$name:/etc/wireguard-link/private-key"
    docker cp "$dir/peer-public-key" "$name:/etc/wireguard-link/peer-public-key"
    docker start "$name" >/dev/null
    CLIENT_PRIV="$(cat "$dir/client-private-key")"
    GATEWAY_PUB="$(cat "$dir/public-key")"
}

sg_set_map() { printf '"%s" "%s";\n' "$1" "$2" >"$SG_TMP/links/links.map.new"
    mv "$SG_TMP/links/links.map.new" "$SG_TMP/links/links.map"
    docker exec "$SG_PREFIX-nginx" nginx -t -q && docker exec "$SG_PREFIX-nginx" nginx -s reload 2>/dev/null; }

sg_start_demo() {
    docker run -d --name "$SG_PREFIX-demo" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
        --network "$SG_PREFIX-home" --network-alias demo selfhosted-gateway/test-demo:"$SG_IMAGE_TAG" >/dev/null
}

# sg_create_client NAME VOLUME [DOCKER ARGS...]: the user's compose snippet, as docker create; the extra arguments
# (say -e GATEWAY_PROXY_PROTOCOL=on) come last. SG_CLIENT_IMAGE replaces the client-link image.
sg_create_client() {
    local name="$1" volume="$2"
    shift 2
    docker volume create --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" "$volume" >/dev/null
    docker create --name "$name" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
        --network "$SG_PREFIX-home" --cap-add NET_ADMIN --device /dev/net/tun \
        -v "$volume:/data" -v "$SG_TMP/pebble-minica.pem:/etc/sg-test/pebble-minica.pem:ro" \
        -e LINK_DOMAIN="$SG_DOMAIN" -e EXPOSE=demo:8000 \
        -e GATEWAY_CLIENT_WG_PRIVKEY="$CLIENT_PRIV" -e GATEWAY_LINK_WG_PUBKEY="$GATEWAY_PUB" \
        -e GATEWAY_ENDPOINT="$HOME_GW_IP:$LINK_PORT" \
        -e ACME_CA=https://pebble:14000/dir -e ACME_CA_ROOT=/etc/sg-test/pebble-minica.pem \
        -e ACME_EMAIL=admin@example.test "$@" \
        "${SG_CLIENT_IMAGE:-selfhosted-gateway/client-link:$SG_IMAGE_TAG}" >/dev/null
}

# sg_wait_https IP TIMEOUT_S [CONTAINER]: polls until https://$SG_DOMAIN/ via IP answers 200;
# gives up early when CONTAINER (default the client) has stopped.
sg_wait_https() {
    local deadline n=0 ctr="${3:-$SG_PREFIX-client}"
    deadline=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if (( ++n % 20 == 0 )) && [ "$(docker inspect -f '{{.State.Running}}' "$ctr" 2>/dev/null)" != true ]; then
            return 1
        fi
        if curl -fsS -m 2 --resolve "$SG_DOMAIN:443:$1" --cacert "$SG_TMP/pebble-root.pem" \
              -o /dev/null "https://$SG_DOMAIN/" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# Benchmarks: `sg_bench_row key value` records one figure for benchmarks/run-all.sh (BENCH_ROWS_FILE, when set).
sg_bench_row() {
    [ -z "${BENCH_ROWS_FILE:-}" ] || printf '%s\t%s\n' "$1" "$2" >>"$BENCH_ROWS_FILE"
}

# Proportional set size of the given host PIDs together, in KiB (shared pages counted once, split between users).
sg_pss_kib() {
    local pid total=0
    for pid in "$@"; do
        [ -r "/proc/$pid/smaps_rollup" ] || continue
        total=$(( total + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup") ))
    done
    echo "$total"
}

# Throughput figures: the median of numbers on stdin; bytes/s as MB/s; a ratio a/b with two decimals.
sg_median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sg_mb_s() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
sg_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# sg_download DOMAIN IP [CURL ARGS...]: bytes/s of one HTTPS download of the test file (big.bin) with the TLS name
# pinned to IP.
sg_download() {
    local domain="$1" ip="$2"
    shift 2
    curl -fsS --resolve "$domain:443:$ip" --cacert "$SG_TMP/pebble-root.pem" "$@" \
        -o /dev/null -w '%{speed_download}\n' "https://$domain/big.bin"
}

# sg_client_on_kernel_path CLIENT LINK GATEWAY_PUBLIC_KEY UDP_PORT: as from the internet, the client's packets reach
# the gateway-link's UDP port in the kernel, not through Docker's userland proxy (the client is on another Docker
# network of this host, so it is attached to the gateway network and pointed at the link's own address).
sg_client_on_kernel_path() {
    docker network connect "$SG_PREFIX-gw" "$1"
    docker exec "$1" wg set wg0 peer "$3" endpoint "$(sg_ip "$2" "$SG_PREFIX-gw"):$4"
}
