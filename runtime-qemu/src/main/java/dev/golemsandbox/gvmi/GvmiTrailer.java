package dev.golemsandbox.gvmi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The metadata block at the end of a GVMI file:
 * {@code [CRC32 of the JSON, u32 LE][JSON][JSON length, 8 ASCII decimal digits]}.
 * The bytes are those gvmkit-build writes for the same config.
 */
public final class GvmiTrailer {

    /** Bytes of the length field. */
    public static final int LENGTH_FIELD_BYTES = 8;
    /** Bytes of the CRC field. */
    public static final int CRC_BYTES = 4;
    /** The largest JSON the 8-digit length field can describe. */
    public static final int MAX_JSON_BYTES = 99_999_999;

    private GvmiTrailer() {
    }

    /** The trailer bytes for a config. */
    public static byte[] encode(ContainerConfig config) {
        byte[] json = config.toJson().getBytes(StandardCharsets.UTF_8);
        if (json.length > MAX_JSON_BYTES) {
            throw new IllegalArgumentException("container config of " + json.length + " bytes does not fit a GVMI trailer");
        }
        ByteBuffer trailer = ByteBuffer.allocate(CRC_BYTES + json.length + LENGTH_FIELD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc32(json));
        trailer.put(json);
        trailer.put(String.format("%08d", json.length).getBytes(StandardCharsets.US_ASCII));
        return trailer.array();
    }

    /**
     * Appends the trailer for {@code config} to a squashfs file, making it a GVMI file. Not synced
     * to disk: callers that need durability commit the file with {@code AtomicFile.commit}.
     */
    public static void appendTo(Path squashfs, ContainerConfig config) throws IOException {
        try (FileChannel out = FileChannel.open(squashfs, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(encode(config));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
    }

    static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
