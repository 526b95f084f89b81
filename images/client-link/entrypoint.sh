#!/bin/bash
# shellcheck disable=SC2015 # `[[ check ]] && [ check ] || die` is intended: die when any check fails
# client-link: WireGuard tunnel to the gateway and Caddy terminating TLS for LINK_DOMAIN.
# With GATEWAY_PROXY_PROTOCOL=on (snippets of links made since the gateway sends it), NGINX reads the visitor's
# address from the gateway (PROXY protocol on 443, X-Real-IP on 80) and connects to Caddy *from* that address, so
# Caddy, its logs and the app see the visitor. Caddy 2.6.2 (Debian's) cannot read PROXY protocol itself.
# Every value is checked against a strict pattern before it reaches a config file.
set -euo pipefail

CADDYFILE=/etc/caddy/Caddyfile
NGINX_CONF=/etc/client-link/nginx.conf
# Caddy's local ports behind NGINX when the gateway sends the visitor's address; loopback only.
CADDY_HTTP_PORT=10080
CADDY_HTTPS_PORT=10443
# Routing table that hands replies to a visitor's address back to NGINX's transparent sockets.
LOCAL_TABLE=2346
KEY_FILE=/run/client-link/private-key
HANDSHAKE_STALE=180   # WireGuard rekeys every 120 s and drops a session at 180 s: older means the path is broken
HANDSHAKE_WAIT="${LINK_HANDSHAKE_WAIT:-10}"

log() { printf '%s client-link: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=../lib/link-common.sh
. /usr/local/lib/selfhosted-gateway/link-common.sh

# --- patterns ------------------------------------------------------------------
RE_LABEL='[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'
RE_FQDN="^($RE_LABEL\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?\$"
RE_HOSTNAME='^[A-Za-z0-9]([A-Za-z0-9_.-]{0,252})$'   # also container and compose service names
RE_IPV6='^[0-9A-Fa-f:.]{2,45}$'
RE_PATH='^/[A-Za-z0-9._/-]{1,255}$'
RE_EMAIL='^[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$'
RE_URL='^https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$'

# The `=host:port` of one LINK_PORTS entry (parsed by parse_port_entry): adds "proto first last host port" to
# PORT_MAPS. The last target port must exist too.
parse_port_entry_target() {
    parse_host_port "$PE_EXTRA" "LINK_PORTS ($1)"
    [ "$HP_KIND" != ipv6 ] || die "LINK_PORTS: '$1': raw ports reach IPv4 targets only (a name or an IPv4 address)"
    [ $(( HP_PORT + PE_LAST - PE_FIRST )) -le 65535 ] || die "LINK_PORTS: '$1': the target range passes port 65535"
    PORT_MAPS+=("$PE_PROTO $PE_FIRST $PE_LAST $HP_HOST $HP_PORT")
}

# Splits host:port with host a name, IPv4 or [IPv6]; sets HP_HOST, HP_PORT, HP_KIND.
parse_host_port() {
    local value="$1" name="$2" host port
    if [[ $value =~ ^\[([^]]+)\]:([0-9]+)$ ]]; then
        host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[2]}"
        [[ $host =~ $RE_IPV6 && $host == *:* ]] || die "$name: '[...]' must hold an IPv6 address"
        HP_KIND=ipv6
    elif [[ $value =~ ^([^:]+):([0-9]+)$ ]]; then
        host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[2]}"
        if [[ $host =~ $RE_IPV4 ]]; then HP_KIND=ipv4
        elif [[ $host =~ $RE_HOSTNAME && $host != *..* ]]; then HP_KIND=name
        else die "$name: '$host' is not a host name or IPv4 address"
        fi
    else
        die "$name must be host:port (host a name, an IPv4 address or [IPv6])"
    fi
    valid_port "$port" || die "$name: port must be 1-65535"
    HP_HOST="$host"; HP_PORT="$port"
}

