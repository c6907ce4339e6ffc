package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.StandIn;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images downloaded by deploy, kept by hash as a provider keeps them. An {@code http(s)} task
 * package lands in the deploy cache ({@code SandboxHome.deployCache()}); a {@code gftp://} one,
 * an image the requestor serves from its own disk, is fetched over the GSB gftp service and kept
 * in the image store, where {@code image ls} shows it. A download goes to a temp file, is checked
 * against the task package's hash and only then renamed into place; a cached file is checked once
 * per run of the sandbox before it is used. Thread-safe: concurrent deploys of one image download
 * it once.
 */
public final class ImageCache {

    /** The largest image a deploy downloads (the registry's default push cap): a server that never ends its body fills no disk. */
    static final long MAX_IMAGE_BYTES = 16L << 30;

    /** The same limit for an image a requestor serves over gftp. */
    static final long MAX_GFTP_IMAGE_BYTES = MAX_IMAGE_BYTES;

    /** How {@code image ls} says where an image served by a requestor came from. */
    public static final String GFTP_ORIGIN = "served by a requestor over gftp";

    private static final int SHA3_224_HEX = 56;

    private final Path dir;
    private final LoopbackHttp http;
    private final GftpClient gftp;
    private final ImageStore store;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param dir   the deploy cache
     * @param gftp  how to fetch a file the requestor serves
     * @param store where images fetched over gftp are kept, or null to keep them in {@code dir}
     */
    public ImageCache(Path dir, LoopbackHttp http, GftpClient gftp, ImageStore store) {
        this.dir = dir;
        this.http = http;
        this.gftp = gftp;
        this.store = store;
    }

    /**
     * The image file of {@code taskPackage}, downloaded if it is not cached yet.
     *
     * @throws IOException for a refused or failed download, or a file whose hash is not the one asked for
     */
    public DeployImage fetch(TaskPackage taskPackage) throws IOException, InterruptedException {
        String hash = taskPackage.hash();
        synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
            if (isGftp(taskPackage)) {
                return DeployImage.exactly(fetchFromRequestor(taskPackage));
            }
            return fetchOverHttp(taskPackage);
        }
    }

    private static boolean isGftp(TaskPackage taskPackage) {
        return "gftp".equalsIgnoreCase(taskPackage.url().getScheme());
    }

    private DeployImage fetchOverHttp(TaskPackage taskPackage) throws IOException, InterruptedException {
        String hash = taskPackage.hash();
        Path target = dir.resolve(hash + ".gvmi");
        if (cached(target, hash)) {
            return DeployImage.exactly(target);
        }
        Path temp = AtomicFile.tempBeside(target);
        try {
            MessageDigest digest = Sha3.forHexLength(hash.length());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                http.download(taskPackage.url(), out, digest, MAX_IMAGE_BYTES);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            Optional<DeployImage> standIn = hashStandIn(hash, actual);
            if (standIn.isPresent()) {
                return standIn.get();
            }
            requireHash(taskPackage, actual, digest.getAlgorithm(), "served a file");
            AtomicFile.commit(temp, target);
            verified.add(hash);
            return DeployImage.exactly(target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A public image hash the sandbox stands in for (the Golem docs' Node.js image) is the one
     * case where a file with another hash is deployed: the stand-in's own, and nothing else.
     */
    private Optional<DeployImage> hashStandIn(String asked, String actual) throws IOException {
        if (store == null || asked.length() != SHA3_224_HEX || asked.equals(actual)
                || store.standIns().forHash(asked).isEmpty()) {
            return Optional.empty();
        }
        ImageResolution resolution;
        try {
            resolution = store.resolve(asked);
        } catch (ImageStoreException e) {
            return Optional.empty();
        }
        if (!resolution.image().sha3().equals(actual) || resolution.standIn().isEmpty()) {
            return Optional.empty();
        }
        StandIn standIn = resolution.standIn().get();
        return Optional.of(new DeployImage(resolution.image().file(), Optional.of("the task package names the public image "
                + asked + ", which the offline sandbox does not have; deployed its stand-in " + standIn.target()
                + " (sha3 " + actual + ") instead: " + standIn.holds())));
    }

    /**
     * golem-js serves {@code imageUrl: "file://..."} itself and names it by its SHA3-224, so the
     * image store can keep it under that hash for the next activity.
     */
    private Path fetchFromRequestor(TaskPackage taskPackage) throws IOException, InterruptedException {
        String hash = taskPackage.hash();
        TransferUrl url;
        try {
            url = TransferUrl.parse(taskPackage.url().toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("golem.srv.comp.task_package's download URL " + e.getMessage());
        }
        boolean intoStore = store != null && hash.length() == SHA3_224_HEX;
        if (intoStore) {
            Optional<StoredImage> stored = store.byHash(hash);
            if (stored.isPresent()) {
                return stored.get().file();
            }
        } else {
            Path target = dir.resolve(hash + ".gvmi");
            if (cached(target, hash)) {
                return target;
            }
        }
        Path temp = intoStore ? store.newIncomingFile() : AtomicFile.tempBeside(dir.resolve(hash + ".gvmi"));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                gftp.fetch(url, out, MAX_GFTP_IMAGE_BYTES);
            }
            MessageDigest digest = Sha3.forHexLength(hash.length());
            String actual;
            try (InputStream in = Files.newInputStream(temp)) {
                actual = Sha3.hex(digest.getAlgorithm(), in);
            }
            requireHash(taskPackage, actual, digest.getAlgorithm(), "served over gftp a file");
            if (!intoStore) {
                Path target = dir.resolve(hash + ".gvmi");
                AtomicFile.commit(temp, target);
                verified.add(hash);
                return target;
            }
            try {
                return store.putMoving(temp, hash, GFTP_ORIGIN).file();
            } catch (ImageStoreException e) {
                throw new IOException("the requestor's image at " + url.text() + " was refused: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private boolean cached(Path target, String hash) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        if (verified.contains(hash) || hashOf(target, hash.length()).equals(hash)) {
            verified.add(hash);
            return true;
        }
        Files.delete(target);
        return false;
    }

    private static void requireHash(TaskPackage taskPackage, String actual, String algorithm, String what)
            throws IOException {
        if (!actual.equals(taskPackage.hash())) {
            throw new IOException("image hash mismatch: golem.srv.comp.task_package asks for sha3 " + taskPackage.hash()
                    + " but " + taskPackage.url() + " " + what + " whose " + algorithm + " is " + actual);
        }
    }

    private static String hashOf(Path file, int hexLength) throws IOException {
        MessageDigest digest = Sha3.forHexLength(hexLength);
        try (InputStream in = Files.newInputStream(file)) {
            return Sha3.hex(digest.getAlgorithm(), in);
        }
    }
}
