#!/usr/bin/env bash
# Visitor's address benchmark (see README.md): HTTPS throughput of a link before this release and of a new link
# that carries the visitor's address, measured in one run, the paths taking turns. Needs two image sets:
# BENCH_BEFORE_TAG (the release before, e.g. latest built from it) and SG_IMAGE_TAG (this tree). Traffic stays on
# this machine's own Docker networks; everything is removed on exit.
set -euo pipefail
SG_PREFIX=sg-bench-va
# shellcheck source=scripts/lib-test-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib-test-env.sh"
trap sg_cleanup EXIT

SIZE_MB="${BENCH_SIZE_MB:-50}"
RUNS="${BENCH_RUNS:-5}"
BEFORE_TAG="${BENCH_BEFORE_TAG:?set BENCH_BEFORE_TAG to the tag of the images of the release before}"
OLD_DOMAIN=old.example.test

sg_require_images
for img in gateway-nginx client-link; do
    docker image inspect "selfhosted-gateway/$img:$BEFORE_TAG" >/dev/null 2>&1 \
        || sg_die "image selfhosted-gateway/$img:$BEFORE_TAG missing"
done
sg_start_gateway
# The link made before the upgrade (its home side reads no PROXY line) and a new link, side by side; the gateway
# NGINX of this tree routes both, the one of the release before routes the old link as it did.
sg_create_gateway_link sg-link-va-old
old_link=("$LINK_PORT" "$CLIENT_PRIV" "$GATEWAY_PUB")
sg_create_gateway_link sg-link-va-new
new_link=("$LINK_PORT" "$CLIENT_PRIV" "$GATEWAY_PUB")
printf '"%s" "sg-link-va-old";\n"%s" "sg-link-va-new/pp";\n' "$OLD_DOMAIN" "$SG_DOMAIN" >"$SG_TMP/links/links.map"
docker exec "$SG_PREFIX-nginx" nginx -t -q && docker exec "$SG_PREFIX-nginx" nginx -s reload 2>/dev/null
mkdir -p "$SG_TMP/links-before"
# The new link too: an NGINX from before the visitor's address ignores its /pp value (nothing answers), a later one
# routes it, and then both NGINX images are compared on both links.
cp "$SG_TMP/links/links.map" "$SG_TMP/links-before/links.map"
docker run -d --name "$SG_PREFIX-nginx-before" --label "$SG_TEST_LABEL" --label "$SG_RUN_LABEL" \
    --network "$SG_PREFIX-gw" -v "$SG_TMP/links-before:/etc/nginx/links" \
    "selfhosted-gateway/gateway-nginx:$BEFORE_TAG" >/dev/null
NGINX_BEFORE_IP="$(sg_ip "$SG_PREFIX-nginx-before" "$SG_PREFIX-gw")"
sg_start_demo
head -c "$((SIZE_MB * 1048576))" /dev/urandom >"$SG_TMP/big.bin"
docker cp "$SG_TMP/big.bin" "$SG_PREFIX-demo:/www/big.bin"
rm -f "$SG_TMP/big.bin"

LINK_PORT="${new_link[0]}"; CLIENT_PRIV="${new_link[1]}"; GATEWAY_PUB="${new_link[2]}"
sg_create_client "$SG_PREFIX-client" "$SG_PREFIX-client-data" -e GATEWAY_PROXY_PROTOCOL=on \
    --sysctl net.ipv6.conf.lo.disable_ipv6=0
docker start "$SG_PREFIX-client" >/dev/null
sg_wait_https "$NGINX_IP" 90 || sg_die "no HTTPS 200 for the new link through the gateway"
LINK_PORT="${old_link[0]}"; CLIENT_PRIV="${old_link[1]}"; GATEWAY_PUB="${old_link[2]}"
SG_DOMAIN="$OLD_DOMAIN" SG_CLIENT_IMAGE="selfhosted-gateway/client-link:$BEFORE_TAG" \
    sg_create_client "$SG_PREFIX-client-old" "$SG_PREFIX-client-old-data"
