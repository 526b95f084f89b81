#!/bin/bash
# TEST ONLY. Makes a fresh minica-style root + server cert at each container creation (Debian ships
# none), then runs challtestsrv (DNS on 8053) and Pebble (ACME 14000, management 15000).
set -euo pipefail

CERTS=/etc/pebble/certs
log() { printf '%s test-pebble: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $DNS_DEFAULT_IPV4 =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]] || die "DNS_DEFAULT_IPV4 must be an IPv4 address"
[[ $PEBBLE_CERT_NAMES =~ ^[a-z0-9.-]+(,[a-z0-9.-]+)*$ ]] || die "PEBBLE_CERT_NAMES must be a comma-separated list of names"

if [ ! -f "$CERTS/minica.pem" ]; then
    # Same layout as Pebble's own test/certs: minica.pem (root) and pebble/{cert,key}.pem.
    install -d -m 0755 "$CERTS/pebble"
    # shellcheck disable=SC2086 # split on purpose; names were validated above
    san="$(printf 'DNS:%s,' ${PEBBLE_CERT_NAMES//,/ })IP:127.0.0.1"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj "/CN=selfhosted-gateway test root" -keyout "$CERTS/minica-key.pem" -out "$CERTS/minica.pem" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=${PEBBLE_CERT_NAMES%%,*}" -keyout "$CERTS/pebble/key.pem" -out "$CERTS/pebble/req.pem" 2>/dev/null
    openssl x509 -req -in "$CERTS/pebble/req.pem" -CA "$CERTS/minica.pem" -CAkey "$CERTS/minica-key.pem" \
        -CAcreateserial -days 825 -out "$CERTS/pebble/cert.pem" \
        -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$san") 2>/dev/null
    rm -f "$CERTS/pebble/req.pem"
    chmod 0644 "$CERTS/minica.pem"
    log "made TLS root $CERTS/minica.pem for $PEBBLE_CERT_NAMES"
fi

pebble-challtestsrv -defaultIPv4 "$DNS_DEFAULT_IPV4" -defaultIPv6 "" \
    -dns01 :8053 -management :8055 -http01 "" -https01 "" -tlsalpn01 "" &
dns_pid=$!
pebble -config /etc/pebble/pebble-config.json -dnsserver 127.0.0.1:8053 &
pebble_pid=$!
trap 'kill "$dns_pid" "$pebble_pid" 2>/dev/null; exit 0' TERM INT
set +e
wait -n "$dns_pid" "$pebble_pid"
rc=$?
log "a component exited (status $rc)"
kill "$dns_pid" "$pebble_pid" 2>/dev/null
exit $(( rc == 0 ? 1 : rc ))
