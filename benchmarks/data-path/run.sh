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

echo "== (a) HTTPS download of ${SIZE_MB} MB, median of $RUNS (MB/s)"
via_nginx=(); direct=()
for _ in $(seq 1 "$RUNS"); do
    via_nginx+=("$(download "$NGINX_IP")")
    direct+=("$(download "$LINK_IP")")
done
n="$(printf '%s\n' "${via_nginx[@]}" | median)"
d="$(printf '%s\n' "${direct[@]}" | median)"
echo "through NGINX + tunnel:      $(mb_s "$n") MB/s  (runs: $(for v in "${via_nginx[@]}"; do printf '%s ' "$(mb_s "$v")"; done))"
echo "tunnel only (gateway-link):  $(mb_s "$d") MB/s  (runs: $(for v in "${direct[@]}"; do printf '%s ' "$(mb_s "$v")"; done))"
echo "ratio NGINX path / direct:   $(awk -v a="$n" -v b="$d" 'BEGIN { printf "%.2f", a / b }')"

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
# What each link also costs on the host: its containerd shim and its docker-proxy (UDP port).
shim_kib=0; proxy_kib=0
for c in "${ids[@]}"; do
    id="$(docker inspect -f '{{.Id}}' "$c")"
    pid="$(pgrep -f "containerd-shim.*-id $id" | head -n 1 || true)"
    [ -n "$pid" ] && shim_kib=$(( shim_kib + $(awk '/VmRSS/ { print $2 }' "/proc/$pid/status") ))
    port="$(docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{(index $b 0).HostPort}}{{end}}' "$c")"
    # One docker-proxy per address family (IPv4 and IPv6) and published port.
    for pid in $(pgrep -f "docker-proxy -proto udp .*-host-port $port " || true); do
        proxy_kib=$(( proxy_kib + $(awk '/VmRSS/ { print $2 }' "/proc/$pid/status") ))
    done
done
awk -v s="$shim_kib" -v p="$proxy_kib" -v n="$IDLE_LINKS" \
    'BEGIN { printf "host side per link: containerd-shim %.2f MiB RSS, docker-proxy (IPv4 + IPv6) %.2f MiB RSS\n", s / n / 1024, p / n / 1024 }'
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
