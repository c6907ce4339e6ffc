package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.home.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images downloaded by deploy, kept by hash as a provider keeps them
 * ({@code SandboxHome.deployCache()}). A download goes to a temp file, is checked against the
 * task package's hash and only then renamed into place; a cached file is checked once per run of
 * the sandbox before it is used. Thread-safe: concurrent deploys of one image download it once.
 */
public final class ImageCache {

    /** The largest image a deploy downloads (the registry's default push cap): a server that never ends its body fills no disk. */
    static final long MAX_IMAGE_BYTES = 16L << 30;

    private final Path dir;
    private final LoopbackHttp http;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public ImageCache(Path dir, LoopbackHttp http) {
        this.dir = dir;
        this.http = http;
    }

    /**
     * The image file of {@code taskPackage}, downloaded if it is not cached yet.
     *
     * @throws IOException for a refused or failed download, or a file whose hash is not the one asked for
     */
    public Path fetch(TaskPackage taskPackage) throws IOException, InterruptedException {
        String hash = taskPackage.hash();
        Path target = dir.resolve(hash + ".gvmi");
        synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
            if (Files.isRegularFile(target)) {
                if (verified.contains(hash) || hashOf(target, hash.length()).equals(hash)) {
                    verified.add(hash);
                    return target;
                }
                Files.delete(target);
            }
            Path temp = AtomicFile.tempBeside(target);
            try {
                MessageDigest digest = Sha3.forHexLength(hash.length());
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    http.download(taskPackage.url(), out, digest, MAX_IMAGE_BYTES);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(hash)) {
                    throw new IOException("image hash mismatch: golem.srv.comp.task_package asks for sha3 " + hash
                            + " but " + taskPackage.url() + " served a file whose " + digest.getAlgorithm()
                            + " is " + actual);
                }
                AtomicFile.commit(temp, target);
                verified.add(hash);
                return target;
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static String hashOf(Path file, int hexLength) throws IOException {
        MessageDigest digest = Sha3.forHexLength(hexLength);
        try (InputStream in = Files.newInputStream(file)) {
            return Sha3.hex(digest.getAlgorithm(), in);
        }
    }
}
