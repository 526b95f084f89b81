#!/bin/bash
# Renders the few start-time parts of the config (listeners, resolver, logs), then runs NGINX.
set -euo pipefail

LINKS_MAP=/etc/nginx/links/links.map
LINKS_ACCESS=/etc/nginx/links/links.access
SG=/etc/nginx/sg

log() { printf '%s gateway-nginx: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

install -d -m 0755 /run/nginx "$SG" "$(dirname "$LINKS_MAP")"
rm -f /run/nginx/reject.sock /run/nginx/reject-direct.sock /run/nginx/not-tls.sock   # left by an unclean stop; NGINX cannot bind over them
if [ ! -e "$LINKS_MAP" ]; then
    log "$LINKS_MAP missing; starting with no links"
    : >"$LINKS_MAP"
fi
if [ ! -s "$LINKS_ACCESS" ]; then
    # No link has IP rules (or a control plane from before them runs): everyone is served.
    # shellcheck disable=SC2016 # NGINX variables, not shell ones
    printf 'map $sg_link $sg_access {\n    default 1;\n}\n' >"$LINKS_ACCESS"
fi

ipv6=0
if [ -e /proc/net/if_inet6 ] && [ "$(cat /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null || echo 1)" = 0 ]; then
    ipv6=1
fi
for port in 80 443; do
    {
        if [ "$port" = 80 ]; then echo "listen 80 default_server;"; else echo "listen 443;"; fi
        if [ "$ipv6" = 1 ]; then
            if [ "$port" = 80 ]; then echo "listen [::]:80 default_server;"; else echo "listen [::]:443;"; fi
        fi
    } >"$SG/listen-$port.conf"
done
[ "$ipv6" = 1 ] || log "IPv6 unavailable in this container; listening on IPv4 only"

# Each proxied connection takes two descriptors; use what the container allows.
nofile="$(ulimit -Hn)"
[ "$nofile" = unlimited ] && nofile=1048576
(( nofile > 1048576 )) && nofile=1048576
ulimit -n "$nofile"
echo "worker_rlimit_nofile $nofile;" >"$SG/limits.conf"
connections=$(( nofile / 2 - 64 ))
(( connections > 65536 )) && connections=65536
(( connections >= 512 )) || die "open file limit $nofile is too low (raise it with --ulimit nofile=65536)"
echo "worker_connections $connections;" >"$SG/events.conf"

resolver="${NGINX_RESOLVER:-$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)}"
[[ $resolver =~ ^[0-9A-Fa-f.:]+$ ]] || die "no usable nameserver (set NGINX_RESOLVER to an IP address)"
[[ $resolver == *:* ]] && resolver="[$resolver]"
echo "resolver $resolver valid=5s ipv6=off;" >"$SG/resolver.conf"

# Access logs are off unless asked for: one line per connection adds up on busy gateways.
case "${NGINX_ACCESS_LOG:-off}" in
    on|1|true)
        # shellcheck disable=SC2016 # NGINX variables, not shell ones
        echo 'log_format sg_stream '"'"'$remote_addr [$time_local] $ssl_preread_server_name $sg_link $status $bytes_sent $bytes_received $session_time'"'"';' >"$SG/stream-log.conf"
        echo 'access_log /dev/stdout sg_stream;' >>"$SG/stream-log.conf"
        echo 'access_log /dev/stdout combined;' >"$SG/http-log.conf" ;;
    off|0|false|"")
        echo 'access_log off;' >"$SG/stream-log.conf"
        echo 'access_log off;' >"$SG/http-log.conf" ;;
    *) die "NGINX_ACCESS_LOG must be on or off" ;;
esac

nginx -t -q || die "configuration test failed (check $LINKS_MAP)"

# --- control channel: the control plane asks by files, never by exec ------------------------------------------
# It writes control/request ("<id> check" or "<id> reload", renamed into place); this container answers in
# control/result-<hostname>: the id, "ok" or "failed", then NGINX's own words. "check" tests NGINX's configuration
# with the candidate map (links.map.next) in place of the live one; the control plane moves the candidate over the
# live map only when every instance said ok, then asks for "reload". The candidate access rules (links.access.next)
# are checked with it when the control plane wrote them.
CONTROL="$(dirname "$LINKS_MAP")/control"
CANDIDATE_MAP="$LINKS_MAP.next"
CANDIDATE_ACCESS="$LINKS_ACCESS.next"
install -d -m 0755 "$CONTROL"

answer() {
    local id="$1" outcome="$2" words="$3" tmp
    tmp="$CONTROL/.result-$HOSTNAME.tmp"
    printf '%s\n%s\n%s\n' "$id" "$outcome" "$words" >"$tmp" && mv -f "$tmp" "$CONTROL/result-$HOSTNAME"
}

handle_request() {
    local id="" action="" words
    read -r id action <"$CONTROL/request" 2>/dev/null || true
    [[ $id =~ ^[A-Za-z0-9-]{1,64}$ ]] || return 0
    case "$action" in
        check)
            local access="$LINKS_ACCESS"
            [ ! -f "$CANDIDATE_ACCESS" ] || access="$CANDIDATE_ACCESS"
            if words="$(sed -e "s#$LINKS_MAP;#$CANDIDATE_MAP;#g" -e "s#$LINKS_ACCESS;#$access;#g" \
                    /etc/nginx/nginx.conf >/tmp/sg-check.conf \
                    && nginx -t -q -c /tmp/sg-check.conf 2>&1)"; then
                # Tells the control plane that this configuration enforces links.access.
                answer "$id" ok "access-rules"
            else
                answer "$id" failed "$words"
            fi ;;
        reload)
            if words="$(nginx -s reload 2>&1)"; then answer "$id" ok ""; else answer "$id" failed "$words"; fi ;;
        *) answer "$id" failed "unknown request '$action'" ;;
    esac
}

watch_requests() {
    # One inotify watch for this container: requests are answered at once, with nothing polling.
    inotifywait -m -q -e moved_to -e close_write --format '%f' "$CONTROL" | while read -r name; do
        [ "$name" = request ] && handle_request
    done
}

log "starting NGINX (links: $(grep -c ';' "$LINKS_MAP" || true))"
nginx -g 'daemon off;' &
nginx_pid=$!
# shellcheck disable=SC2317 # invoked by trap
stop() { kill -QUIT "$nginx_pid" 2>/dev/null || true; }
trap stop TERM QUIT INT
watch_requests &
watcher_pid=$!
[ ! -f "$CONTROL/request" ] || handle_request   # asked before this container was listening

set +e
wait -n "$nginx_pid" "$watcher_pid"
status=$?
# NGINX ended (or, rarely, the watcher): stop the other and let the restart policy start a fresh container.
kill -QUIT "$nginx_pid" 2>/dev/null
kill "$watcher_pid" 2>/dev/null
pkill -P "$watcher_pid" 2>/dev/null
wait "$nginx_pid" 2>/dev/null
log "NGINX stopped (status $status)"
exit "$status"
