package dev.golemsandbox.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image archive in one uncompressed tar file ({@code docker save -o image.tar}, an OCI layout
 * tarball). Only the headers are read up front; each file is streamed from its place in the tar.
 */
final class TarImageArchive implements ImageArchive {

    private final Path file;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> files = new LinkedHashMap<>();

    private TarImageArchive(Path file, TarFile tar) {
        this.file = file;
        this.tar = tar;
        for (TarArchiveEntry entry : tar.getEntries()) {
            if (entry.isFile()) {
                files.put(normalize(entry.getName()), entry);
            }
        }
    }

    static TarImageArchive open(Path file) throws ImageConversionException, IOException {
        byte[] head;
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            throw new ImageConversionException(file + " is gzip-compressed; unpack it first (gunzip -k " + file.getFileName() + ")");
        }
        TarFile tar;
        try {
            tar = new TarFile(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageConversionException(file + " is neither a directory nor a tar archive of an image ("
                    + e.getMessage() + ")");
        }
        return new TarImageArchive(file, tar);
    }

    @Override
    public boolean contains(String path) {
        return files.containsKey(normalize(path));
    }

    @Override
    public long size(String path) throws ImageConversionException {
        return require(path).getSize();
    }

    @Override
    public InputStream open(String path) throws ImageConversionException, IOException {
        return tar.getInputStream(require(path));
    }

    @Override
    public Path location() {
        return file;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private TarArchiveEntry require(String path) throws ImageConversionException {
        TarArchiveEntry entry = files.get(normalize(path));
        if (entry == null) {
            throw missing(path);
        }
        return entry;
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n;
    }
}
