# selfhosted-gateway control plane (Spring Boot; built for Java 17, runs on Debian 13's OpenJDK 21).
# `docker build --target prebuilt .` packages an existing target/selfhosted-gateway.jar;
# a plain `docker build .` compiles it with Maven first. Stage order matters: the legacy
# builder builds every stage up to the target, so `build` must come after `prebuilt`.

FROM debian:trixie-slim AS runtime-base
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-21-jre-headless ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && install -d /app /data
# Runs as root: it drives the Docker engine through the mounted socket, which is root-equivalent anyway.
# Memory for a small VPS (README, "Memory"): the JVM would otherwise size its heap from the host's RAM (500-650 MiB
# RSS on a 24 GiB host). About 45 MiB of the heap is live with 1,000 links; the rest of the footprint is the
# frameworks' class metadata and compiled code, which C1 alone keeps small. GATEWAY_JAVA_OPTIONS (JDK_JAVA_OPTIONS)
# come after these, so any of them can be overridden. Two malloc arenas instead of one per core and thread.
ENV GATEWAY_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss256k -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=16m -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8080
LABEL io.selfhosted-gateway.component=control-plane
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health >/dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/app/selfhosted-gateway.jar"]

FROM runtime-base AS prebuilt
COPY target/selfhosted-gateway.jar /app/selfhosted-gateway.jar

FROM debian:trixie-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-21-jdk-headless maven ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not download them again.
COPY pom.xml openapi.yaml* ./
RUN mvn -B -q dependency:go-offline || true
COPY src ./src
RUN mvn -B -DskipTests package \
 && cp target/selfhosted-gateway.jar /selfhosted-gateway.jar

FROM runtime-base
COPY --from=build /selfhosted-gateway.jar /app/selfhosted-gateway.jar
