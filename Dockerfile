# The golem-sandbox image: the CLI jar on Debian with a JRE, QEMU and squashfs-tools. The guest
# kernel and the default image are prepared at build time, so a container starts offline.
#
#   ./mvnw -B -DskipTests -pl simulator -am package
#   docker build -t golem-sandbox:0.1.0 .
#   docker build --build-arg BASE=golem-sandbox-base:bookworm -t golem-sandbox:0.1.0 .   # base imported locally (.ci/docker-base-image)
#   docker run --rm -p 127.0.0.1:7465:7465 golem-sandbox:0.1.0
#
# Any Debian bookworm (amd64) base with apt sources works: the guest kernel is Debian's, fetched with apt.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

# No manuals, translations or docs beyond the copyright files: they are most of a JRE's and QEMU's
# weight in packages and nobody reads them in a container. (The JRE's postinst wants man1 to exist.)
# xz-utils unpacks the guest kernel; zstd reads zstd-compressed layers when converting images.
RUN printf '%s\n' \
      'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
      'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
      >/etc/dpkg/dpkg.cfg.d/golem-sandbox-nodoc \
 && mkdir -p /usr/share/man/man1 \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      openjdk-17-jre-headless qemu-system-x86 squashfs-tools busybox-static util-linux xz-utils zstd \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb

COPY .ci/container-launcher /usr/local/bin/golem-sandbox
COPY simulator/target/simulator-*-cli.jar /opt/golem-sandbox/golem-sandbox.jar

# The container boots Debian's generic kernel: compiling the sandbox's leaner one would put a
# compiler and five minutes into every image build.
ENV GOLEM_SANDBOX_HOME=/var/lib/golem-sandbox \
    GOLEM_SANDBOX_HOST=0.0.0.0 \
    GOLEM_SANDBOX_GUEST_KERNEL=debian
# The sandbox runs as a user of its own: what runs in a VM is untrusted, and QEMU is its boundary.
# /dev/kvm, when passed through, is usable once the container joins its group (--group-add).
RUN useradd --system --user-group --uid 7465 --home-dir /var/lib/golem-sandbox --shell /usr/sbin/nologin golem-sandbox \
 && install -d -o golem-sandbox -g golem-sandbox -m 0700 /var/lib/golem-sandbox
# The guest kernel (apt-get download, which needs the lists root fetches) and the default image,
# while the build has a network. TCG is forced so no accelerator verdict is cached here: the
# container probes /dev/kvm when it starts.
RUN apt-get update -q
USER golem-sandbox
RUN cd /tmp && GOLEM_SANDBOX_ACCEL=tcg golem-sandbox prepare
USER root
RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /tmp/*
USER golem-sandbox

VOLUME /var/lib/golem-sandbox
EXPOSE 7465
HEALTHCHECK --interval=5s --timeout=3s --start-period=5m --retries=3 \
  CMD ["busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:7465/_sandbox/ready"]
ENTRYPOINT ["golem-sandbox"]
CMD ["up"]
