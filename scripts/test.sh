#!/usr/bin/env bash
# Runs every test, on a fresh machine as on a developer's: prepares Docker, the base image, the
# project's images and the host tools (scripts/prepare-docker.sh), then the Maven build with its tests.
# Extra arguments go to Maven, e.g. scripts/test.sh -Dtest=DataPlaneEndToEndTests
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prepare-docker.sh

# This engine cannot pull Testcontainers' helper images (no registry), and /.dockerenv would make
# Testcontainers look for the host through one: use the local socket and localhost directly.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost

./mvnw -B verify "$@"
