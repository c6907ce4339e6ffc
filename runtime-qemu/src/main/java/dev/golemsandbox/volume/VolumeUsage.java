package dev.golemsandbox.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The disk a directory tree really takes: allocated blocks, so a sparse file costs what it
 * stores and a guest cannot hide bytes from the quota behind holes. Links are not followed;
 * entries that vanish while it walks are not counted.
 */
public final class VolumeUsage {

    private VolumeUsage() {
    }

    /** Bytes allocated under {@code dir} (0 if it does not exist). */
    public static long bytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) {
                total[0] += allocated(path);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
                total[0] += allocated(path);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static long allocated(Path path) {
        try {
            return LinuxCalls.lstat(path.toString()).allocated();
        } catch (LinuxCalls.Errno e) {
            return 0;
        }
    }
}
