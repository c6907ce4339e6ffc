package dev.golemsandbox.reserve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a reserved VM must match to serve an activity: the image file it booted (by path, size and
 * modification time, so a replaced file is a different image) and the provider's shape.
 *
 * @param image         the GVMI file, absolute
 * @param imageBytes    its size when the key was made
 * @param imageModified its modification time then
 * @param cpus          {@code -smp}
 * @param memoryMib     {@code -m}
 * @param storageMib    cap of the in-RAM overlay
 */
public record ReserveKey(Path image, long imageBytes, FileTime imageModified, int cpus, long memoryMib, long storageMib) {

    /** The key of {@code image} as it is on disk now. */
    public static ReserveKey of(Path image, int cpus, long memoryMib, long storageMib) throws IOException {
        Path file = image.toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new ReserveKey(file, attributes.size(), attributes.lastModifiedTime(), cpus, memoryMib, storageMib);
    }

    @Override
    public String toString() {
        return image.getFileName() + " (" + cpus + " cpu, " + memoryMib + " MiB, " + storageMib + " MiB storage)";
    }
}
