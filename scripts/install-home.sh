#!/usr/bin/env bash
# Prepares a home server (amd64 or arm64, e.g. a Raspberry Pi) for links: the Docker engine and compose if
# missing, and the selfhosted-gateway/client-link image, built here from Debian's packages for this machine's
# architecture, with the home agent's image (README, "Publish from Docker labels"). Nothing else: no test tools, no
# browser, no gateway images. Safe to run again.
#   scripts/install-home.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prepare-docker.sh home
image="selfhosted-gateway/client-link:${SG_IMAGE_TAG:-latest}"
platform="$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$image")"
printf '[install-home] ready (%s): paste a link'\''s compose snippet under services: in your compose file,\n' \
    "$platform" >&2
printf '[install-home] then run: docker-compose up -d\n' >&2
