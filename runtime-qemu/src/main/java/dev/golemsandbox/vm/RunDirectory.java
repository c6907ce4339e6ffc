package dev.golemsandbox.vm;

import dev.golemsandbox.home.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The short-lived directory of one VM in the temp dir: the agent socket until QEMU connects, the
 * boot files until the guest runs. Unix socket paths are short (108 bytes), hence the temp dir
 * rather than the data dir. Its name carries the owning JVM's pid, so that directories a JVM
 * killed with SIGKILL could not clean up are removed when the next one is created.
 *
 * <pre>{@code
 * Path dir = RunDirectory.create();
 * ...
 * RunDirectory.delete(dir);
 * }</pre>
 */
final class RunDirectory {

    private static final String PREFIX = "golem-vm-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");

    private RunDirectory() {
    }

    /** A new directory, after removing those of JVMs that are gone. */
    static Path create() throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        removeAbandoned(temp);
        return Files.createTempDirectory(temp, PREFIX + ProcessHandle.current().pid() + "-");
    }

    /** Deletes {@code dir} and what is left in it; best effort (a leftover is swept later). */
    static void delete(Path dir) {
        FileTrees.deleteQuietly(dir);
    }

    private static void removeAbandoned(Path temp) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && !ownerAlive(name.group(1))) {
                    delete(entry);
                }
            }
        } catch (IOException e) {
            // An unreadable temp dir only means nothing is swept this time.
        }
    }

    private static boolean ownerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
