package dev.golemsandbox.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which process listens on a TCP port, read from Linux's {@code /proc}: the listening socket's
 * inode from {@code /proc/net/tcp{,6}}, then the process holding a descriptor to it. Processes of
 * other users cannot be looked into without privileges; then nothing is found.
 */
final class PortHolder {

    private static final String LISTEN = "0A";

    private PortHolder() {
    }

    /** "pid 1234 (java -jar golem-sandbox.jar up)", if the holder can be found. */
    static Optional<String> describe(int port) {
        Optional<String> inode = listeningInode(port);
        if (inode.isEmpty()) {
            return Optional.empty();
        }
        String target = "socket:[" + inode.get() + "]";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holds(process, target)) {
                    return Optional.of("pid " + process.getFileName() + " (" + commandLine(process) + ")");
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> listeningInode(int port) {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                        return Optional.of(fields[9]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // This table is missing or unreadable here; try the next.
            }
        }
        return Optional.empty();
    }

    private static boolean holds(Path process, String socket) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(socket)) {
                        return true;
                    }
                } catch (IOException ignored) {
                    // The descriptor closed while we looked.
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }

    private static String commandLine(Path process) {
        try {
            String raw = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return raw.length() > 120 ? raw.substring(0, 117) + "..." : raw;
        } catch (IOException e) {
            return "command unknown";
        }
    }
}
