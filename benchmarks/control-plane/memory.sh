#!/usr/bin/env bash
# Control-plane memory and start time with 1,000 links stored and 8 clients at once: first with the JVM sizing itself
# from the host (the image's settings before the small-VPS defaults), then with the image's shipped settings. The control plane runs in its own container with Docker off (links are stored, rendered into
# the NGINX map and answered, no link container is started), so the figure is the control plane's alone.
# Needs the image selfhosted-gateway/control-plane:${SG_IMAGE_TAG:-latest} (scripts/prepare-docker.sh after
# `./mvnw -DskipTests package`). Env: BENCH_CP_LINKS (1000), BENCH_CP_CLIENTS (8).
set -euo pipefail
SG_PREFIX=sg-bench-cp
# shellcheck source=scripts/lib-test-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib-test-env.sh"
trap sg_cleanup EXIT

LINKS="${BENCH_CP_LINKS:-1000}"
CLIENTS="${BENCH_CP_CLIENTS:-8}"
IMAGE="selfhosted-gateway/control-plane:${SG_IMAGE_TAG:-latest}"
TOKEN="bench-token-$SG_RUN_ID-0123456789"
docker image inspect "$IMAGE" >/dev/null 2>&1 || sg_die "$IMAGE missing: run ./mvnw -DskipTests package and scripts/prepare-docker.sh"

# measure NAME [JAVA_TOOL_OPTIONS]: one control plane from the image, its own data, the same load.
measure() {
    local name="$SG_PREFIX-$SG_RUN_ID-$1" jvm_env=()
    [ -z "${2:-}" ] || jvm_env=(-e "JAVA_TOOL_OPTIONS=$2")
    docker create --name "$name" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" "${jvm_env[@]}" \
        -e GATEWAY_PUBLIC_HOST=gw.example.test -e GATEWAY_API_TOKEN="$TOKEN" -e GATEWAY_DOCKER_ENABLED=false \
        "$IMAGE" >/dev/null
    local t started ip pid idle_rss created stored
    t="$(sg_now)"
    docker start "$name" >/dev/null
    ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$name")"
    export API="http://$ip:8080"
    until curl -fsS -o /dev/null "$API/actuator/health" 2>/dev/null; do
        docker inspect -f '{{.State.Running}}' "$name" | grep -q true || sg_die "the control plane exited"
        sleep 0.1
    done
    started="$(sg_since "$t")"
    pid="$(docker inspect -f '{{.State.Pid}}' "$name")"
    idle_rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
    t="$(sg_now)"
    seq 1 "$LINKS" | xargs -P "$CLIENTS" -I{} bash -c 'create {}' || sg_die "a create failed"
    created="$(sg_since "$t")"
    stored="$(curl -fsS -H "Authorization: Bearer $TOKEN" "$API/links" | grep -o '"udpPort"' | wc -l)"
    # Reads at the same concurrency: whole lists, the metrics, the page.
    seq 1 100 | xargs -P "$CLIENTS" -I{} curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/links"
    seq 1 20 | xargs -P "$CLIENTS" -I{} curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/actuator/prometheus"
    seq 1 20 | xargs -P "$CLIENTS" -I{} curl -fsS -o /dev/null "$API/"
    sleep 2
    PEAK_RSS_MIB="$(mib "$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")")"
    START_S="$started"
    echo "== $1: JAVA_TOOL_OPTIONS=$(tr '\0' '\n' <"/proc/$pid/environ" | sed -n 's/^JAVA_TOOL_OPTIONS=//p')"
    echo "start (docker start -> health UP): $started s; RSS after start: $(mib "$idle_rss") MiB"
    echo "$LINKS creates by $CLIENTS clients at once: $created s; links stored: $stored"
    echo "after creates and reads: RSS $(mib "$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")") MiB," \
        "peak RSS $PEAK_RSS_MIB MiB, PSS $(mib "$(sg_pss_kib "$pid")") MiB"
    docker rm -f "$name" >/dev/null
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
create() {
    curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "{\"fqdn\":\"l$1.bench.example.com\",\"expose\":\"app:80\"}" "$API/links"
}
export TOKEN
export -f create

measure sized-from-host "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
before="$PEAK_RSS_MIB"
measure shipped
echo "peak RSS, shipped settings / sized from the host: $PEAK_RSS_MIB / $before MiB"
sg_bench_row control_plane_rss_mib "$PEAK_RSS_MIB MiB (JVM sized from the host: $before MiB)"
sg_bench_row control_plane_start_s "$START_S"
