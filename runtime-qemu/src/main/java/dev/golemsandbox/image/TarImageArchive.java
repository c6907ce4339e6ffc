package dev.golemsandbox.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image archive in one uncompressed tar file ({@code docker save -o image.tar}, an OCI layout
 * tarball). Only the headers are read up front, at most {@link #MAX_HEADER_BYTES} of them (the
 * tar reader keeps them in memory); each file is streamed from its place in the tar.
 */
final class TarImageArchive implements ImageArchive {

    /** Header bytes of the whole archive: tens of thousands of entries, far more than any image has. */
    static final long MAX_HEADER_BYTES = 16L << 20;

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
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            throw new ImageConversionException(file + " is gzip-compressed; unpack it first (gunzip -k " + file.getFileName() + ")");
        }
        HeaderBoundedChannel channel = new HeaderBoundedChannel(Files.newByteChannel(file, StandardOpenOption.READ));
        TarFile tar;
        try {
            tar = new TarFile(channel);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            channel.close();
            throw new ImageConversionException(file + " is neither a directory nor a tar archive of an image ("
                    + e.getMessage() + ")");
        }
        channel.headersRead();
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

    /** The archive's channel, refusing to read more than {@link #MAX_HEADER_BYTES} until the headers are listed. */
    private static final class HeaderBoundedChannel implements SeekableByteChannel {

        private final SeekableByteChannel channel;
        private boolean listing = true;
        private long read;

        HeaderBoundedChannel(SeekableByteChannel channel) {
            this.channel = channel;
        }

        void headersRead() {
            listing = false;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            int n = channel.read(destination);
            if (listing && n > 0 && (read += n) > MAX_HEADER_BYTES) {
                throw new IOException("its tar headers take more than " + ExtractionBudget.bytes(MAX_HEADER_BYTES)
                        + ", which no image archive needs");
            }
            return n;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
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
