#!/bin/bash
# shellcheck disable=SC2015 # `[[ check ]] && [ check ] || die` is intended: die when any check fails
# gateway-link: WireGuard endpoint on the gateway for one link.
# Keys come as files in /etc/wireguard-link (copied in before start), never as env.
set -euo pipefail

KEY_DIR=/etc/wireguard-link

log() { printf '%s gateway-link: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=../lib/link-common.sh
. /usr/local/lib/selfhosted-gateway/link-common.sh

read_key_file() {
    local path="$1" what="$2" key
    [ -f "$path" ] || die "$what missing: copy it to $path before starting the container"
    key="$(tr -d ' \t\r\n' <"$path")"
    valid_wg_key "$key" || die "$what in $path is not a WireGuard key (base64 of 32 bytes)"
    printf '%s' "$key"
}

# --- validate configuration before touching the network ----------------------
LINK_UDP_PORT="${LINK_UDP_PORT:-}"
[ -n "$LINK_UDP_PORT" ] || die "LINK_UDP_PORT is required"
valid_port "$LINK_UDP_PORT" || die "LINK_UDP_PORT must be a port number 1-65535"

GW_IP="${LINK_TUNNEL_GATEWAY_IP:-10.231.0.1}"
CLIENT_IP="${LINK_TUNNEL_CLIENT_IP:-10.231.0.2}"
check_tunnel_addresses "$GW_IP" "$CLIENT_IP"
MTU="$(tunnel_mtu)"

PRIVATE_KEY_FILE="$KEY_DIR/private-key"
read_key_file "$PRIVATE_KEY_FILE" "gateway private key" >/dev/null
PEER_PUBLIC_KEY="$(read_key_file "$KEY_DIR/peer-public-key" "client public key")"

# Where the client was last seen, to greet it there at start: a new session at once instead of waiting up to
# 180 s for the client's next handshake. The control plane keeps it in the link's state directory (mounted here),
# updated whenever its health sweep sees the client move, so it also serves after an engine restart or a reboot.
# Only IPv4:port or [IPv6]:port; anything else is ignored, never fatal.
valid_endpoint() {
    local candidate="$1" ep_host="" ep_port=""
    if [[ $candidate =~ ^([0-9.]{7,15}):([0-9]{1,5})$ ]]; then
        ep_host="${BASH_REMATCH[1]}"; ep_port="${BASH_REMATCH[2]}"   # read before valid_ipv4 resets BASH_REMATCH
        valid_ipv4 "$ep_host" || return 1
    elif [[ $candidate =~ ^\[([0-9A-Fa-f:.]{2,45})\]:([0-9]{1,5})$ ]]; then
        ep_host="${BASH_REMATCH[1]}"; ep_port="${BASH_REMATCH[2]}"
        [[ $ep_host == *:* ]] || return 1
    else
        return 1
    fi
    [[ $ep_port =~ ^[1-9][0-9]{0,4}$ ]] && [ "$ep_port" -le 65535 ]
}

PEER_ENDPOINT=""
if [ -f "$KEY_DIR/peer-endpoint" ]; then
    candidate="$(head -c 128 "$KEY_DIR/peer-endpoint" | tr -d ' \t\r\n')"
    if valid_endpoint "$candidate"; then
        PEER_ENDPOINT="$candidate"
    else
        log "ignoring $KEY_DIR/peer-endpoint: not IPv4:port or [IPv6]:port"
    fi
fi

# Raw ports (images/README.md): validated here, before the network is touched. DNAT_PORTS go into the tunnel by the
# kernel; PROXY_PORTS through HAProxy, which writes the visitor's address in a PROXY header first.
DNAT_PORTS=(); PROXY_PORTS=()
read_port_entries
for entry in "${PORT_ENTRIES[@]}"; do
    parse_port_entry "$entry"
    case "$PE_EXTRA" in
        "") DNAT_PORTS+=("$PE_PROTO $PE_FIRST $PE_LAST") ;;
        proxy-v1|proxy-v2)
            [ "$PE_PROTO" = tcp ] && [ "$PE_FIRST" = "$PE_LAST" ] \
                || die "LINK_PORTS: '$entry': a PROXY header is for one tcp port, not udp or a range"
            PROXY_PORTS+=("$PE_FIRST ${PE_EXTRA#proxy-}") ;;
        *) die "LINK_PORTS: '$entry' may end in :proxy-v1 or :proxy-v2 only" ;;
    esac
done

choose_iptables

# --- interface ----------------------------------------------------------------
cleanup() {
    trap - TERM INT
    if [ -n "$WG_PID" ]; then kill "$WG_PID" 2>/dev/null || true; fi
    if [ -n "${HAPROXY_PID:-}" ]; then kill "$HAPROXY_PID" 2>/dev/null || true; fi
    ip link del "$WG_IFACE" 2>/dev/null || true
    exit 0
}
trap cleanup TERM INT
start_wireguard "$LINK_UDP_PORT"

