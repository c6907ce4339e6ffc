package dev.golemsandbox.store;

import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.image.BusyboxRootfs;
import dev.golemsandbox.image.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local image registry's storage: GVMI files named by their SHA3-224 under
 * {@code $GOLEM_SANDBOX_HOME/images/blobs}, and tags ({@code repo:tag} to hash) in
 * {@code images/tags.json}. Files arrive through a temp file, are verified (a GVMI trailer that
 * reads back, the promised hash) and renamed into place; the tag index is changed under a lock
 * shared by threads and processes.
 *
 * <p>Public tags that requestor scripts use ({@code golem/alpine:latest}, ...) resolve to
 * {@link StandIns stand-ins}; the default image {@value #DEFAULT_IMAGE_TAG} is built from the
 * host's busybox on first use.
 *
 * <pre>{@code
 * ImageStore store = ImageStore.open(SandboxHome.fromEnvironment());
 * StoredImage image = store.put(Path.of("app.gvmi"), null);
 * store.tag("me/app:1", image.sha3());
 * ImageResolution r = store.resolve("golem/alpine:latest");   // r.standIn() is present
 * }</pre>
 *
 * <p>All methods are safe to call from several threads and processes at once.
 */
public final class ImageStore {

    /** The tag of the busybox image the sandbox builds for itself. */
    public static final String DEFAULT_IMAGE_TAG = "sandbox/busybox:latest";

    /** The first bytes of every squashfs image ("hsqs"), so of every GVMI file. */
    private static final byte[] SQUASHFS_MAGIC = {'h', 's', 'q', 's'};

    private static final Pattern FULL_HASH = Pattern.compile("[0-9a-f]{56}");
    private static final Pattern HASH_PREFIX = Pattern.compile("[0-9a-f]{6,55}");
    private static final String BLOB_SUFFIX = ".gvmi";
    /** Beside a blob, one line that says where it came from; absent for local images. */
    private static final String ORIGIN_SUFFIX = ".origin";
    private static final int MAX_ORIGIN_CHARS = 300;

    private final Path dir;
    private final Path blobs;
    private final Path incoming;
    private final TagIndex index;
    private final StandIns standIns;
    private final DefaultImage defaultImage;

    /**
     * A store in {@code dir} (created on first write) with the given stand-ins, building the
     * default image from {@link BusyboxRootfs#HOST_BUSYBOX}.
     */
    public ImageStore(Path dir, StandIns standIns) {
        this(dir, standIns, BusyboxRootfs.HOST_BUSYBOX);
    }

    /** Same, with the default image built from another static busybox binary. */
    public ImageStore(Path dir, StandIns standIns, Path busybox) {
        this.dir = dir.toAbsolutePath().normalize();
        this.blobs = this.dir.resolve("blobs");
        this.incoming = this.dir.resolve("incoming");
        this.index = new TagIndex(this.dir.resolve("tags.json"), this.dir.resolve(".lock"));
        this.standIns = standIns;
        this.defaultImage = new DefaultImage(this, busybox);
    }

    /**
     * The store of a data directory, with stand-ins from its config file and this process's
     * environment.
     *
     * @throws ImageStoreException when the stand-in config is invalid
     */
    public static ImageStore open(SandboxHome home) throws ImageStoreException, IOException {
        return new ImageStore(home.secured().images(), StandIns.load(home, System.getenv()));
    }

    public Path directory() {
        return dir;
    }

    public StandIns standIns() {
        return standIns;
    }

    /**
     * A new empty temp file inside the store, on the store's file system: write an image there,
     * then hand it to {@link #putMoving} so it needs no copy. Delete it if you do not.
     */
    public Path newIncomingFile() throws IOException {
        Files.createDirectories(incoming);
        return Files.createTempFile(incoming, ".incoming-", BLOB_SUFFIX + ".part");
    }

    /**
     * Copies a GVMI file into the store (the file itself is left alone).
     *
     * @param expectedSha3 the hash the file must have, or null
     * @throws ImageStoreException when the file is not a GVMI image or its hash differs
     */
    public StoredImage put(Path gvmi, String expectedSha3) throws ImageStoreException, IOException {
        verifyImage(gvmi, gvmi.toString());
        try (InputStream in = Files.newInputStream(gvmi)) {
            return put(in, expectedSha3);
        }
    }

    /**
     * Moves a GVMI file into the store (use files from {@link #newIncomingFile}, so the move is a
     * rename).
     *
     * @throws ImageStoreException when the file is not a GVMI image or its hash differs; the file
     *         is then left where it was
     */
    public StoredImage putMoving(Path gvmi, String expectedSha3) throws ImageStoreException, IOException {
        return putMoving(gvmi, expectedSha3, StoredImage.LOCAL_ORIGIN);
    }

    /**
     * Same, noting where the image came from (shown by {@code image ls}); an image already in the
     * store keeps the origin it had.
     */
    public StoredImage putMoving(Path gvmi, String expectedSha3, String origin) throws ImageStoreException, IOException {
        String expected = normalizeExpectedHash(expectedSha3);
        verifyImage(gvmi, gvmi.toString());
        String actual = Sha3.hex224(gvmi);
        checkHash(expected, actual);
        if (!origin.equals(StoredImage.LOCAL_ORIGIN) && !Files.isRegularFile(blob(actual))) {
            Files.createDirectories(blobs);
            String line = origin.replaceAll("\\p{Cntrl}", " ");
            AtomicFile.write(originFile(actual), line.substring(0, Math.min(line.length(), MAX_ORIGIN_CHARS))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return commit(gvmi, actual);
    }

    /**
     * Stores an image read from a stream (an upload), hashing it on the way; nothing is kept in
     * memory. Same as {@link #put(InputStream, String, long)} without a size limit.
     */
    public StoredImage put(InputStream content, String expectedSha3) throws ImageStoreException, IOException {
        return put(content, expectedSha3, Long.MAX_VALUE);
    }

    /**
     * Stores an image read from an untrusted stream (an upload), checking it while it streams:
     * it must start like a GVMI image (a squashfs superblock) and stop within {@code maxBytes};
     * the hash and the trailer are checked at the end. Nothing is kept in memory, and nothing
     * stays on disk when a check fails.
     *
     * @param expectedSha3 the hash the upload must have, or null
     * @throws ImageTooLargeException when the stream goes past {@code maxBytes}
     * @throws ImageStoreException when the content is not a GVMI image or its hash differs
     */
    public StoredImage put(InputStream content, String expectedSha3, long maxBytes) throws ImageStoreException, IOException {
        String expected = normalizeExpectedHash(expectedSha3);
        Path temp = newIncomingFile();
        try {
            MessageDigest digest = Sha3.digest("SHA3-224");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = content.read(buffer)) > 0) {
                    if (total < SQUASHFS_MAGIC.length) {
                        checkStart(buffer, n, total);
                    }
                    total += n;
                    if (total > maxBytes) {
                        throw new ImageTooLargeException("the upload is larger than the " + maxBytes
                                + " bytes this registry accepts (set GOLEM_SANDBOX_MAX_PUSH_BYTES to allow more)");
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            checkHash(expected, actual);
            verifyImage(temp, "the uploaded file");
            return commit(temp, actual);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A GVMI file starts with its squashfs superblock: refuse anything else at its first bytes. */
    private static void checkStart(byte[] chunk, int length, long offset) throws ImageStoreException {
        for (int i = 0; i < length && offset + i < SQUASHFS_MAGIC.length; i++) {
            if (chunk[i] != SQUASHFS_MAGIC[(int) offset + i]) {
                throw new ImageStoreException("the uploaded file: not a GVMI image: it does not start with a squashfs superblock (hsqs)");
            }
        }
    }

    /**
     * Points {@code tag} at the image {@code sha3} (moving it if it pointed elsewhere).
     *
     * @throws ImageStoreException for an invalid tag
     * @throws ImageNotFoundException when there is no such image
     */
    public StoredImage tag(String tag, String sha3) throws ImageStoreException, IOException {
        String name = parseTag(tag).toString();
        String hash = sha3.toLowerCase(Locale.ROOT);
        index.update(tags -> {
            if (!Files.isRegularFile(blob(hash))) {
                throw new ImageNotFoundException("no image with hash " + hash + " in the store to tag as " + name);
            }
            tags.put(name, hash);
            return null;
        });
        return byHash(hash).orElseThrow(() -> new ImageNotFoundException("image " + hash + " was removed while being tagged"));
    }

    /** The image with this full hash, if stored. */
    public Optional<StoredImage> byHash(String sha3) throws IOException {
        String hash = sha3.toLowerCase(Locale.ROOT);
        if (!FULL_HASH.matcher(hash).matches()) {
            return Optional.empty();
        }
        return stored(hash, index.read());
    }

    /**
     * The image stored under exactly this tag (no stand-ins, no hash prefixes), if any.
     *
     * @throws ImageStoreException for an invalid tag
     */
    public Optional<StoredImage> tagged(String tag) throws ImageStoreException, IOException {
        String name = parseTag(tag).toString();
        TreeMap<String, String> tags = index.read();
        String hash = tags.get(name);
        return hash == null ? Optional.empty() : stored(hash, tags);
    }

    /**
     * The image a tag, full hash or hash prefix (6+ hex digits) names. A public tag with a
     * stand-in resolves to the stand-in (building the default image on first use) unless the
     * store has an image under that exact tag.
     *
     * @throws ImageNotFoundException when nothing answers, with a message that says what was tried
     * @throws ImageStoreException for something that is neither a tag nor a hash, or an ambiguous prefix
     * @throws DefaultImageUnavailableException when the default image is needed and cannot be built
     */
    public ImageResolution resolve(String reference) throws ImageStoreException, IOException {
        return resolve(reference, ProgressListener.NONE);
    }

    /** The same, reporting the build of a stand-in (a minute, on first use) to {@code progress}. */
    public ImageResolution resolve(String reference, ProgressListener progress) throws ImageStoreException, IOException {
        String ref = reference == null ? "" : reference.trim();
        String lower = ref.toLowerCase(Locale.ROOT);
        TreeMap<String, String> tags = index.read();
        if (FULL_HASH.matcher(lower).matches()) {
            Optional<StoredImage> image = stored(lower, tags);
            if (image.isPresent()) {
                return new ImageResolution(ref, image.get(), Optional.empty());
            }
            Optional<StandIn> standIn = standIns.forHash(lower);
            if (standIn.isPresent()) {
                return new ImageResolution(ref, standInImage(standIn.get(), tags, progress), standIn);
            }
            throw new ImageNotFoundException("no image with hash " + lower + " in the local store");
        }
        ImageTag tag = ImageTag.isValid(ref) ? ImageTag.parse(ref) : null;
        if (tag != null && tags.containsKey(tag.toString())) {
            String hash = tags.get(tag.toString());
            StoredImage image = stored(hash, tags).orElseThrow(() -> new ImageNotFoundException(
                    "the tag " + tag + " points to image " + hash + ", whose file is missing from the store; push it again"));
            return new ImageResolution(ref, image, Optional.empty());
        }
        if (tag != null) {
            Optional<StandIn> standIn = standIns.forTag(tag);
            if (standIn.isPresent()) {
                return new ImageResolution(ref, standInImage(standIn.get(), tags, progress), standIn);
            }
        }
        if (HASH_PREFIX.matcher(lower).matches()) {
            List<String> matches = new ArrayList<>();
            for (String hash : blobHashes()) {
                if (hash.startsWith(lower)) {
                    matches.add(hash);
                }
            }
            if (matches.size() > 1) {
                throw new ImageStoreException("the hash prefix " + lower + " matches " + matches.size()
                        + " images; give more digits");
            }
            if (matches.size() == 1) {
                return new ImageResolution(ref, stored(matches.get(0), tags).orElseThrow(), Optional.empty());
            }
        }
        if (tag == null && !HASH_PREFIX.matcher(lower).matches()) {
            throw new ImageStoreException("'" + ref + "' is neither an image tag (repository:tag) nor a SHA3-224 hash");
        }
        throw new ImageNotFoundException("no image " + (tag != null ? "tagged " + tag : "with hash prefix " + lower)
                + " in the local store");
    }

    /** Every stored image, tagged ones first by tag, then untagged ones by hash. */
    public List<StoredImage> list() throws IOException {
        TreeMap<String, String> tags = index.read();
        List<StoredImage> images = new ArrayList<>();
        for (String hash : blobHashes()) {
            stored(hash, tags).ifPresent(images::add);
        }
        images.sort(Comparator.comparing((StoredImage i) -> i.tags().isEmpty())
                .thenComparing(i -> i.tags().isEmpty() ? i.sha3() : i.tags().get(0)));
        return images;
    }

    /**
     * Removes a tag (and the image file once no tag points at it), or by hash the image and all
     * its tags.
     *
     * @throws ImageNotFoundException when nothing answers to {@code reference}
     * @throws ImageStoreException for a stand-in tag, which names no stored image of its own
     */
    public ImageRemoval remove(String reference) throws ImageStoreException, IOException {
        String ref = reference == null ? "" : reference.trim();
        ImageTag tag = ImageTag.isValid(ref) ? ImageTag.parse(ref) : null;
        return index.update(tags -> {
            if (tag != null && tags.containsKey(tag.toString())) {
                String hash = tags.remove(tag.toString());
                boolean stillTagged = tags.containsValue(hash);
                if (!stillTagged) {
                    deleteBlob(hash);
                }
                return new ImageRemoval(List.of(tag.toString()), stillTagged ? null : hash);
            }
            if (tag != null && standIns.forTag(tag).isPresent()) {
                StandIn standIn = standIns.forTag(tag).get();
                throw new ImageStoreException(tag + " is a stand-in for " + standIn.target()
                        + " (" + standIn.source() + "), not an image of its own; nothing to remove");
            }
            String lowerRef = ref.toLowerCase(Locale.ROOT);
            if (FULL_HASH.matcher(lowerRef).matches() && !Files.isRegularFile(blob(lowerRef))
                    && standIns.forHash(lowerRef).isPresent()) {
                StandIn standIn = standIns.forHash(lowerRef).get();
                throw new ImageStoreException(lowerRef + " is a stand-in for " + standIn.target()
                        + " (" + standIn.source() + "), not an image of its own; nothing to remove");
            }
            String hash = resolve(ref).image().sha3();
            List<String> untagged = new ArrayList<>();
            tags.entrySet().removeIf(e -> {
                if (e.getValue().equals(hash)) {
                    untagged.add(e.getKey());
                    return true;
                }
                return false;
            });
            deleteBlob(hash);
            return new ImageRemoval(untagged, hash);
        });
    }

    /**
     * The default image, built (from the host's static busybox, with mksquashfs) when it is missing
     * or was built by an older recipe or another busybox.
     *
     * @throws DefaultImageUnavailableException when it must be built and cannot be
     */
    public StoredImage defaultImage(ProgressListener progress) throws ImageStoreException, IOException {
        return defaultImage.ensure(progress);
    }

    /** The path of the blob file of {@code sha3} (which may not exist). */
    Path blob(String sha3) {
        return blobs.resolve(sha3 + BLOB_SUFFIX);
    }

    TagIndex index() {
        return index;
    }

    private Path originFile(String sha3) {
        return blobs.resolve(sha3 + ORIGIN_SUFFIX);
    }

    private void deleteBlob(String sha3) throws IOException {
        Files.deleteIfExists(blob(sha3));
        Files.deleteIfExists(originFile(sha3));
    }

    private String origin(String sha3) throws IOException {
        try {
            return Files.readString(originFile(sha3), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return StoredImage.LOCAL_ORIGIN;
        }
    }

    private StoredImage standInImage(StandIn standIn, TreeMap<String, String> tags, ProgressListener progress)
            throws ImageStoreException, IOException {
        if (standIn.target().equals(DEFAULT_IMAGE_TAG)) {
            return defaultImage.ensure(progress);
        }
        Optional<DebianStandIn> built = DebianStandIn.forTarget(standIn.target());
        if (built.isPresent()) {
            return built.get().ensure(this, progress);
        }
        String target = standIn.target().toLowerCase(Locale.ROOT);
        String hash = FULL_HASH.matcher(target).matches() ? target
                : ImageTag.isValid(standIn.target()) ? tags.get(ImageTag.parse(standIn.target()).toString()) : null;
        Optional<StoredImage> image = hash == null ? Optional.empty() : stored(hash, tags);
        return image.orElseThrow(() -> new ImageNotFoundException(standIn.publicTag() + " stands in as " + standIn.target()
                + " (" + standIn.source() + "), which is not in the local store"));
    }

    private Optional<StoredImage> stored(String hash, Map<String, String> tags) throws IOException {
        Path file = blob(hash);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        tags.forEach((tag, h) -> {
            if (h.equals(hash)) {
                names.add(tag);
            }
        });
        return Optional.of(new StoredImage(hash, file, size, names, origin(hash)));
    }

    private List<String> blobHashes() throws IOException {
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(blobs)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(BLOB_SUFFIX))
                    .map(n -> n.substring(0, n.length() - BLOB_SUFFIX.length()))
                    .filter(h -> FULL_HASH.matcher(h).matches())
                    .sorted()
                    .toList();
        }
    }

    private StoredImage commit(Path file, String sha3) throws ImageStoreException, IOException {
        Files.createDirectories(blobs);
        AtomicFile.commit(file, blob(sha3));
        return byHash(sha3).orElseThrow(() -> new ImageStoreException("image " + sha3 + " vanished right after it was stored"));
    }

    private static void verifyImage(Path file, String name) throws ImageStoreException, IOException {
        try {
            GvmiImage.open(file);
        } catch (GvmiFormatException e) {
            throw new ImageStoreException(name + ": " + e.problem());
        }
    }

    private static String normalizeExpectedHash(String expected) throws ImageStoreException {
        if (expected == null || expected.isBlank()) {
            return null;
        }
        String hash = expected.trim().toLowerCase(Locale.ROOT);
        if (!FULL_HASH.matcher(hash).matches()) {
            throw new ImageStoreException("'" + expected + "' is not a SHA3-224 hash (56 hex digits)");
        }
        return hash;
    }

    private static void checkHash(String expected, String actual) throws ImageStoreException {
        if (expected != null && !expected.equals(actual)) {
            throw new ImageStoreException("hash mismatch: expected SHA3-224 " + expected + " but the image has " + actual);
        }
    }

    private static ImageTag parseTag(String tag) throws ImageStoreException {
        try {
            return ImageTag.parse(tag);
        } catch (IllegalArgumentException e) {
            throw new ImageStoreException(e.getMessage());
        }
    }
}
