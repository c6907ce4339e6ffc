package dev.golemsandbox.testing;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiTrailer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Small GVMI images for tests, made the way the image tooling makes them: a busybox root file
 * system (every applet linked in /bin, a uid-1000 user in /etc/passwd), squashed by the real
 * {@code mksquashfs}, with a GVMI trailer holding the container config.
 *
 * <pre>{@code
 * Path gvmi = TestImages.busybox(tempDir, TestImages.standardConfig());
 * }</pre>
 */
public final class TestImages {

    private TestImages() {
    }

    /**
     * WorkingDir /work, an Env with PATH and GREETING=hello, User "user" (uid 1000, a name the
     * guest resolves through /etc/passwd), and volumes /golem/input and /golem/output.
     */
    public static ContainerConfig standardConfig() {
        return ContainerConfig.empty()
                .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello"))
                .withWorkingDir("/work")
                .withUser("user")
                .withVolumes(List.of("/golem/input", "/golem/output"));
    }

    /** A busybox image with {@code config}, written as {@code dir/busybox.gvmi}. */
    public static Path busybox(Path dir, ContainerConfig config) throws IOException {
        return busybox(dir, config, Map.of());
    }

    /** The same, with extra files ({@code path in image -> content}) in the root file system. */
    public static Path busybox(Path dir, ContainerConfig config, Map<String, String> extraFiles) throws IOException {
        Path root = dir.resolve("rootfs");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(busyboxBinary(), bin.resolve("busybox"));
        for (String applet : applets()) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nuser:x:1000:\n");
        for (String empty : List.of("proc", "sys", "dev", "tmp", "root", "home/user", "work")) {
            Files.createDirectories(root.resolve(empty));
        }
        Files.setPosixFilePermissions(root.resolve("work"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        for (Map.Entry<String, String> file : extraFiles.entrySet()) {
            Path target = root.resolve(file.getKey().replaceAll("^/+", ""));
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
        Path gvmi = dir.resolve("busybox.gvmi");
        run(List.of("mksquashfs", root.toString(), gvmi.toString(), "-noappend", "-quiet", "-no-progress", "-all-root"));
        GvmiTrailer.appendTo(gvmi, config);
        return gvmi;
    }

    private static Path busyboxBinary() throws IOException {
        for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IOException("busybox is not installed (apt-get install busybox-static)");
    }

    private static List<String> applets() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of(busyboxBinary().toString(), "--list")).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
