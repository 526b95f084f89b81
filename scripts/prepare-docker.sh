#!/usr/bin/env bash
# Prepares a host: a running Docker engine, the debian:trixie-slim base image (Debian 13), and what one role needs.
# Idempotent; fast on reruns.
#
#   prepare-docker.sh          tests (scripts/test.sh): every image, and the host tools the tests use
#                              (wg, docker-compose, curl, chromium + chromedriver)
#   prepare-docker.sh gateway  the VPS (scripts/start-gateway.sh): docker-compose and curl; the gateway-link,
#                              gateway-nginx and control-plane images only
#   prepare-docker.sh home     a home server (scripts/install-home.sh): docker-compose; the client-link and
#                              home-agent images only
#
# Env: SG_IMAGE_TAG (default latest) tags the project images,
#      SG_CONTROL_PLANE_FROM_SOURCE=1 compiles the control plane inside Docker (gateway role),
#      SG_DEBIAN_RELEASE (default trixie) names the base image, debian:<release>-slim,
#      SG_CACHE_DIR (default /var/cache/selfhosted-gateway) keeps the base rootfs tarball,
#      SG_REFRESH_BASE=1 rebuilds the base image from scratch,
#      SG_DOCKERD_LOG (default /var/log/selfhosted-gateway-dockerd.log; see scripts/docker-engine.sh),
#      SG_SKIP_BUILD=1 stops after the base image.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SG_CACHE_DIR:-/var/cache/selfhosted-gateway}"
# The Debian release every image is built FROM (debian:<release>-slim).
DEBIAN_RELEASE="${SG_DEBIAN_RELEASE:-trixie}"
BASE_IMAGE="debian:$DEBIAN_RELEASE-slim"
BASE_TARBALL="$CACHE_DIR/debian-$DEBIAN_RELEASE-minbase.v2.tar"
DEBIAN_MIRROR="${SG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
TAG="${SG_IMAGE_TAG:-latest}"
ROLE="${1:-tests}"
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
    # A compose file runs the gateway (docker-compose.gateway.yml) and the user's services at home.
    command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
    if [ "$ROLE" != home ]; then
        command -v curl >/dev/null 2>&1 || missing+=(curl)
    fi
    if [ "$ROLE" = tests ]; then
        command -v wg >/dev/null 2>&1 || missing+=(wireguard-tools)
        # The web page's tests drive Debian's Chromium; nothing is downloaded at test time.
        command -v chromium >/dev/null 2>&1 || missing+=(chromium)
        command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
        # The generated Python client's test (GeneratedPythonClientTests) runs on Debian's Python and packages, no PyPI.
        /usr/bin/python3 -c 'import pydantic, urllib3, dateutil, typing_extensions' >/dev/null 2>&1 \
            || missing+=(python3 python3-pydantic python3-urllib3 python3-dateutil python3-typing-extensions)
    fi
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
    # From Debian 13 the client is a package of its own, which docker.io only recommends.
    command -v docker >/dev/null 2>&1 || apt_install docker-cli
    bash "$REPO_DIR/scripts/docker-engine.sh" start
}