# --- validate ------------------------------------------------------------------
[ -n "${LINK_DOMAIN:-}" ] || die "LINK_DOMAIN is required (e.g. app.example.com)"
# The length apart from the pattern: a large bounded repetition is slow and memory-hungry in bash's regex engine.
[ "${#LINK_DOMAIN}" -le 2048 ] && [[ $LINK_DOMAIN =~ ^[A-Za-z0-9.,\ -]+$ ]] || die "LINK_DOMAIN may only hold domain names separated by commas"
DOMAINS=()
IFS=', ' read -r -a raw_domains <<<"${LINK_DOMAIN,,}"
for d in "${raw_domains[@]}"; do
    [ -n "$d" ] || continue
    [ "${#d}" -le 253 ] && [[ $d =~ $RE_FQDN ]] \
        || die "LINK_DOMAIN: '$d' is not a fully qualified domain name"
    DOMAINS+=("$d")
done
[ "${#DOMAINS[@]}" -gt 0 ] || die "LINK_DOMAIN is empty"

[ -n "${EXPOSE:-}" ] || die "EXPOSE is required (host:port of the service, e.g. nginx:80)"
parse_host_port "$EXPOSE" EXPOSE
if [ "$HP_KIND" = ipv6 ]; then UPSTREAM="[$HP_HOST]:$HP_PORT"; else UPSTREAM="$HP_HOST:$HP_PORT"; fi

[ -n "${GATEWAY_ENDPOINT:-}" ] || die "GATEWAY_ENDPOINT is required (gateway-host:udp-port)"
parse_host_port "$GATEWAY_ENDPOINT" GATEWAY_ENDPOINT
EP_HOST="$HP_HOST"; EP_PORT="$HP_PORT"; EP_KIND="$HP_KIND"

if [ -n "${GATEWAY_CLIENT_WG_PRIVKEY:-}" ] && [ -n "${GATEWAY_CLIENT_WG_PRIVKEY_FILE:-}" ]; then
    die "set only one of GATEWAY_CLIENT_WG_PRIVKEY and GATEWAY_CLIENT_WG_PRIVKEY_FILE"
fi
if [ -n "${GATEWAY_CLIENT_WG_PRIVKEY_FILE:-}" ]; then
    [[ $GATEWAY_CLIENT_WG_PRIVKEY_FILE =~ $RE_PATH ]] || die "GATEWAY_CLIENT_WG_PRIVKEY_FILE must be an absolute path"
    [ -r "$GATEWAY_CLIENT_WG_PRIVKEY_FILE" ] || die "GATEWAY_CLIENT_WG_PRIVKEY_FILE: cannot read the file"
    PRIVKEY="$(tr -d ' \t\r\n' <"$GATEWAY_CLIENT_WG_PRIVKEY_FILE")"
    [[ $PRIVKEY =~ $RE_WG_KEY ]] || die "GATEWAY_CLIENT_WG_PRIVKEY_FILE does not hold a WireGuard private key"
elif [ -n "${GATEWAY_CLIENT_WG_PRIVKEY:-}" ]; then
    PRIVKEY="$GATEWAY_CLIENT_WG_PRIVKEY"
    [[ $PRIVKEY =~ $RE_WG_KEY ]] || die "GATEWAY_CLIENT_WG_PRIVKEY is not a WireGuard private key (base64 of 32 bytes)"
else
    die "GATEWAY_CLIENT_WG_PRIVKEY (or GATEWAY_CLIENT_WG_PRIVKEY_FILE) is required"
fi
# Keep the key out of the environment of every child process (Caddy, wg, ip).
unset GATEWAY_CLIENT_WG_PRIVKEY

[ -n "${GATEWAY_LINK_WG_PUBKEY:-}" ] || die "GATEWAY_LINK_WG_PUBKEY is required"
[[ $GATEWAY_LINK_WG_PUBKEY =~ $RE_WG_KEY ]] || die "GATEWAY_LINK_WG_PUBKEY is not a WireGuard public key"
PEER_KEY="$GATEWAY_LINK_WG_PUBKEY"

if [ -n "${ACME_CA:-}" ]; then
    [ "${#ACME_CA}" -le 512 ] && [[ $ACME_CA =~ $RE_URL ]] \
        || die "ACME_CA must be an https:// directory URL (letters, digits, . - _ ~ / only)"
