package dev.golemsandbox.gvmi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A GVMI file on disk: a squashfs image followed by a {@link GvmiTrailer}. Opening one reads only
 * the trailer and the squashfs magic; the image itself is never loaded into memory.
 *
 * <pre>{@code
 * GvmiImage image = GvmiImage.open(Path.of("app.gvmi"));
 * image.config().workingDir();   // Optional[/golem/work]
 * image.sha3();                  // 56 hex chars, computed on first call
 * }</pre>
 */
public final class GvmiImage {

    /** squashfs superblock magic, "hsqs" as stored on disk. */
    private static final int SQUASHFS_MAGIC = 0x73717368;
    private static final int MIN_TRAILER = GvmiTrailer.CRC_BYTES + GvmiTrailer.LENGTH_FIELD_BYTES;

    private final Path file;
    private final long size;
    private final long squashfsSize;
    /** squashfs compressor ids (superblock offset 20) by name. */
    private static final String[] COMPRESSORS = {"unknown", "gzip", "lzma", "lzo", "xz", "lz4", "zstd"};
    private static final int COMPRESSION_OFFSET = 20;

    private final ContainerConfig config;
    private final int compressionId;
    private volatile String sha3;

    private GvmiImage(Path file, long size, long squashfsSize, ContainerConfig config, int compressionId) {
        this.file = file;
        this.size = size;
        this.squashfsSize = squashfsSize;
        this.config = config;
        this.compressionId = compressionId;
    }

    /**
     * Reads and verifies the trailer of a GVMI file.
     *
     * @throws GvmiFormatException when the file is not an image a provider would accept
     * @throws NoSuchFileException when there is no such file
     */
    public static GvmiImage open(Path file) throws GvmiFormatException, IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < MIN_TRAILER) {
                throw new GvmiFormatException(file, "not a GVMI image: " + size
                        + " bytes is shorter than the " + MIN_TRAILER + "-byte metadata trailer");
            }
            String lengthField = new String(read(in, size - GvmiTrailer.LENGTH_FIELD_BYTES,
                    GvmiTrailer.LENGTH_FIELD_BYTES), StandardCharsets.ISO_8859_1);
            if (!lengthField.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new GvmiFormatException(file, "not a GVMI image: the last 8 bytes ("
                        + printable(lengthField) + ") are not a decimal metadata length");
            }
            long jsonLength = Long.parseLong(lengthField);
            long squashfsSize = size - MIN_TRAILER - jsonLength;
            if (squashfsSize < 0) {
                throw new GvmiFormatException(file, "not a GVMI image: metadata length " + jsonLength
                        + " runs past the start of the " + size + "-byte file");
            }
            ByteBuffer crcField = ByteBuffer.wrap(read(in, squashfsSize, GvmiTrailer.CRC_BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long storedCrc = Integer.toUnsignedLong(crcField.getInt());
            byte[] json = read(in, squashfsSize + GvmiTrailer.CRC_BYTES, (int) jsonLength);
            long actualCrc = GvmiTrailer.crc32(json);
            if (storedCrc != actualCrc) {
                throw new GvmiFormatException(file, String.format(
                        "metadata CRC mismatch (stored %08x, computed %08x): the image is corrupt and a provider would reject it",
                        storedCrc, actualCrc));
            }
            ContainerConfig config;
            try {
                config = ContainerConfig.fromJson(new String(json, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new GvmiFormatException(file, "metadata is not a valid container config: " + e.getMessage());
            }
            if (squashfsSize < COMPRESSION_OFFSET + 2) {
                throw new GvmiFormatException(file, "no squashfs image at the start of the file (magic 'hsqs' missing)");
            }
            ByteBuffer superblock = ByteBuffer.wrap(read(in, 0, COMPRESSION_OFFSET + 2)).order(ByteOrder.LITTLE_ENDIAN);
            if (superblock.getInt(0) != SQUASHFS_MAGIC) {
                throw new GvmiFormatException(file, "no squashfs image at the start of the file (magic 'hsqs' missing)");
            }
            return new GvmiImage(file, size, squashfsSize, config, Short.toUnsignedInt(superblock.getShort(COMPRESSION_OFFSET)));
        }
    }

    public Path file() {
        return file;
    }

    /** Size of the whole file in bytes. */
    public long size() {
        return size;
    }

    /** Bytes before the trailer: the squashfs part a provider mounts. */
    public long squashfsSize() {
        return squashfsSize;
    }

    public ContainerConfig config() {
        return config;
    }

    /** The squashfs compression as mksquashfs names it ("lzo", "gzip", "xz", "lz4", "zstd", ...). */
    public String squashfsCompression() {
        return compressionId > 0 && compressionId < COMPRESSORS.length ? COMPRESSORS[compressionId] : "unknown (" + compressionId + ")";
    }

    /** SHA3-224 of the whole file, hex: the image hash of {@code hash:sha3:<hash>:<url>} links. */
    public String sha3() throws IOException {
        String hash = sha3;
        if (hash == null) {
            hash = Sha3.hex224(file);
            sha3 = hash;
        }
        return hash;
    }

    private static byte[] read(FileChannel in, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + buffer.position()));
            }
        }
        return buffer.array();
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }
}
