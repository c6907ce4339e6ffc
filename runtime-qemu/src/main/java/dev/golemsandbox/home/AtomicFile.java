package dev.golemsandbox.home;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that readers never see half done: data goes to a temp file beside the target, is
 * fsynced, then renamed over the target in one step.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = tempBeside(target);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new empty temp file in the target's directory (so the final rename stays on one file system). */
    public static Path tempBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    }

    /** fsyncs a finished temp file and renames it over {@code target}. */
    public static void commit(Path finishedTemp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(finishedTemp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(finishedTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finishedTemp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to open a directory for sync; the rename is still atomic.
        }
    }
}
