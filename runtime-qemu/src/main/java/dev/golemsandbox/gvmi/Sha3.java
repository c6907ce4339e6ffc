package dev.golemsandbox.gvmi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA3 digests of files and streams, in hex, as image hashes and gftp checksums are written. */
public final class Sha3 {

    private static final int BUFFER_BYTES = 1 << 20;

    private Sha3() {
    }

    /** SHA3-224 of a whole file, streamed. */
    public static String hex224(Path file) throws IOException {
        MessageDigest digest = digest("SHA3-224");
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A digest by hex length of the expected hash: 56 -> SHA3-224, 64 -> 256, 96 -> 384, 128 -> 512. */
    public static MessageDigest forHexLength(int hexLength) {
        return switch (hexLength) {
            case 56 -> digest("SHA3-224");
            case 64 -> digest("SHA3-256");
            case 96 -> digest("SHA3-384");
            case 128 -> digest("SHA3-512");
            default -> throw new IllegalArgumentException("no SHA3 variant has a " + hexLength + "-character hash");
        };
    }

    /** A fresh digest by JDK name, e.g. "SHA3-256". */
    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java 17 runtime", e);
        }
    }

    /** Hex digest of everything left in a stream. */
    public static String hex(String algorithm, InputStream in) throws IOException {
        MessageDigest digest = digest(algorithm);
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
