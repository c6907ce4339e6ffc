package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive our initramfs is written as, read back by the system's own cpio. */
class CpioArchiveTest {

    @TempDir
    Path temp;

    @Test
    void cpioListsAndExtractsWhatWasWritten() throws Exception {
        Path archive = temp.resolve("test.cpio");
        try (CpioArchive cpio = new CpioArchive(Files.newOutputStream(archive))) {
            cpio.directory("bin", 0755);
            cpio.file("bin/tool", 0755, "#!/bin/sh\necho odd-length\n".getBytes(StandardCharsets.UTF_8));
            cpio.symlink("bin/alias", "tool");
            cpio.file("data", 0644, new byte[] {1, 2, 3});
        }
        Path out = Files.createDirectories(temp.resolve("out"));
        Process extract = new ProcessBuilder("cpio", "-idm", "--quiet", "-F", archive.toString())
                .directory(out.toFile()).redirectErrorStream(true).start();
        String messages = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(extract.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(extract.exitValue()).as(messages).isZero();
        assertThat(Files.readString(out.resolve("bin/tool"))).isEqualTo("#!/bin/sh\necho odd-length\n");
        assertThat(Files.isExecutable(out.resolve("bin/tool"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("bin/alias"))).isEqualTo(Path.of("tool"));
        assertThat(Files.readAllBytes(out.resolve("data"))).containsExactly(1, 2, 3);
    }
}