fi
if [ -n "${ACME_CA_ROOT:-}" ]; then
    [[ $ACME_CA_ROOT =~ $RE_PATH ]] || die "ACME_CA_ROOT must be an absolute path to a PEM file"
    grep -q -- '-----BEGIN CERTIFICATE-----' "$ACME_CA_ROOT" 2>/dev/null \
        || die "ACME_CA_ROOT: $ACME_CA_ROOT is not a readable PEM certificate"
fi
if [ -n "${ACME_EMAIL:-}" ]; then
    [[ $ACME_EMAIL =~ $RE_EMAIL ]] || die "ACME_EMAIL is not an e-mail address"
fi

# Raw ports: each public port the gateway forwards, and the host:port here it goes to (a name is resolved again while
# the container runs: a compose service gets a new address when it is recreated). IPv4 targets only.
PORT_MAPS=()
read_port_entries
for entry in "${PORT_ENTRIES[@]}"; do
    parse_port_entry "$entry"
    [ -n "$PE_EXTRA" ] || die "LINK_PORTS: '$entry' needs its target here, e.g. $PE_PROTO:$PE_FIRST=service:$PE_FIRST"
    parse_port_entry_target "$entry"
done
if [ "${#PORT_MAPS[@]}" -gt 0 ] && [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    die "LINK_PORTS needs IPv4 forwarding in this container: add sysctls: [net.ipv4.ip_forward=1] to its service"
fi
# Strictly on or off (unset: off, as snippets made before it existed): any other value is a mistake, not a yes.
on_off() {
    local name="$1" value="${!1:-off}"
    case "$value" in
        on) echo on ;;
        off) echo off ;;
        *) die "$name must be on or off" ;;
    esac
}
PROXY_PROTOCOL="$(on_off GATEWAY_PROXY_PROTOCOL)"
ACCESS_LOG="$(on_off LINK_ACCESS_LOG)"

# HTTP basic auth (the link's access rules; off when unset): "name:hash name:hash", each hash a bcrypt hash as
# `caddy hash-password` or `htpasswd -nbB` print it ($2a$...; write each $ as $$ in a compose file), or its base64
# (what the snippet carries: no $ to escape). Caddy 2.6 is given the base64 form.
RE_BASIC_USER='^[A-Za-z0-9._@+-]{1,64}$'
RE_BCRYPT='^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$'
RE_BASE64='^[A-Za-z0-9+/]{80}$'   # base64 of the 60 characters of a bcrypt hash
BASIC_AUTH=()
if [ -n "${LINK_BASIC_AUTH:-}" ]; then
    [ "${#LINK_BASIC_AUTH}" -le 4096 ] || die "LINK_BASIC_AUTH is too long (at most 20 users)"
    read -r -a basic_entries <<<"$LINK_BASIC_AUTH"
    [ "${#basic_entries[@]}" -le 20 ] || die "LINK_BASIC_AUTH: at most 20 users"
    declare -A basic_seen=()
    for entry in "${basic_entries[@]}"; do
        [[ $entry == *:* ]] || die "LINK_BASIC_AUTH: '${entry:0:64}' is not name:hash"
        basic_name="${entry%%:*}"; basic_hash="${entry#*:}"
        [[ $basic_name =~ $RE_BASIC_USER ]] \
            || die "LINK_BASIC_AUTH: user name '${basic_name:0:64}' must be 1 to 64 of A-Z a-z 0-9 . _ @ + -"
        [ -z "${basic_seen[$basic_name]:-}" ] || die "LINK_BASIC_AUTH: user $basic_name is given twice"
        basic_seen[$basic_name]=1
        if [[ $basic_hash =~ $RE_BCRYPT ]]; then
            basic_hash="$(printf '%s' "$basic_hash" | base64 -w0)"
        elif ! [[ $basic_hash =~ $RE_BASE64 ]] || ! [[ "$(printf '%s' "$basic_hash" | base64 -d 2>/dev/null)" =~ $RE_BCRYPT ]]; then
            die "LINK_BASIC_AUTH: the hash of $basic_name is not a bcrypt hash (\$2a\$... as caddy hash-password prints it, or its base64)"
        fi
        BASIC_AUTH+=("$basic_name $basic_hash")
    done
    unset basic_seen
fi

