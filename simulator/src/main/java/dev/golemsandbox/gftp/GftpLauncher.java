package dev.golemsandbox.gftp;

import dev.golemsandbox.home.AtomicFile;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code gftp} command requestors find on PATH: a shell script that starts
 * {@link GftpProgram} with the Java and the class path of the sandbox that wrote it. golem-js 2.x
 * spawns {@code gftp server} for every run and waits for its first reply, so the JVM is started
 * for a quick start (C1 only, serial GC, class data sharing) rather than for throughput.
 *
 * <pre>{@code
 * Path dir = GftpLauncher.install(home.root().resolve("bin"));   // then PATH=<dir>:$PATH
 * }</pre>
 */
public final class GftpLauncher {

    private GftpLauncher() {
    }

    /** Writes {@code dir/gftp} (replacing an older one) and returns {@code dir}. */
    public static Path install(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Absolute: requestors start gftp from their own directory.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        String script = "#!/bin/sh\n"
                + "# gftp for golem-js 2.x requestors, written by golem-sandbox: moves files through the sandbox's GSB API\n"
                + "# (needs YAGNA_API_URL and YAGNA_APPKEY, as golem-js does).\n"
                + "exec " + quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xss512k -cp "
                + quote(classPath) + " " + GftpProgram.class.getName() + " \"$@\"\n";
        Files.createDirectories(dir);
        Path target = dir.resolve("gftp");
        AtomicFile.write(target, script.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** A word for sh: single-quoted, with any single quote closed, escaped and reopened. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
