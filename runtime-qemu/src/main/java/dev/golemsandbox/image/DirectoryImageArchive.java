package dev.golemsandbox.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** An image archive unpacked into a directory (an OCI layout as skopeo or buildah write it). */
final class DirectoryImageArchive implements ImageArchive {

    private final Path dir;

    DirectoryImageArchive(Path dir) {
        this.dir = dir;
    }

    @Override
    public boolean contains(String path) {
        return resolve(path) != null;
    }

    @Override
    public long size(String path) throws ImageConversionException, IOException {
        return Files.size(require(path));
    }

    @Override
    public InputStream open(String path) throws ImageConversionException, IOException {
        return Files.newInputStream(require(path));
    }

    @Override
    public Path location() {
        return dir;
    }

    @Override
    public void close() {
    }

    private Path require(String path) throws ImageConversionException {
        Path file = resolve(path);
        if (file == null) {
            throw missing(path);
        }
        return file;
    }

    /** The regular file at {@code path}, if it is one and stays inside the directory. */
    private Path resolve(String path) {
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return file;
    }
}
