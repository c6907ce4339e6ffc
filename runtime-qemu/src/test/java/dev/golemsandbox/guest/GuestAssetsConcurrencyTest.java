package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.home.SandboxHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes that start at once on a fresh data directory (two {@code golem-sandbox run} in
 * two terminals) must both get working guest assets, built once, with nothing half-written left.
 * Debian's kernel keeps it quick: the lock is the same for the sandbox's own, which takes minutes.
 */
class GuestAssetsConcurrencyTest {

    @TempDir
    Path home;

    /** What each child process runs: prepare the assets of the data directory in args[0], print them. */
    public static void main(String[] args) throws IOException {
        GuestAssets assets = GuestAssets.prepare(new SandboxHome(Path.of(args[0])),
                Map.of(GuestAssets.GUEST_KERNEL_ENV, "debian"), line -> System.out.println("progress: " + line));
        System.out.println("kernel: " + assets.kernel() + " " + Files.size(assets.kernel()));
        System.out.println("initramfs: " + assets.initramfs() + " " + Files.size(assets.initramfs()));
    }

    @Test
    void twoProcessesPreparingAFreshDataDirectoryBuildItOnceAndBothUseIt() throws Exception {
        List<Process> children = List.of(child(), child());
        String first = output(children.get(0));
        String second = output(children.get(1));

        assertThat(lines(first, "kernel: ")).isEqualTo(lines(second, "kernel: "));
        assertThat(lines(first, "initramfs: ")).isEqualTo(lines(second, "initramfs: "));
        assertThat(lines(first + second, "progress: downloading")).as("kernel downloads").hasSize(1);
        try (Stream<Path> left = Files.list(home.resolve("guest"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".build-"));
        }
    }

    private Process child() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), getClass().getName(), home.toString())
                .redirectErrorStream(true).start();
    }

    private static String output(Process child) throws Exception {
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        return out;
    }

    private static List<String> lines(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
