#!/usr/bin/env bash
# Data-path benchmark (see README.md). Builds the same private setup as the smoke test and
# prints: (a) HTTPS throughput through NGINX + tunnel vs tunnel only, (b) memory of idle
# gateway-link containers, (c) client-link start -> first HTTPS 200. Traffic stays on this
# machine's own Docker networks; everything is removed on exit.
set -euo pipefail
SG_PREFIX=sg-bench
# shellcheck source=scripts/lib-test-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib-test-env.sh"
trap sg_cleanup EXIT

SIZE_MB="${BENCH_SIZE_MB:-200}"
RUNS="${BENCH_RUNS:-3}"
IDLE_LINKS="${BENCH_IDLE_LINKS:-10}"
STARTS="${BENCH_STARTS:-5}"

download() { sg_download "$SG_DOMAIN" "$1"; }

sg_require_images
sg_start_gateway
sg_create_gateway_link sg-link-bench
sg_set_map "$SG_DOMAIN" sg-link-bench
sg_start_demo
head -c "$((SIZE_MB * 1048576))" /dev/urandom >"$SG_TMP/big.bin"
docker cp "$SG_TMP/big.bin" "$SG_PREFIX-demo:/www/big.bin"
rm -f "$SG_TMP/big.bin"
sg_create_client "$SG_PREFIX-client" "$SG_PREFIX-client-data"
t="$(sg_now)"
docker start "$SG_PREFIX-client" >/dev/null
sg_wait_https "$NGINX_IP" 90 || sg_die "no HTTPS 200 through the gateway"
first_issue="$(sg_since "$t")"
LINK_IP="$(sg_ip sg-link-bench "$SG_PREFIX-gw")"

CLIENT_HOME_IP="$(sg_ip "$SG_PREFIX-client" "$SG_PREFIX-home")"
# udp_counter CONTAINER FIELD: a UDP counter of the container's network namespace (wireguard-go's socket), e.g.
# RcvbufErrors, the datagrams dropped for a full receive buffer.
udp_counter() {
    docker exec "$1" cat /proc/net/snmp | awk -v f="$2" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
        $1 == "Udp:" { print $col[f] + 0 }'
}
both_ends() { echo $(( $(udp_counter sg-link-bench "$1") + $(udp_counter "$SG_PREFIX-client" "$1") )); }
runs() { for v in "$@"; do printf '%s ' "$(sg_mb_s "$v")"; done; }

# throughput PATH: the three downloads taking turns, RUNS times; prints them and sets N, D, C (median bytes/s) and
# DROPS / RECEIVED (tunnel UDP datagrams, both ends).
throughput() {
    local drops_before in_before via_nginx=() direct=() caddy=()
    drops_before="$(both_ends RcvbufErrors)"
    in_before="$(both_ends InDatagrams)"
    for _ in $(seq 1 "$RUNS"); do
        via_nginx+=("$(download "$NGINX_IP")")
        direct+=("$(download "$LINK_IP")")
        caddy+=("$(download "$CLIENT_HOME_IP")")
    done
    DROPS=$(( $(both_ends RcvbufErrors) - drops_before ))
    RECEIVED=$(( $(both_ends InDatagrams) - in_before ))
    N="$(printf '%s\n' "${via_nginx[@]}" | sg_median)"
    D="$(printf '%s\n' "${direct[@]}" | sg_median)"
    C="$(printf '%s\n' "${caddy[@]}" | sg_median)"
    echo "-- $1"
    echo "through NGINX + tunnel:         $(sg_mb_s "$N") MB/s  (runs: $(runs "${via_nginx[@]}"))"
    echo "tunnel only (gateway-link):     $(sg_mb_s "$D") MB/s  (runs: $(runs "${direct[@]}"))"
    echo "Caddy alone (home network):     $(sg_mb_s "$C") MB/s  (runs: $(runs "${caddy[@]}"))"
    echo "ratio NGINX path / tunnel only: $(sg_ratio "$N" "$D")"
    echo "ratio whole path / Caddy alone: $(sg_ratio "$N" "$C")"
    echo "tunnel UDP datagrams dropped for a full receive buffer (both ends): $DROPS of $RECEIVED received"
}

