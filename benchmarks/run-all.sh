#!/usr/bin/env bash
# Every figure of the lean-data-plane targets in one run, on this machine: builds the jar and the images, runs the
# benchmarks below one after another, prints one table (figure, target, met or not) and writes it to
# benchmarks/RESULTS.md. Ratios are measured side by side inside one benchmark. Root, Docker; about 15 minutes on
# 2 vCPUs. Env: BENCH_SIZE_MB (100) and BENCH_RUNS (3) for the throughput runs; the benchmarks' own settings too.
#   control-plane/memory.sh           control plane RSS with 1,000 links, start time
#   DataPlaneBenchmark                POST /links -> ACTIVE, NGINX map publish at 1,000 and 5,000 links, with and without IP rules
#   HealthSweepBenchmark              health sweep over 1,000 links, execs, CPU share at the shipped interval
#   data-path/run.sh                  throughput ratios, UDP drops, host memory per idle link
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="$(mktemp /tmp/sg-bench-rows.XXXXXX)"
LOG_DIR="$(mktemp -d /tmp/sg-bench-logs.XXXXXX)"
export BENCH_ROWS_FILE="$ROWS"
export BENCH_SIZE_MB="${BENCH_SIZE_MB:-100}"
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
log() { printf '[run-all] %s\n' "$*" >&2; }

# step NAME COMMAND...: runs one benchmark, its output kept in $LOG_DIR/NAME.log; a failure is reported, not fatal.
step() {
    local name="$1"; shift
    log "$name (log: $LOG_DIR/$name.log)"
    if ! "$@" >"$LOG_DIR/$name.log" 2>&1; then
        log "$name FAILED; its rows are missing. Last lines:"
        tail -n 15 "$LOG_DIR/$name.log" >&2
    fi
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
step build ./mvnw -B -q -DskipTests package
step images bash scripts/prepare-docker.sh
step control-plane bash benchmarks/control-plane/memory.sh
step maven ./mvnw -B -o test -Dtest='DataPlaneBenchmark,HealthSweepBenchmark' -Dsurefire.failIfNoSpecifiedTests=false
step data-path bash benchmarks/data-path/run.sh
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

figure() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$ROWS"; }
# verdict VALUE OP LIMIT: "met" or "missed" on the first number of VALUE; "-" without a value.
verdict() {
    local n
    n="$(printf '%s' "$1" | grep -oE '^-?[0-9]+(\.[0-9]+)?' || true)"
    [ -n "$n" ] || { echo "-"; return; }
    awk -v v="$n" -v op="$2" -v t="$3" 'BEGIN {
        if (op == "none") { print "-"; exit }
        ok = (op == "<=") ? v <= t : (op == ">=") ? v >= t : (op == "==") ? v == t : (op == "<") ? v < t : 0
        print ok ? "met" : "**missed**" }'
}
# row LABEL BEFORE TARGET KEY OP LIMIT [UNIT]
table=""
row() {
    local value
    value="$(figure "$4")"
    table+="| $1 | $2 | $3 | ${value:-(not measured)}${value:+${7:-}} | $(verdict "$value" "$5" "$6") |"$'\n'
}
row "control plane peak RSS, 1,000 links, 8 clients, shipped settings" "500-650 MiB" "≤ 200 MiB" \
    control_plane_rss_mib "<=" 200 ""
row "control plane start, \`docker start\` to health UP" "-" "(measured)" control_plane_start_s none 0 " s"
row "\`POST /links\` → \`ACTIVE\`, median of 15" "0.66-1.17 s" "≤ 0.4 s" post_to_active_median_s "<=" 0.4 " s"
row "5,000-link map: render + write + check + reload, median" "250 ms" "≤ 150 ms" map_5000_publish_ms "<=" 150 " ms"
row "health sweep over 1,000 links" "about 47 s" "≤ 2 s" health_sweep_1000_ms "<=" 2000 " ms"
row "\`docker exec\` per health sweep" "1,000" "0" health_execs_per_sweep "==" 0 ""
row "health sweeps' CPU, share of one CPU at the shipped interval" "-" "< 1 %" health_cpu_share_pct "<" 1 ""
row "host memory per idle link, PSS (container + shim + userland proxy)" "about 11 MiB" "≤ 8 MiB" \
    link_pss_mib "<=" 8 " MiB"
row "… the same without Docker's userland proxy" "about 8.5 MiB" "≤ 8 MiB" link_pss_without_proxy_mib "<=" 8 " MiB"
row "HTTPS throughput, NGINX path ÷ tunnel alone" "0.84" "≥ 0.9" nginx_over_tunnel_ratio ">=" 0.9 ""
row "tunnel UDP receive-buffer drops during the downloads" "3.6-8.5 %" "0" tunnel_udp_drops "==" 0 ""
row "HTTPS through the whole path ÷ Caddy's HTTPS alone" "about 0.07" "≥ 0.5" path_over_caddy_ratio ">=" 0.5 ""

docker_version="$(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
# The data path's links publish their UDP port: a userland proxy share above zero means the engine runs it.
userland_proxy="$(awk -v a="$(figure link_pss_mib)" -v b="$(figure link_pss_without_proxy_mib)" \
    'BEGIN { print (a == "" || b == "") ? "not measured" : (a > b ? "on" : "off") }')"
out="# Lean data plane: all figures, one run

Written by \`benchmarks/run-all.sh\` on $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),
Linux $(uname -r), Docker $docker_version (userland proxy $userland_proxy), load average $load_before before and
$load_after after (other work may have shared the CPUs). \"Before\" is what issue 10 measured on the earlier code.
What each benchmark printed: [logs/](logs/).

| measure | before | target | now | |
| --- | --- | --- | --- | --- |
$table"
printf '%s\n' "$out" | tee benchmarks/RESULTS.md
# The benchmarks' own output beside the table, so every figure can be traced to what printed it.
mkdir -p benchmarks/logs
for name in control-plane data-path; do
    grep -v '^\[sg-bench' "$LOG_DIR/$name.log" >"benchmarks/logs/$name.txt" || true
done
grep -E '^(BENCHMARK|POST|map of|\| )' "$LOG_DIR/maven.log" >benchmarks/logs/maven.txt || true
log "rows: $ROWS; logs: $LOG_DIR and benchmarks/logs"