GW_IP="${LINK_TUNNEL_GATEWAY_IP:-10.231.0.1}"
CLIENT_IP="${LINK_TUNNEL_CLIENT_IP:-10.231.0.2}"
check_tunnel_addresses "$GW_IP" "$CLIENT_IP"
MTU="$(tunnel_mtu)"
[[ $HANDSHAKE_WAIT =~ ^[0-9]{1,3}$ ]] || die "LINK_HANDSHAKE_WAIT must be a number of seconds"

# --- endpoint resolution -----------------------------------------------------------
# Prints the address to use for the endpoint, IPv4 first (home networks often lack IPv6).
resolve_endpoint() {
    local addr
    case "$EP_KIND" in
        ipv4) printf '%s:%s' "$EP_HOST" "$EP_PORT"; return 0 ;;
        ipv6) printf '[%s]:%s' "$EP_HOST" "$EP_PORT"; return 0 ;;
    esac
    addr="$(getent ahostsv4 "$EP_HOST" 2>/dev/null | awk 'NR == 1 { print $1 }')"
    if [ -n "$addr" ]; then printf '%s:%s' "$addr" "$EP_PORT"; return 0; fi
    addr="$(getent ahostsv6 "$EP_HOST" 2>/dev/null | awk 'NR == 1 { print $1 }')"
    if [ -n "$addr" ]; then printf '[%s]:%s' "$addr" "$EP_PORT"; return 0; fi
    return 1
}

set_endpoint() {
    local ep
    ep="$(resolve_endpoint)" || return 1
    # Keepalive only once an endpoint is known; it also sends the first handshake right away.
    wg set "$WG_IFACE" peer "$PEER_KEY" endpoint "$ep" persistent-keepalive 25 || return 1
    CURRENT_ENDPOINT="$ep"
}

latest_handshake() {
    wg show "$WG_IFACE" latest-handshakes 2>/dev/null | awk -v k="$PEER_KEY" '$1 == k { print $2 }'
}

# Runs in the background for the life of the container: re-resolves the gateway's name when
# the tunnel goes quiet (gateway IP changed, first connection failed) with capped backoff.
endpoint_monitor() {
    local backoff=5 next_try state=down now hs
    next_try=$(( $(date +%s) + 5 ))
    while true; do
        now=$(date +%s)
        hs="$(latest_handshake)"; hs="${hs:-0}"
        if (( hs > 0 && now - hs <= HANDSHAKE_STALE )); then
            [ "$state" = up ] || log "tunnel up (endpoint $CURRENT_ENDPOINT)"
            state=up; backoff=5
        else
            if [ "$state" = up ]; then
                log "no handshake for over ${HANDSHAKE_STALE}s; re-resolving $EP_HOST and starting a new session"
                state=down; next_try=0
                # A recreated gateway-link cannot read our old session, and keepalives alone never start a
                # new one: drop the peer's session so the next packet begins with a fresh handshake.
                wg set "$WG_IFACE" peer "$PEER_KEY" remove \
                    && wg set "$WG_IFACE" peer "$PEER_KEY" allowed-ips "$GW_IP/32" || true
            fi
            if (( now >= next_try )); then
                if set_endpoint; then
                    log "no handshake yet with $CURRENT_ENDPOINT; next try in ${backoff}s"
                else
                    log "cannot resolve $EP_HOST; next try in ${backoff}s"
                fi
                next_try=$(( now + backoff ))
                backoff=$(( backoff * 2 > 300 ? 300 : backoff * 2 ))
            fi
        fi
        sleep 5
    done
}

choose_iptables

# --- tunnel ------------------------------------------------------------------------------
PIDS=()
# shellcheck disable=SC2317 # invoked by trap
shutdown() {
    trap - TERM INT
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip link del "$WG_IFACE" 2>/dev/null || true
    exit 0
}
trap shutdown TERM INT

# wireguard-go's user is numbered by the gateway's UDP port, as on the gateway side.
start_wireguard "$EP_PORT"
[ -z "$WG_PID" ] || PIDS+=("$WG_PID")

install -d -m 0700 "$(dirname "$KEY_FILE")"
(umask 077; printf '%s\n' "$PRIVKEY" >"$KEY_FILE")
unset PRIVKEY
wg set "$WG_IFACE" private-key "$KEY_FILE" peer "$PEER_KEY" allowed-ips "$GW_IP/32"
ip address add "$CLIENT_IP/30" dev "$WG_IFACE"
ip link set "$WG_IFACE" mtu "$MTU" up

