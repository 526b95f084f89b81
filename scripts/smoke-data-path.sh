#!/usr/bin/env bash
# shellcheck disable=SC2015 # `[[ check ]] && [ check ] || die` is intended: die when any check fails
# Developer smoke test of the whole data path (not run by CI):
#   curl -> gateway NGINX (SNI) -> gateway-link (WireGuard) -> client-link (Caddy, cert from
#   Pebble through the tunnel) -> demo web app.
# Needs the images from scripts/prepare-docker.sh. Creates only labelled containers/networks
# on this machine and removes them on exit.
set -euo pipefail
SG_PREFIX=sg-smoke
# shellcheck source=scripts/lib-test-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-test-env.sh"
trap sg_cleanup EXIT

sg_require_images
t0="$(sg_now)"
sg_start_gateway
sg_log "gateway side up (nginx $NGINX_IP, pebble) in $(sg_since "$t0")s"

t="$(sg_now)"
sg_create_gateway_link sg-link-smoke
sg_log "gateway-link created and started in $(sg_since "$t")s (udp/$LINK_PORT)"
t="$(sg_now)"
sg_set_map "$SG_DOMAIN" sg-link-smoke
sg_log "map written, nginx -t and reload in $(sg_since "$t")s"
sg_start_demo

sg_create_client "$SG_PREFIX-client" "$SG_PREFIX-client-data"
t="$(sg_now)"
docker start "$SG_PREFIX-client" >/dev/null
if ! sg_wait_https "$NGINX_IP" 90; then
    docker logs "$SG_PREFIX-client" 2>&1 | tail -n 30 >&2
    sg_die "no HTTPS 200 through the gateway within 90s"
fi
sg_log "client start -> first HTTPS 200 (new certificate from Pebble): $(sg_since "$t")s"

body="$(curl -fsS --resolve "$SG_DOMAIN:443:$NGINX_IP" --cacert "$SG_TMP/pebble-root.pem" "https://$SG_DOMAIN/")"
[ "$body" = "selfhosted-gateway demo page" ] || sg_die "unexpected body: $body"
sg_log "OK https://$SG_DOMAIN/ returns the demo page"

redirect="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$SG_DOMAIN:80:$NGINX_IP" "http://$SG_DOMAIN/x?y=1")"
case "$redirect" in
    "308 https://$SG_DOMAIN/x?y=1"|"301 https://$SG_DOMAIN/x?y=1") sg_log "OK port 80 redirects: $redirect" ;;
    *) sg_die "port 80 did not redirect to https: $redirect" ;;
esac

code="$(curl -sS -o /dev/null -w '%{http_code}' --resolve "other.example.test:80:$NGINX_IP" http://other.example.test/)"
[ "$code" = 404 ] || sg_die "unknown Host on port 80 gave $code, want 404"
if curl -sS -m 5 -k --resolve "other.example.test:443:$NGINX_IP" https://other.example.test/ >/dev/null 2>&1; then
    sg_die "unknown SNI was answered"
fi
sg_log "OK unknown Host -> 404, unknown SNI -> connection closed"

# Restart both ends: stale wireguard-go sockets are cleared, the certificate is reused.
t="$(sg_now)"
docker restart sg-link-smoke "$SG_PREFIX-client" >/dev/null
sg_wait_https "$NGINX_IP" 60 || sg_die "no HTTPS 200 after restarting both link containers"
sg_log "OK both link containers restarted, serving again after $(sg_since "$t")s"

# Recreate the client on the same /data volume: the certificate is reused, no new order.
issued() { docker logs "$SG_PREFIX-pebble" 2>&1 | grep -ci 'issued certificate' || true; }
before="$(issued)"
docker rm -f "$SG_PREFIX-client" >/dev/null
sg_create_client "$SG_PREFIX-client" "$SG_PREFIX-client-data"
t="$(sg_now)"
docker start "$SG_PREFIX-client" >/dev/null
sg_wait_https "$NGINX_IP" 60 || sg_die "no HTTPS 200 after recreating the client"
sg_log "client recreated on its /data volume: first HTTPS 200 after $(sg_since "$t")s"
after="$(issued)"
[ "$before" -ge 1 ] && [ "$after" = "$before" ] || sg_die "certificates issued before/after recreation: $before/$after"
sg_log "OK certificate reused (Pebble issued $after in total)"
sg_log "PASS (total $(sg_since "$t0")s)"