wg set "$WG_IFACE" listen-port "$LINK_UDP_PORT" private-key "$PRIVATE_KEY_FILE" \
    peer "$PEER_PUBLIC_KEY" allowed-ips "$CLIENT_IP/32"
ip address add "$GW_IP/30" dev "$WG_IFACE"
ip link set "$WG_IFACE" mtu "$MTU" up

# --- NAT into the tunnel -----------------------------------------------------
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    sysctl -q -w net.ipv4.ip_forward=1 2>/dev/null \
        || die "IPv4 forwarding is off in this container; run it with --sysctl net.ipv4.ip_forward=1"
fi
for table in nat mangle filter; do "$IPT" -t "$table" -F; done
"$IPT" -t nat -A PREROUTING ! -i "$WG_IFACE" -p tcp -m multiport --dports 80,443 \
    -j DNAT --to-destination "$CLIENT_IP"
for ports in "${DNAT_PORTS[@]}"; do
    read -r proto first last <<<"$ports"
    # The port number is kept: the home side maps each public port to its target.
    "$IPT" -t nat -A PREROUTING ! -i "$WG_IFACE" -p "$proto" --dport "$first:$last" \
        -j DNAT --to-destination "$CLIENT_IP"
done
"$IPT" -t nat -A POSTROUTING -o "$WG_IFACE" -j MASQUERADE
"$IPT" -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
# Only the DNATed flows may cross: the home side must not reach into the gateway network.
"$IPT" -P FORWARD DROP
"$IPT" -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"$IPT" -A FORWARD ! -i "$WG_IFACE" -o "$WG_IFACE" -m conntrack --ctstate DNAT -j ACCEPT
# A visitor's datagram that came before the rules above (the engine forwards the published ports as soon as the
# container runs) was tracked as addressed to this container itself, and every later one of that flow would follow
# that entry instead of the rules: a game client that keeps sending would never get through (what moby#8795 is
# about). Forget what was tracked before the rules; a flow already NATed is tracked again at its next packet.
conntrack -F 2>/dev/null || log "could not flush connection tracking; a flow that began before start may stall"
# Nothing on this container listens for the tunnel peer.
"$IPT" -A INPUT -i "$WG_IFACE" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
"$IPT" -A INPUT -i "$WG_IFACE" -p icmp -j ACCEPT
"$IPT" -A INPUT -i "$WG_IFACE" -j DROP

if [ -n "$PEER_ENDPOINT" ]; then
    # Set last, once the interface is up and NAT is in place: the keepalive makes wg handshake right away.
    wg set "$WG_IFACE" peer "$PEER_PUBLIC_KEY" endpoint "$PEER_ENDPOINT" persistent-keepalive 25 \
        && log "greeting the client at its last endpoint $PEER_ENDPOINT" \
        || log "could not set the client's last endpoint; waiting for the client instead"
fi

HAPROXY_PID=""
if [ "${#PROXY_PORTS[@]}" -gt 0 ]; then
    # One process for all of this link's PROXY ports; idle connections live an hour, as through the gateway NGINX.
    {
        printf 'global\n\tuser haproxy\n\tgroup haproxy\n\tmaxconn 4096\n\tlog stderr format short local0 warning\n'
        printf 'defaults\n\tmode tcp\n\tlog global\n\ttimeout connect 10s\n\ttimeout client 1h\n\ttimeout server 1h\n'
        for ports in "${PROXY_PORTS[@]}"; do
            read -r port version <<<"$ports"
            send=send-proxy; [ "$version" = v2 ] && send=send-proxy-v2
            printf 'listen tcp-%s\n\tbind :%s\n\tserver home %s:%s %s\n' "$port" "$port" "$CLIENT_IP" "$port" "$send"
        done
    } >/run/haproxy.cfg
    haproxy -c -q -f /run/haproxy.cfg || die "HAProxy refused its configuration for the PROXY ports"
    haproxy -db -f /run/haproxy.cfg &
    HAPROXY_PID=$!
fi

forwarded="tcp/80,443"
for ports in "${DNAT_PORTS[@]}"; do
    read -r proto first last <<<"$ports"
    forwarded+=" $proto/$first"; [ "$first" = "$last" ] || forwarded+="-$last"
done
for ports in "${PROXY_PORTS[@]}"; do forwarded+=" tcp/${ports% *}(proxy-${ports#* })"; done
log "ready: udp/$LINK_UDP_PORT, tunnel $GW_IP -> $CLIENT_IP, mtu $MTU, forwarding $forwarded"

# Exit when wireguard-go or HAProxy dies so Docker's restart policy takes over.
PIDS=()
[ -z "$WG_PID" ] || PIDS+=("$WG_PID")
[ -z "$HAPROXY_PID" ] || PIDS+=("$HAPROXY_PID")
if [ "${#PIDS[@]}" -gt 0 ]; then
    set +e
    wait -n "${PIDS[@]}"
    rc=$?
    log "wireguard-go or HAProxy exited with status $rc"
    exit $(( rc == 0 ? 1 : rc ))
else
    sleep infinity &
    wait $!
fi
