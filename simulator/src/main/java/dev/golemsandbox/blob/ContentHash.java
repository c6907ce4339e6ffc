package dev.golemsandbox.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What a file's content is, in short: its SHA-256 (64 lowercase hex characters) and its size.
 *
 * <pre>{@code
 * ContentHash hash = ContentHash.of(Path.of("result.bin"));
 * }</pre>
 */
public record ContentHash(String sha256, long size) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ContentHash {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256 (64 lowercase hex characters): " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + size);
        }
    }

    /** Whether {@code text} is a SHA-256 as this class writes it, and so a safe blob file name. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    /** Hashes a file of the sandbox's own (a link is refused, not followed). */
    public static ContentHash of(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return of(in);
        }
    }

    /** Hashes a stream to its end. */
    public static ContentHash of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            digest.update(buffer, 0, read);
            size += read;
        }
        return new ContentHash(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** A new SHA-256 digest. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code 1f3a9c0e77b2... (1048576 bytes)}. */
    public String describe() {
        return sha256.substring(0, 12) + "... (" + size + " bytes)";
    }
}