docker start "$SG_PREFIX-client-old" >/dev/null
SG_DOMAIN="$OLD_DOMAIN" sg_wait_https "$NGINX_IP" 90 "$SG_PREFIX-client-old" \
    || sg_die "no HTTPS 200 for the old link through the gateway"
sg_client_on_kernel_path "$SG_PREFIX-client" sg-link-va-new "${new_link[2]}" "${new_link[0]}"
sg_client_on_kernel_path "$SG_PREFIX-client-old" sg-link-va-old "${old_link[2]}" "${old_link[0]}"
sleep 2
NEW_LINK_IP="$(sg_ip sg-link-va-new "$SG_PREFIX-gw")"
OLD_LINK_IP="$(sg_ip sg-link-va-old "$SG_PREFIX-gw")"
NEW_VIA_BEFORE=0
sg_wait_https "$NGINX_BEFORE_IP" 5 && NEW_VIA_BEFORE=1

echo "== HTTPS download of ${SIZE_MB} MB, $RUNS rounds (MB/s); before: images :$BEFORE_TAG, after: :$SG_IMAGE_TAG"
# Every round downloads over each path in turn. The ratios are taken within a round, then their median: other load
# on the machine changes from round to round, and a ratio of neighbours cancels most of it.
declare -A runs=()
ratios_before=(); ratios_after=(); new_over_before=(); old_over_before=(); new_over_new_before=()
for _ in $(seq 1 "$RUNS"); do
    before="$(sg_download "$OLD_DOMAIN" "$NGINX_BEFORE_IP")"
    before_direct="$(sg_download "$OLD_DOMAIN" "$OLD_LINK_IP")"
    after="$(sg_download "$SG_DOMAIN" "$NGINX_IP")"
    # The home side of a new link reads a PROXY line first: curl sends one, with its own address.
    after_direct="$(sg_download "$SG_DOMAIN" "$NEW_LINK_IP" --haproxy-protocol)"
    old_after="$(sg_download "$OLD_DOMAIN" "$NGINX_IP")"
    for p in before before_direct after after_direct old_after; do runs[$p]+="${!p} "; done
    if [ "$NEW_VIA_BEFORE" = 1 ]; then
        new_before="$(sg_download "$SG_DOMAIN" "$NGINX_BEFORE_IP")"
        runs[new_before]+="$new_before "
        new_over_new_before+=("$(sg_ratio "$after" "$new_before")")
    fi
    ratios_before+=("$(sg_ratio "$before" "$before_direct")")
    ratios_after+=("$(sg_ratio "$after" "$after_direct")")
    new_over_before+=("$(sg_ratio "$after" "$before")")
    old_over_before+=("$(sg_ratio "$old_after" "$before")")
done
show() {
    # shellcheck disable=SC2086 # one run per word
    printf '%-66s %6s MB/s  (runs: %s)\n' "$1" "$(sg_mb_s "$(printf '%s\n' ${runs[$2]} | sg_median)")" \
        "$(for v in ${runs[$2]}; do printf '%s ' "$(sg_mb_s "$v")"; done)"
}
show "before: NGINX + tunnel + Caddy (no visitor address)" before
show "before: tunnel only (straight to the gateway-link)" before_direct
show "after, new link: NGINX (PROXY) + tunnel + home NGINX + Caddy" after
show "after, new link: tunnel only (curl sends the PROXY line)" after_direct
show "after, link made before the upgrade (no PROXY line)" old_after
[ "$NEW_VIA_BEFORE" = 0 ] || show "new link through the NGINX before (it routes /pp values)" new_before
paired() { printf '%s (rounds: %s)' "$(printf '%s\n' "$@" | sg_median)" "$*"; }
echo "ratio NGINX path / tunnel only, before:           $(paired "${ratios_before[@]}")"
echo "ratio NGINX path / tunnel only, after:            $(paired "${ratios_after[@]}")"
echo "NGINX path, new link after / before:              $(paired "${new_over_before[@]}")"
echo "NGINX path, old link after the upgrade / before:  $(paired "${old_over_before[@]}")"
[ "$NEW_VIA_BEFORE" = 0 ] || echo "new link, this NGINX / the NGINX before:         $(paired "${new_over_new_before[@]}")"
