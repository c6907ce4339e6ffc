package dev.golemsandbox.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An image archive unpacked into a directory (an OCI layout as skopeo or buildah write it). The
 * paths come from the image's own JSON, so each is walked name by name without following any
 * symlink: a link anywhere on the way (not only at the end) makes the file missing, and nothing
 * outside the directory is ever opened.
 */
final class DirectoryImageArchive implements ImageArchive {

    private final Path dir;

    DirectoryImageArchive(Path dir) {
        this.dir = dir;
    }

    /** True also for a file that is there but refused (a symlink), so that opening it says why. */
    @Override
    public boolean contains(String path) {
        try {
            String problem = problem(path);
            return problem == null || !problem.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long size(String path) throws ImageConversionException, IOException {
        return Files.readAttributes(require(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    }

    @Override
    public InputStream open(String path) throws ImageConversionException, IOException {
        // O_NOFOLLOW: the file checked is the file opened, even if it was swapped for a link since.
        return Files.newInputStream(require(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Path location() {
        return dir;
    }

    @Override
    public void close() {
    }

    private Path require(String path) throws ImageConversionException, IOException {
        String problem = problem(path);
        if (problem == null) {
            return dir.resolve(path);
        }
        if (problem.isEmpty()) {
            throw missing(path);
        }
        throw new ImageConversionException(dir + ": refused to read '" + EntryPath.printable(path) + "': " + problem);
    }

    /**
     * Why {@code path} is not a regular file reached through real directories of the archive: null
     * when it is, "" when it is simply missing, else what is wrong with it.
     */
    private String problem(String path) throws IOException {
        if (path.isEmpty() || path.startsWith("/")) {
            return "";
        }
        String[] names = path.split("/", -1);
        Path current = dir;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return "";
            }
            BasicFileAttributes attributes;
            try {
                current = current.resolve(name);
                attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | InvalidPathException e) {
                return "";
            }
            if (attributes.isSymbolicLink()) {
                return dir.relativize(current) + " is a symlink, and the files of an image layout are read only where they are";
            }
            boolean last = i == names.length - 1;
            if (last ? !attributes.isRegularFile() : !attributes.isDirectory()) {
                return "";
            }
        }
        return null;
    }
}
