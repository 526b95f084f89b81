# shellcheck shell=bash
# Shared by the gateway-link and client-link entrypoints (both images copy it to
# /usr/local/lib/selfhosted-gateway/link-common.sh). Each entrypoint defines log() and die() before sourcing it.

WG_IFACE=wg0
WG_SOCK_DIR=/var/run/wireguard
RE_IPV4='^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'
RE_WG_KEY='^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$'
# wireguard-go runs as a user of its own: WG_USER_BASE + the link's UDP port (see start_wireguard).
WG_USER_BASE=1000000000
WG_PID=""

valid_ipv4() { [[ $1 =~ $RE_IPV4 ]]; }
valid_wg_key() { [[ $1 =~ $RE_WG_KEY ]]; }
valid_port() { [[ $1 =~ ^[1-9][0-9]{0,4}$ ]] && [ "$1" -le 65535 ]; }

ipv4_to_int() {
    local IFS=. a b c d
    read -r a b c d <<<"$1"
    echo $(( (a << 24) | (b << 16) | (c << 8) | d ))
}

# The tunnel's two ends (LINK_TUNNEL_GATEWAY_IP, LINK_TUNNEL_CLIENT_IP) must be the two hosts of one /30.
check_tunnel_addresses() {
    local gw="$1" client="$2" gw_int client_int
    valid_ipv4 "$gw" || die "LINK_TUNNEL_GATEWAY_IP is not an IPv4 address"
    valid_ipv4 "$client" || die "LINK_TUNNEL_CLIENT_IP is not an IPv4 address"
    gw_int=$(ipv4_to_int "$gw"); client_int=$(ipv4_to_int "$client")
    if (( (gw_int & ~3) != (client_int & ~3) || gw_int == client_int \
          || (gw_int & 3) == 0 || (gw_int & 3) == 3 || (client_int & 3) == 0 || (client_int & 3) == 3 )); then
        die "LINK_TUNNEL_GATEWAY_IP and LINK_TUNNEL_CLIENT_IP must be the two host addresses of one /30"
    fi
}

# Prints the tunnel MTU: LINK_MTU, else the underlay's MTU minus the 80 bytes WireGuard adds (IPv6 outer header).
# Inside a container the default route is the Docker network, whose MTU follows the host's uplink.
tunnel_mtu() {
    local uplink mtu
    if [ -n "${LINK_MTU:-}" ]; then
        [[ $LINK_MTU =~ ^[0-9]{3,5}$ ]] && [ "$LINK_MTU" -ge 1280 ] && [ "$LINK_MTU" -le 9000 ] \
            || die "LINK_MTU must be a number between 1280 and 9000"
        echo "$LINK_MTU"
        return
    fi
    uplink="$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')"
    [ -n "$uplink" ] || die "no default route; set LINK_MTU"
    mtu=$(( $(cat "/sys/class/net/$uplink/mtu") - 80 ))
    echo $(( mtu >= 1280 ? mtu : 1280 ))
}

# Sets IPT to the iptables that works here: nft where the kernel has it, else legacy.
choose_iptables() {
    IPT=iptables
    if ! iptables -t nat -S >/dev/null 2>&1; then
        if iptables-legacy -t nat -S >/dev/null 2>&1; then
            IPT=iptables-legacy
        else
            die "iptables does not work here (is NET_ADMIN granted?)"
        fi
    fi
}