# Builds a minimal Debian rootfs as close to the official slim image as practical.
build_base_tarball() {
    command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
    local rootfs
    rootfs="$(mktemp -d /tmp/sg-rootfs.XXXXXX)"
    log "debootstrap minbase $DEBIAN_RELEASE (about 40s)"
    if ! debootstrap --variant=minbase "$DEBIAN_RELEASE" "$rootfs" "$DEBIAN_MIRROR" >"$rootfs.log" 2>&1; then
        tail -n 20 "$rootfs.log" >&2
        rm -rf "$rootfs" "$rootfs.log"
        die "debootstrap failed"
    fi
    rm -f "$rootfs.log"
    # Security and point-release updates for images built on top.
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_RELEASE main
deb $DEBIAN_MIRROR $DEBIAN_RELEASE-updates main
deb http://deb.debian.org/debian-security $DEBIAN_RELEASE-security main
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

build_control_plane_image() {
    if [ "${SG_CONTROL_PLANE_FROM_SOURCE:-0}" != 1 ] && [ -f "$REPO_DIR/target/selfhosted-gateway.jar" ]; then
        build_image "selfhosted-gateway/control-plane:$TAG" --target prebuilt "$REPO_DIR"
    elif [ "$ROLE" = gateway ]; then
        # No up-to-date jar and no JDK on this host (start-gateway.sh decided): Maven runs inside the image build.
        log "building the control plane inside Docker (Maven downloads its dependencies; a few minutes)"
        build_image "selfhosted-gateway/control-plane:$TAG" "$REPO_DIR"
    else
        log "target/selfhosted-gateway.jar not found: skipping the control-plane image (run mvn package first)"
    fi
}

# The home agent runs the control plane's jar. A home server has no JDK: there the jar is compiled in a throwaway
# container of Debian's JDK and Maven (dependencies from Maven Central; a few minutes), which leaves nothing behind
# but target/. Elsewhere a missing jar only skips the image, as for the control plane.
build_home_agent_image() {
    local jar="$REPO_DIR/target/selfhosted-gateway.jar"
    if [ ! -f "$jar" ] && [ "$ROLE" = home ]; then
        log "compiling target/selfhosted-gateway.jar in a JDK container (a few minutes)"
        build_image "selfhosted-gateway/jdk-build:$TAG" - <<'JDK'
FROM debian:trixie-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-21-jdk-headless maven ca-certificates && rm -rf /var/lib/apt/lists/*
JDK
        docker run --rm -v "$REPO_DIR:/src" -w /src "selfhosted-gateway/jdk-build:$TAG" \
            mvn -B -q -DskipTests package >&2 || die "compiling the jar failed"
        docker image rm "selfhosted-gateway/jdk-build:$TAG" >/dev/null
    fi
    if [ -f "$jar" ]; then
        build_image "selfhosted-gateway/home-agent:$TAG" -f "$REPO_DIR/images/home-agent/Dockerfile" "$REPO_DIR"
    else
        log "target/selfhosted-gateway.jar not found: skipping the home-agent image (run mvn package first)"
    fi
}

# Every link adds about 40 processes and threads to the host (wireguard-go, containerd's shim, Docker's proxy for its
# UDP port). Where no init system raised it, kernel.pid_max is 32768, which stops a gateway near 800 links with
# "fork: resource temporarily unavailable" everywhere on the host. systemd sets 4194304 on 64-bit hosts; so does this,
# and a gateway host keeps it in /etc/sysctl.d. README, "How many links one host runs".
ensure_process_limit() {
    local want=4194304 now
    now="$(cat /proc/sys/kernel/pid_max)"
    [ "$now" -lt "$want" ] || return 0
    if sysctl -q -w "kernel.pid_max=$want" >/dev/null 2>&1; then
        log "raised kernel.pid_max from $now to $want"
        if [ "$ROLE" = gateway ] && [ -d /etc/sysctl.d ]; then
            echo "kernel.pid_max = $want" >/etc/sysctl.d/60-selfhosted-gateway.conf
        fi
    else
        log "warning: kernel.pid_max is $now and cannot be raised here: this host runs about $(( now / 40 - 20 )) links"
    fi
}

main() {
    case "$ROLE" in
        tests|gateway|home) ;;
        *) die "usage: $0 [gateway|home] (no argument: everything the tests need)" ;;
    esac
    ensure_host_tools
    [ "$ROLE" = home ] || ensure_process_limit
    ensure_docker
    ensure_base_image
    if [ "${SG_SKIP_BUILD:-0}" = 1 ]; then
        log "SG_SKIP_BUILD=1: not building project images"
        return
    fi
    # The two link images share images/lib: their context is images/.
    if [ "$ROLE" != home ]; then
        build_image "selfhosted-gateway/gateway-link:$TAG" -f "$REPO_DIR/images/gateway-link/Dockerfile" "$REPO_DIR/images"
        build_image "selfhosted-gateway/gateway-nginx:$TAG" "$REPO_DIR/images/gateway-nginx"
    fi
    if [ "$ROLE" != gateway ]; then
        build_image "selfhosted-gateway/client-link:$TAG" -f "$REPO_DIR/images/client-link/Dockerfile" "$REPO_DIR/images"
    fi
    if [ "$ROLE" = tests ]; then
        build_image "selfhosted-gateway/test-pebble:$TAG" "$REPO_DIR/images/test-pebble"
        build_image "selfhosted-gateway/test-demo:$TAG" "$REPO_DIR/images/test-demo"
    fi
    if [ "$ROLE" != home ]; then
        build_control_plane_image
    fi
    if [ "$ROLE" != gateway ]; then
        build_home_agent_image
    fi
    log "done"
}

main
