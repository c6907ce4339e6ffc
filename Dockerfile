# The golem-sandbox image: the CLI jar on a Debian base with a JRE, QEMU and squashfs-tools, with
# the guest kernel and the default image prepared at build time so a container starts offline.
#
#   ./mvnw -pl simulator -am package -DskipTests
#   docker build -t golem-sandbox:dev .
#   docker build --build-arg BASE=golem-sandbox-base:bookworm -t golem-sandbox:dev .   # base imported locally
ARG BASE=debian:bookworm-slim
FROM ${BASE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless qemu-system-x86 squashfs-tools busybox-static util-linux ca-certificates \
 && rm -rf /var/cache/apt/archives/*.deb

COPY simulator/target/simulator-*-cli.jar /opt/golem-sandbox/golem-sandbox.jar
COPY .ci/container-launcher /usr/local/bin/golem-sandbox

ENV GOLEM_SANDBOX_HOME=/var/lib/golem-sandbox
# Fetch the guest kernel (apt) and build the default image now, while the build has network.
RUN golem-sandbox prepare && rm -rf /var/lib/apt/lists/*

VOLUME /var/lib/golem-sandbox
EXPOSE 7465
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=60 \
  CMD busybox wget -q -O /dev/null http://127.0.0.1:7465/_sandbox/ready || exit 1
ENTRYPOINT ["golem-sandbox"]
CMD ["up", "--host", "0.0.0.0"]