echo "== (a) HTTPS download of ${SIZE_MB} MB, median of $RUNS (MB/s), the three paths taking turns"
# The client is on another Docker network of this host, so its tunnel packets reach the gateway's published UDP
# port through Docker's userland proxy, which relays each one: a path no real client takes.
throughput "client -> Docker's userland proxy -> gateway-link (this host only)"
# As from the internet: the client's packets reach the gateway-link's UDP port in the kernel.
sg_client_on_kernel_path "$SG_PREFIX-client" sg-link-bench "$GATEWAY_PUB" "$LINK_PORT"
sleep 2
throughput "client -> gateway-link directly (kernel path, as a client on the internet)"
sg_bench_row nginx_over_tunnel_ratio "$(sg_ratio "$N" "$D")"
sg_bench_row tunnel_udp_drops "$DROPS of $RECEIVED"
sg_bench_row path_over_caddy_ratio "$(sg_ratio "$N" "$C")"

echo "== (b) memory of $IDLE_LINKS idle gateway-link containers (no client connected)"
ids=()
bench_link=("$LINK_PORT" "$CLIENT_PRIV" "$GATEWAY_PUB")
t="$(sg_now)"
for i in $(seq 1 "$IDLE_LINKS"); do
    sg_create_gateway_link "sg-link-idle-$i"
    ids+=("sg-link-idle-$i")
done
echo "created and started $IDLE_LINKS links in $(sg_since "$t")s"
sleep 5
docker stats --no-stream --format '{{.MemUsage}}' "${ids[@]}" | awk '
    { v = $1; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v)
      m = (u == "GiB") ? v * 1024 : (u == "KiB") ? v / 1024 : (u == "B") ? v / 1048576 : v
      s += m; if (m > max) max = m; if (min == "" || m < min) min = m }
    END { printf "docker stats per container: mean %.2f MiB, min %.2f, max %.2f (total %.1f MiB)\n", s / NR, min, max, s }'
# What each link costs the host, as PSS (shared pages split between their users): the container's own processes,
# its containerd shim, and Docker's userland proxy for its UDP port (one process per address family).
own_kib=0; shim_kib=0; proxy_kib=0
for c in "${ids[@]}"; do
    id="$(docker inspect -f '{{.Id}}' "$c")"
    # shellcheck disable=SC2046 # one PID per word
    own_kib=$(( own_kib + $(sg_pss_kib $(docker top "$c" -eo pid | tail -n +2)) ))
    # shellcheck disable=SC2046
    shim_kib=$(( shim_kib + $(sg_pss_kib $(pgrep -f "containerd-shim.*-id $id" || true)) ))
    port="$(docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{(index $b 0).HostPort}}{{end}}' "$c")"
    # shellcheck disable=SC2046
    proxy_kib=$(( proxy_kib + $(sg_pss_kib $(pgrep -f "docker-proxy -proto udp .*-host-port $port " || true)) ))
done
per_link() { awk -v k="$1" -v n="$IDLE_LINKS" 'BEGIN { printf "%.2f", k / n / 1024 }'; }
echo "host memory per idle link, PSS: container $(per_link "$own_kib") MiB + containerd-shim $(per_link "$shim_kib") MiB" \
    "+ docker-proxy $(per_link "$proxy_kib") MiB = $(per_link $(( own_kib + shim_kib + proxy_kib ))) MiB" \
    "($(per_link $(( own_kib + shim_kib ))) MiB without Docker's userland proxy)"
sg_bench_row link_pss_mib "$(per_link $(( own_kib + shim_kib + proxy_kib )))"
sg_bench_row link_pss_without_proxy_mib "$(per_link $(( own_kib + shim_kib )))"
mem_loaded="$(docker stats --no-stream --format '{{.MemUsage}}' sg-link-bench | awk '{ print $1 }')"
echo "the benchmarked link after its downloads: $mem_loaded"

LINK_PORT="${bench_link[0]}"; CLIENT_PRIV="${bench_link[1]}"; GATEWAY_PUB="${bench_link[2]}"
echo "== (c) client-link start -> first HTTPS 200 through the gateway (s)"
echo "first start, certificate issued by Pebble through the tunnel: $first_issue"
times=()
for _ in $(seq 1 "$STARTS"); do
    docker rm -f "$SG_PREFIX-client" >/dev/null
    sg_create_client "$SG_PREFIX-client" "$SG_PREFIX-client-data"
    t="$(sg_now)"
    docker start "$SG_PREFIX-client" >/dev/null
    sg_wait_https "$NGINX_IP" 60 || sg_die "no HTTPS 200 after recreating the client"
    times+=("$(sg_since "$t")")
done
echo "recreated on its /data volume (certificate reused), median of $STARTS: $(printf '%s\n' "${times[@]}" | sg_median) (runs: ${times[*]})"
