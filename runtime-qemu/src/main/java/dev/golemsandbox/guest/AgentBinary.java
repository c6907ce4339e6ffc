package dev.golemsandbox.guest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The guest agent: a static binary compiled from {@code src/main/c} by the build and shipped in
 * this jar. Its version is a digest of its bytes, so cached initramfs images follow every change.
 */
public record AgentBinary(byte[] bytes, String version) {

    private static final String RESOURCE = "golem-agent";

    /** The agent shipped with this build. */
    public static AgentBinary bundled() throws IOException {
        try (InputStream in = AgentBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the guest agent binary is missing from the build (resource "
                        + AgentBinary.class.getPackageName().replace('.', '/') + "/" + RESOURCE
                        + "); rebuild with './mvnw package' on a machine with gcc and libc6-dev");
            }
            byte[] bytes = in.readAllBytes();
            return new AgentBinary(bytes, digest(bytes).substring(0, 12));
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