# The gateway may reach Caddy and nothing else: no forwarding into the home network.
"$IPT" -F INPUT
"$IPT" -F FORWARD
"$IPT" -A INPUT -i "$WG_IFACE" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"$IPT" -A INPUT -i "$WG_IFACE" -p tcp -m multiport --dports 80,443 -j ACCEPT
"$IPT" -A INPUT -i "$WG_IFACE" -p icmp -j ACCEPT
"$IPT" -A INPUT -i "$WG_IFACE" -j DROP
# Raw ports only: what the gateway sends to a mapped port is DNATed to its target (SG_PORTS), nothing else.
"$IPT" -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"$IPT" -A FORWARD -i "$WG_IFACE" -m conntrack --ctstate DNAT -j ACCEPT
"$IPT" -A FORWARD -i "$WG_IFACE" -j DROP
"$IPT" -A FORWARD -o "$WG_IFACE" -j DROP
if [ "${#PORT_MAPS[@]}" -gt 0 ]; then
    "$IPT" -t nat -N SG_PORTS 2>/dev/null || "$IPT" -t nat -F SG_PORTS
    "$IPT" -t nat -D PREROUTING -i "$WG_IFACE" -j SG_PORTS 2>/dev/null || true
    "$IPT" -t nat -A PREROUTING -i "$WG_IFACE" -j SG_PORTS
    "$IPT" -t nat -D POSTROUTING ! -o "$WG_IFACE" -m conntrack --ctstate DNAT -j MASQUERADE 2>/dev/null || true
    "$IPT" -t nat -A POSTROUTING ! -o "$WG_IFACE" -m conntrack --ctstate DNAT -j MASQUERADE
fi

# The SG_PORTS chain, rendered whole from PORT_MAPS and the targets' addresses now; replaced in one
# iptables-restore (declaring the chain empties it). A target not resolvable yet is left out and logged.
render_port_rules() {
    local map proto first last host port addr p
    echo "*nat"
    echo ":SG_PORTS - [0:0]"
    for map in "${PORT_MAPS[@]}"; do
        read -r proto first last host port <<<"$map"
        if valid_ipv4 "$host"; then addr="$host"
        else addr="$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')" || addr=""
        fi
        if [ -z "$addr" ]; then
            echo "# unresolved $host"
            continue
        fi
        if [ "$first" = "$port" ]; then
            echo "-A SG_PORTS -p $proto --dport $first:$last -j DNAT --to-destination $addr"
        else
            for (( p = first; p <= last; p++ )); do
                echo "-A SG_PORTS -p $proto --dport $p -j DNAT --to-destination $addr:$(( port + p - first ))"
            done
        fi
    done
    echo "COMMIT"
}

# Puts the rules in place when they differ from PORT_RULES (what is in force); sets PORT_RULES.
apply_port_rules() {
    local rules
    rules="$(render_port_rules)"
    [ "$rules" != "$PORT_RULES" ] || return 0
    if ! "$IPT-restore" --noflush <<<"$rules"; then
        log "raw ports: iptables refused the rules; trying again"
        return 0
    fi
    # UDP flows tracked under the old rules (or none, for a target that was not resolvable) would keep following
    # them while their sender keeps sending: forget them, so their next datagram meets the new rules.
    [ -z "$PORT_RULES" ] || conntrack -D -p udp >/dev/null 2>&1 || true
    { grep '^# unresolved' <<<"$rules" || true; } | while read -r line; do log "raw ports: ${line#\# }"; done
    log "raw ports: $(grep -c '^-A' <<<"$rules" || true) forwarding rules in place"
    PORT_RULES="$rules"
}

# Re-renders when an address changed, every 10 s: the only periodic work is a name lookup.
ports_monitor() {
    while true; do
        sleep 10
        apply_port_rules
    done
}
PORT_RULES=""
# Before the tunnel carries anything: a datagram that came before its rule would be tracked past the rule.
[ "${#PORT_MAPS[@]}" -eq 0 ] || apply_port_rules