# Brings up the WireGuard interface wg0: the kernel's when it has WireGuard, else wireguard-go. Sets WG_PID (empty
# with the kernel's). $1 is the number that names wireguard-go's user: the link's UDP port.
#
# wireguard-go holds one inotify instance (it watches its control socket), and fs.inotify.max_user_instances
# (128 by default) is counted per user across every container of the host. Run as root, the links' wireguard-go
# processes would share root's 128 with each other and the rest of the host, and link 129 would crash-loop. As a
# user of its own (WG_USER_BASE + port, unique per gateway), each counts only against itself, whatever the host's
# setting; it also runs with no right but NET_ADMIN (and binding a low UDP port).
# A loaded host (every container of a gateway starting at once after a reboot) can take long to start it: wait as
# long as it runs, up to LINK_WG_START_TIMEOUT seconds, instead of a short fixed deadline.
start_wireguard() {
    local user=$(( WG_USER_BASE + $1 )) timeout="${LINK_WG_START_TIMEOUT:-120}" waited=0
    [[ $timeout =~ ^[1-9][0-9]{0,3}$ ]] || die "LINK_WG_START_TIMEOUT must be a number of seconds (1-9999)"
    WG_PID=""
    # A stale control socket survives `docker restart` and would make wireguard-go refuse to start.
    rm -f "$WG_SOCK_DIR/$WG_IFACE.sock" "$WG_SOCK_DIR/$WG_IFACE.name"
    ip link del "$WG_IFACE" 2>/dev/null || true
    if ip link add "$WG_IFACE" type wireguard 2>/dev/null; then
        log "using kernel WireGuard"
        return
    fi
    [ -c /dev/net/tun ] || die "no kernel WireGuard and no /dev/net/tun: give the container the device /dev/net/tun"
    install -d -m 0755 -o "$user" -g "$user" "$WG_SOCK_DIR"
    # The container's own device node (the host's is untouched): hosts differ in its mode, 0600 root is common.
    chown "$user" /dev/net/tun
    log "kernel WireGuard unavailable; starting wireguard-go as user $user"
    WG_PROCESS_FOREGROUND=1 setpriv --reuid="$user" --regid="$user" --clear-groups \
        --inh-caps=+net_admin,+net_bind_service --ambient-caps=+net_admin,+net_bind_service \
        wireguard-go "$WG_IFACE" &
    WG_PID=$!
    until [ -S "$WG_SOCK_DIR/$WG_IFACE.sock" ]; do
        if ! kill -0 "$WG_PID" 2>/dev/null; then
            local status=0
            wait "$WG_PID" || status=$?
            die "wireguard-go exited during start (status $status)"
        fi
        (( waited < timeout * 20 )) || die "wireguard-go did not open its control socket within ${timeout}s"
        (( waited == 0 || waited % 200 )) || log "still waiting for wireguard-go ($(( waited / 20 ))s)"
        sleep 0.05
        waited=$(( waited + 1 ))
    done
}

# Raw ports (LINK_PORTS): entries separated by spaces or commas, each `proto:first[-last]` plus, on the gateway
# side, an optional `:proxy-v1` or `:proxy-v2` (a PROXY protocol header towards home, tcp only), and on the home side
# `=host:port` (where the first public port goes; a range keeps its offsets). Sets PE_PROTO, PE_FIRST, PE_LAST and
# PE_EXTRA (what follows the ports, without its separator); dies naming the entry when it does not fit.
parse_port_entry() {
    local entry="$1"
    [[ $entry =~ ^(tcp|udp):([0-9]{1,5})(-([0-9]{1,5}))?([:=](.*))?$ ]] \
        || die "LINK_PORTS: '$entry' is not proto:port, proto:first-last (proto tcp or udp)"
    PE_PROTO="${BASH_REMATCH[1]}"; PE_FIRST="${BASH_REMATCH[2]}"; PE_LAST="${BASH_REMATCH[4]:-${BASH_REMATCH[2]}}"
    PE_EXTRA="${BASH_REMATCH[6]}"
    valid_port "$PE_FIRST" && valid_port "$PE_LAST" && [ "$PE_FIRST" -le "$PE_LAST" ] \
        || die "LINK_PORTS: '$entry' needs ports from 1 to 65535, the first not above the last"
}

# Sets PORT_ENTRIES to the entries of LINK_PORTS (none when it is unset or empty). Call it in the entrypoint's own
# shell, not in a pipeline or a process substitution: a die there would end only that subshell, and the container
# would start without its ports.
read_port_entries() {
    local entries="${LINK_PORTS:-}"   # unset is none, also under set -u
    # The length apart from the pattern: a bounded repetition such as {0,8192} makes bash's regex engine build an
    # automaton that takes gigabytes and tens of seconds (the kernel killed it here), at every container start.
    [ "${#entries}" -le 8192 ] && [[ $entries =~ ^[A-Za-z0-9:=.,\ _-]*$ ]] \
        || die "LINK_PORTS may only hold entries such as tcp:25565 or udp:50100-50199, separated by spaces or commas"
    read -r -a PORT_ENTRIES <<<"${entries//,/ }"
}
