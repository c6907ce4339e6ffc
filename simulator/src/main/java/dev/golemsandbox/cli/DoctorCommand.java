package dev.golemsandbox.cli;

import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.guest.HostCommand;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.vm.AcceleratorChoice;
import dev.golemsandbox.vm.AcceleratorProbe;
import dev.golemsandbox.vm.QemuCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code golem-sandbox doctor}: checks what the sandbox needs on this host, one line each, with
 * what to do about anything missing. Exits 0 when VMs can run, 3 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check QEMU, the accelerator, the guest assets, mksquashfs and the Docker engine.")
final class DoctorCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private boolean vmsBlocked;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        SandboxHome home = common.home();
        out.println("data directory: " + home.root());
        boolean qemu = check("QEMU", true, () -> firstLine(List.of(QemuCommand.QEMU, "--version")),
                "install it: apt-get install qemu-system-x86");
        check("setpriv", true, () -> firstLine(List.of("setpriv", "--version")),
                "install it: apt-get install util-linux (QEMU is started under setpriv --pdeathsig)");
        check("busybox-static", true, DoctorCommand::staticBusybox, "install it: apt-get install busybox-static");
        Optional<GuestAssets> assets = guestAssets(home);
        if (qemu && assets.isPresent()) {
            check("accelerator", false, () -> {
                AcceleratorChoice choice = AcceleratorProbe.choose(home, System.getenv(), assets.get(),
                        line -> out.println("      " + line));
                return choice.toString();
            }, "set " + AcceleratorProbe.ENV + "=tcg to skip the KVM probe");
        } else {
            out.println("  --  accelerator: decided at the first VM start (KVM only if a test guest boots under it, else TCG; "
                    + AcceleratorProbe.ENV + "=kvm|tcg overrides)");
        }
        check("mksquashfs", false, () -> firstLine(List.of("mksquashfs", "-version")),
                "install it: apt-get install squashfs-tools (needed to build images)");
        check("Docker engine", false, DoctorCommand::dockerPing,
                "install and start it: apt-get install docker.io && dockerd & (needed to build images from Dockerfiles)");
        out.flush();
        return vmsBlocked ? UserError.UNAVAILABLE : 0;
    }

    private interface Probe {
        String run() throws Exception;
    }

    private boolean check(String what, boolean neededForVms, Probe probe, String fix) {
        try {
            out.println("  ok  " + what + ": " + probe.run());
            return true;
        } catch (Exception e) {
            out.println("  !!  " + what + ": " + e.getMessage());
            out.println("      fix: " + fix);
            vmsBlocked |= neededForVms;
            return false;
        }
    }

    private Optional<GuestAssets> guestAssets(SandboxHome home) {
        try {
            Optional<GuestAssets> cached = GuestAssets.cached(home);
            if (cached.isPresent()) {
                out.println("  ok  guest assets: " + cached.get().version() + " in " + cached.get().kernel().getParent());
                return cached;
            }
            if (System.getenv(GuestAssets.KERNEL_ENV) != null || System.getenv(GuestAssets.INITRAMFS_ENV) != null) {
                GuestAssets custom = GuestAssets.prepare(home, System.getenv(), line -> out.println("      " + line));
                out.println("  ok  guest assets: " + custom.version() + " (" + custom.kernel() + ", " + custom.initramfs() + ")");
                return Optional.of(custom);
            }
            out.println("  --  guest assets: not built yet; " + GuestAssets.firstStartPlan(System.getenv())
                    + " ('golem-sandbox prepare' does it now)");
        } catch (IOException e) {
            out.println("  !!  guest assets: " + e.getMessage());
            out.println("      fix: run 'apt-get update' (Debian's main archive must be reachable), or set "
                    + GuestAssets.KERNEL_ENV + " and " + GuestAssets.INITRAMFS_ENV);
            vmsBlocked = true;
        }
        return Optional.empty();
    }

    private static String firstLine(List<String> command) throws IOException {
        return HostCommand.run(command, null, Duration.ofSeconds(30)).lines().findFirst().orElse("").strip();
    }

    private static String staticBusybox() throws IOException {
        for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IOException("not installed");
    }

    private static String dockerPing() throws IOException {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        if (!host.startsWith("unix://")) {
            throw new IOException("DOCKER_HOST=" + host + " is not a Unix socket; only local engines are checked");
        }
        Path socket = Path.of(host.substring("unix://".length()));
        if (!Files.exists(socket)) {
            throw new IOException("no engine socket at " + socket);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Read the whole (small) answer; HTTP/1.0 closes the connection after it.
            }
            String answer = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.") || !answer.split(" ", 3)[1].equals("200")) {
                throw new IOException("the engine at " + socket + " answered: " + answer.lines().findFirst().orElse(""));
            }
            String version = answer.replaceAll("(?s).*\"Version\":\"([^\"]+)\".*", "$1");
            return "running at " + socket + (version.length() < 40 ? ", version " + version : "");
        } catch (IOException e) {
            throw new IOException("cannot reach the engine at " + socket + ": " + e.getMessage());
        }
    }
}