if set_endpoint; then
    log "tunnel configured: endpoint $CURRENT_ENDPOINT, $CLIENT_IP -> $GW_IP, mtu $MTU"
else
    log "cannot resolve $EP_HOST yet; will keep retrying"
fi
endpoint_monitor &
PIDS+=($!)

if [ "${#PORT_MAPS[@]}" -gt 0 ]; then
    ports_monitor &
    PIDS+=($!)
fi

# The gateway reaches us only after our first handshake; starting Caddy before it would make
# its first ACME validation fail and Caddy would wait a minute before retrying.
for _ in $(seq 1 $(( HANDSHAKE_WAIT * 10 ))); do
    hs="$(latest_handshake)"
    [ "${hs:-0}" -gt 0 ] && break
    sleep 0.1
done
[ "$(latest_handshake)" -gt 0 ] 2>/dev/null || log "no handshake after ${HANDSHAKE_WAIT}s; starting Caddy anyway"

# --- visitor address: NGINX in front of Caddy ---------------------------------------------
IPV6_LOOPBACK=0
if [ "$PROXY_PROTOCOL" = on ]; then
    # A visitor's IPv6 address needs IPv6 on this container's loopback (the snippet's sysctls line gives it).
    if ip -6 address show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then IPV6_LOOPBACK=1; fi
    # Caddy answers a connection that NGINX made from the visitor's address to 127.0.0.1 (or ::1); such replies
    # must come back to NGINX here, not leave by the default route.
    ip rule del from 127.0.0.1 lookup "$LOCAL_TABLE" 2>/dev/null || true
    ip rule add from 127.0.0.1 lookup "$LOCAL_TABLE"
    ip route replace local 0.0.0.0/0 dev lo table "$LOCAL_TABLE"
    if [ "$IPV6_LOOPBACK" = 1 ]; then
        ip -6 rule del from ::1 lookup "$LOCAL_TABLE" 2>/dev/null || true
        ip -6 rule add from ::1 lookup "$LOCAL_TABLE"
        ip -6 route replace local ::/0 dev lo table "$LOCAL_TABLE"
        v6_upstream() { printf '"~:" "[::1]:%s";' "$1"; }
        v6_bind='"~:" $remote_addr;'
    else
        log "IPv6 is off on this container's loopback: IPv6 visitors reach Caddy as $GW_IP (add the snippet's sysctls)"
        v6_upstream() { printf '"~:" "127.0.0.1:%s";' "$1"; }
        v6_bind="\"~:\" $GW_IP;"
    fi
    install -d -m 0755 "$(dirname "$NGINX_CONF")"
    # shellcheck disable=SC2016 # NGINX variables, not shell ones
    cat >"$NGINX_CONF" <<NGINX
