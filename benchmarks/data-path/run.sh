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

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb_s() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# download IP: bytes/s of one HTTPS download of the test file with the TLS name pinned to IP.
download() {
    curl -fsS --resolve "$SG_DOMAIN:443:$1" --cacert "$SG_TMP/pebble-root.pem" \
        -o /dev/null -w '%{speed_download}\n' "https://$SG_DOMAIN/big.bin"
}

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
# UDP datagrams the kernel dropped for a full receive buffer in a container's network namespace (wireguard-go's socket).
rcvbuf_errors() {
    docker exec "$1" cat /proc/net/snmp | awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
        $1 == "Udp:" { print $col["RcvbufErrors"] + 0 }'
}
udp_in() {
    docker exec "$1" cat /proc/net/snmp | awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
        $1 == "Udp:" { print $col["InDatagrams"] + 0 }'
}
runs() { for v in "$@"; do printf '%s ' "$(mb_s "$v")"; done; }

echo "== (a) HTTPS download of ${SIZE_MB} MB, median of $RUNS (MB/s), the three paths taking turns"
drops_before=$(( $(rcvbuf_errors sg-link-bench) + $(rcvbuf_errors "$SG_PREFIX-client") ))
in_before=$(( $(udp_in sg-link-bench) + $(udp_in "$SG_PREFIX-client") ))
via_nginx=(); direct=(); caddy=()
for _ in $(seq 1 "$RUNS"); do
    via_nginx+=("$(download "$NGINX_IP")")
    direct+=("$(download "$LINK_IP")")
    caddy+=("$(download "$CLIENT_HOME_IP")")
done
drops=$(( $(rcvbuf_errors sg-link-bench) + $(rcvbuf_errors "$SG_PREFIX-client") - drops_before ))
received=$(( $(udp_in sg-link-bench) + $(udp_in "$SG_PREFIX-client") - in_before ))
n="$(printf '%s\n' "${via_nginx[@]}" | median)"
d="$(printf '%s\n' "${direct[@]}" | median)"
c="$(printf '%s\n' "${caddy[@]}" | median)"
echo "through NGINX + tunnel:        $(mb_s "$n") MB/s  (runs: $(runs "${via_nginx[@]}"))"
echo "tunnel only (gateway-link):    $(mb_s "$d") MB/s  (runs: $(runs "${direct[@]}"))"
echo "Caddy alone (home network):    $(mb_s "$c") MB/s  (runs: $(runs "${caddy[@]}"))"
echo "ratio NGINX path / tunnel only: $(awk -v a="$n" -v b="$d" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio whole path / Caddy alone: $(awk -v a="$n" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "tunnel UDP datagrams dropped for a full receive buffer (both ends): $drops of $received received"
sg_bench_row nginx_over_tunnel_ratio "$(awk -v a="$n" -v b="$d" 'BEGIN { printf "%.2f", a / b }')"
sg_bench_row tunnel_udp_drops "$drops of $received"
sg_bench_row path_over_caddy_ratio "$(awk -v a="$n" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"

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
echo "recreated on its /data volume (certificate reused), median of $STARTS: $(printf '%s\n' "${times[@]}" | median) (runs: ${times[*]})"
