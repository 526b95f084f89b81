#!/usr/bin/env bash
# Prepares a host for building and testing selfhosted-gateway:
# a running Docker engine, the debian:bookworm-slim base image, the project images
# and the host tools the tests use (wg, docker-compose, curl, chromium + chromedriver). Idempotent; fast on reruns.
#
# Env: SG_CACHE_DIR (default /var/cache/selfhosted-gateway) keeps the base rootfs tarball,
#      SG_REFRESH_BASE=1 rebuilds the base image from scratch,
#      SG_DOCKERD_LOG (default /var/log/selfhosted-gateway-dockerd.log; see scripts/docker-engine.sh),
#      SG_SKIP_BUILD=1 stops after the base image.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SG_CACHE_DIR:-/var/cache/selfhosted-gateway}"
BASE_IMAGE="debian:bookworm-slim"
BASE_TARBALL="$CACHE_DIR/debian-bookworm-minbase.v2.tar"
DEBIAN_MIRROR="${SG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export DOCKER_BUILDKIT=0

log() { printf '[prepare-docker] %s\n' "$*" >&2; }
die() { printf '[prepare-docker] ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
    # Try without a fresh index first: the common case is a host where `apt-get update` already ran.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1; then
        if [ "$apt_updated" = 0 ]; then
            log "apt-get update"
            apt-get update -q >/dev/null || die "apt-get update failed"
            apt_updated=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null \
            || die "apt-get install $* failed"
    fi
}

ensure_host_tools() {
    local missing=()
    command -v wg >/dev/null 2>&1 || missing+=(wireguard-tools)
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    # The web page's tests drive Debian's Chromium; nothing is downloaded at test time.
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
    # The generated Python client's test (GeneratedPythonClientTests) runs on Debian's Python and packages, no PyPI.
    /usr/bin/python3 -c 'import pydantic, urllib3, dateutil, typing_extensions' >/dev/null 2>&1 \
        || missing+=(python3 python3-pydantic python3-urllib3 python3-dateutil python3-typing-extensions)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing host packages: ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

ensure_docker() {
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        log "installing docker.io"
        apt_install docker.io
    fi
    bash "$REPO_DIR/scripts/docker-engine.sh" start
}

# Builds a minimal Debian rootfs as close to the official slim image as practical.
build_base_tarball() {
    command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
    local rootfs
    rootfs="$(mktemp -d /tmp/sg-rootfs.XXXXXX)"
    log "debootstrap minbase bookworm (about 40s)"
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1; then
        tail -n 20 "$rootfs.log" >&2
        rm -rf "$rootfs" "$rootfs.log"
        die "debootstrap failed"
    fi
    rm -f "$rootfs.log"
    # Security and point-release updates for images built on top.
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
    # Same size savings as the official slim image: no docs, man pages or locales.
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
    cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Install-Recommends "false";
APT
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* \
        "$rootfs"/var/log/*.log
    # Drop doc files but keep the directories: some postinst scripts (openjdk) link into man1.
    find "$rootfs/usr/share/doc" "$rootfs/usr/share/man" -type f ! -name copyright -delete
    mkdir -p "$CACHE_DIR"
    tar --numeric-owner -C "$rootfs" -cf "$BASE_TARBALL.partial" .
    mv "$BASE_TARBALL.partial" "$BASE_TARBALL"
    rm -rf "$rootfs"
    log "cached base rootfs at $BASE_TARBALL"
}

ensure_base_image() {
    if [ "${SG_REFRESH_BASE:-0}" = 1 ]; then
        rm -f "$BASE_TARBALL"
        docker image rm "$BASE_IMAGE" >/dev/null 2>&1 || true
    elif docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "$BASE_IMAGE present"
        return
    fi
    if [ ! -f "$BASE_TARBALL" ]; then
        log "trying docker pull $BASE_IMAGE"
        if timeout 20 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
            log "pulled $BASE_IMAGE"
            return
        fi
        log "pull failed (no registry reachable?); building $BASE_IMAGE with debootstrap"
        build_base_tarball
    fi
    log "importing $BASE_TARBALL as $BASE_IMAGE"
    docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        "$BASE_TARBALL" "$BASE_IMAGE" >/dev/null
}

build_image() {
    local tag="$1"; shift
    local start out
    start=$(date +%s)
    out="$(mktemp)"
    if ! docker build --force-rm --label io.selfhosted-gateway.image=true -t "$tag" "$@" >"$out" 2>&1; then
        tail -n 40 "$out" >&2
        rm -f "$out"
        die "docker build of $tag failed"
    fi
    rm -f "$out"
    log "built $tag in $(( $(date +%s) - start ))s"
}

main() {
    ensure_host_tools
    ensure_docker
    ensure_base_image
    if [ "${SG_SKIP_BUILD:-0}" = 1 ]; then
        log "SG_SKIP_BUILD=1: not building project images"
        return
    fi
    build_image selfhosted-gateway/gateway-link:latest "$REPO_DIR/images/gateway-link"
    build_image selfhosted-gateway/client-link:latest "$REPO_DIR/images/client-link"
    build_image selfhosted-gateway/gateway-nginx:latest "$REPO_DIR/images/gateway-nginx"
    build_image selfhosted-gateway/test-pebble:latest "$REPO_DIR/images/test-pebble"
    build_image selfhosted-gateway/test-demo:latest "$REPO_DIR/images/test-demo"
    if [ -f "$REPO_DIR/target/selfhosted-gateway.jar" ]; then
        build_image selfhosted-gateway/control-plane:latest --target prebuilt "$REPO_DIR"
    else
        log "target/selfhosted-gateway.jar not found: skipping the control-plane image (run mvn package first)"
    fi
    log "done"
}

main "$@"