include /etc/nginx/modules-enabled/*.conf;
user www-data;
worker_processes 1;
pid /run/client-link-nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }

# 443: the PROXY line from the gateway (and only from it) names the visitor; TLS stays Caddy's.
stream {
    map \$remote_addr \$sg_caddy_tls { $(v6_upstream "$CADDY_HTTPS_PORT") default 127.0.0.1:$CADDY_HTTPS_PORT; }
    map \$remote_addr \$sg_source { $v6_bind default \$remote_addr; }
    server {
        listen $CLIENT_IP:443 proxy_protocol;
        set_real_ip_from $GW_IP/32;
        proxy_pass \$sg_caddy_tls;
        proxy_bind \$sg_source transparent;
        proxy_connect_timeout 5s;
        proxy_timeout 1h;
    }
}

# 80 (ACME HTTP-01 and the redirect to HTTPS): the gateway sets X-Real-IP to the address it sees.
http {
    access_log off;
    server_tokens off;
    map \$remote_addr \$sg_caddy_http { $(v6_upstream "$CADDY_HTTP_PORT") default 127.0.0.1:$CADDY_HTTP_PORT; }
    map \$remote_addr \$sg_source { $v6_bind default \$remote_addr; }
    server {
        listen $CLIENT_IP:80;
        set_real_ip_from $GW_IP/32;
        real_ip_header X-Real-IP;
        location / {
            proxy_pass http://\$sg_caddy_http;
            proxy_bind \$sg_source transparent;
            proxy_http_version 1.1;
            proxy_set_header Host \$host;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
            client_max_body_size 0;
        }
    }
}
NGINX
    nginx -t -q -c "$NGINX_CONF" || die "generated NGINX configuration is invalid"
fi

# --- Caddy ---------------------------------------------------------------------------------
site_addresses() {
    local prefix="$1" sep="" d
    for d in "${DOMAINS[@]}"; do printf '%s%s%s' "$sep" "$prefix" "$d"; sep=", "; done
}
# What both sites (HTTPS and, behind NGINX, port 80) say: where they listen and whether they log.
site_common() {
    if [ "$PROXY_PROTOCOL" = on ]; then
        if [ "$IPV6_LOOPBACK" = 1 ]; then echo "	bind 127.0.0.1 [::1]"; else echo "	bind 127.0.0.1"; fi
    fi
    [ "$ACCESS_LOG" = off ] || printf '\tlog {\n\t\toutput stdout\n\t}\n'
}
{
    echo "{"
    echo "	admin off"
    [ -n "${ACME_EMAIL:-}" ] && echo "	email $ACME_EMAIL"
    [ -n "${ACME_CA:-}" ] && echo "	acme_ca $ACME_CA"
    [ -n "${ACME_CA_ROOT:-}" ] && echo "	acme_ca_root $ACME_CA_ROOT"
    if [ "$PROXY_PROTOCOL" = on ]; then
        echo "	http_port $CADDY_HTTP_PORT"
        echo "	https_port $CADDY_HTTPS_PORT"
    fi
    # UDP/443 (HTTP/3) is not carried through the gateway; do not advertise it.
    echo "	servers {"
    echo "		protocols h1 h2"
    echo "	}"
    echo "}"
    echo
    echo "$(site_addresses "") {"
    site_common
    if [ "${#BASIC_AUTH[@]}" -gt 0 ]; then
        # Only on HTTPS: port 80 answers ACME HTTP-01 (before any handler) and redirects the rest to HTTPS.
        echo "	basicauth {"
        for user in "${BASIC_AUTH[@]}"; do echo "		$user"; done
        echo "	}"
    fi
    # Caddy replaces X-Forwarded-For with its peer (the visitor, or the gateway for links without the visitor's
    # address) but passes X-Real-IP through: set it too, so a visitor's own value never reaches the app.
    echo "	reverse_proxy $UPSTREAM {"
    echo "		header_up X-Real-IP {remote_host}"
    echo "	}"
    echo "}"
    if [ "$PROXY_PROTOCOL" = on ]; then
        # Written out because Caddy 2.6.2's automatic redirect listens on only one of several bind addresses.
        echo
        echo "$(site_addresses "http://") {"
        site_common
        echo "	redir https://{host}{uri} 308"
        echo "}"
    fi
} >"$CADDYFILE"

chown -R caddy:caddy /data /config
caddy validate --config "$CADDYFILE" --adapter caddyfile >/dev/null 2>&1 \
    || { caddy validate --config "$CADDYFILE" --adapter caddyfile >&2 || true; die "generated Caddyfile is invalid"; }
log "starting Caddy for ${DOMAINS[*]} -> $UPSTREAM${BASIC_AUTH[*]:+ (basic auth: ${#BASIC_AUTH[@]} users)}"
# Caddy faces the internet: run it unprivileged, with only the right to bind 80/443.
setpriv --reuid=caddy --regid=caddy --init-groups \
    --inh-caps=+net_bind_service --ambient-caps=+net_bind_service \
    env HOME=/data caddy run --config "$CADDYFILE" --adapter caddyfile &
PIDS+=($!)
if [ "$PROXY_PROTOCOL" = on ]; then
    log "reading visitors' addresses from the gateway ($GW_IP): PROXY protocol on 443, X-Real-IP on 80"
    nginx -c "$NGINX_CONF" -g 'daemon off;' &
    PIDS+=($!)
fi

set +e
wait -n "${PIDS[@]}"
rc=$?
log "a component exited (status $rc); stopping"
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
ip link del "$WG_IFACE" 2>/dev/null || true
exit $(( rc == 0 ? 1 : rc ))
