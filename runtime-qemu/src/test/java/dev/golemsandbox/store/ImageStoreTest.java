package dev.golemsandbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.image.BusyboxRootfs;
import dev.golemsandbox.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed image store: put, tags, resolution, removal, stand-ins and concurrent writers. */
class ImageStoreTest {

    @TempDir
    Path dir;

    private ImageStore store;
    private Path imageA;
    private Path imageB;

    @BeforeEach
    void setUp() throws Exception {
        store = new ImageStore(dir.resolve("home/images"), StandIns.builtIns());
        imageA = TestImages.withFiles(dir, "a.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/a.txt", "A"));
        imageB = TestImages.withFiles(dir, "b.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/b.txt", "B"));
    }

    @Test
    void putCopiesTheFileUnderItsSha3AndLeavesTheSourceAlone() throws Exception {
        StoredImage stored = store.put(imageA, null);

        assertThat(stored.sha3()).isEqualTo(opensslSha3(imageA));
        assertThat(stored.file()).isEqualTo(store.directory().resolve("blobs/" + stored.sha3() + ".gvmi"));
        assertThat(Files.mismatch(stored.file(), imageA)).isEqualTo(-1L);
        assertThat(stored.size()).isEqualTo(Files.size(imageA));
        assertThat(stored.tags()).isEmpty();
        assertThat(imageA).exists();
        assertThat(incomingLeftovers()).isEmpty();
    }

    @Test
    void putWithTheWrongHashStoresNothing() throws Exception {
        String wrong = "ab".repeat(28);
        assertThatThrownBy(() -> store.put(imageA, wrong))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("hash mismatch: expected SHA3-224 " + wrong + " but the image has " + opensslSha3(imageA));
        assertThat(store.list()).isEmpty();
        assertThat(incomingLeftovers()).isEmpty();
        assertThatThrownBy(() -> store.put(imageA, "xyz"))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("'xyz' is not a SHA3-224 hash (56 hex digits)");
    }

    @Test
    void uploadThatIsNotAGvmiStoresNothing() throws Exception {
        byte[] junk = "definitely not an image".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(junk), null))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("the uploaded file: not a GVMI image: it does not start with a squashfs superblock (hsqs)");
        Path text = Files.write(dir.resolve("text.gvmi"), junk);
        assertThatThrownBy(() -> store.put(text, null))
                .isInstanceOf(ImageStoreException.class)
                .hasMessageStartingWith(text + ": not a GVMI image");
        assertThat(store.list()).isEmpty();
        assertThat(incomingLeftovers()).isEmpty();
    }

    @Test
    void resolvesByTagFullHashAndPrefix() throws Exception {
        String hash = store.put(imageA, opensslSha3(imageA)).sha3();
        store.tag("me/app", hash);

        assertThat(store.resolve("me/app:latest").image().sha3()).isEqualTo(hash);
        assertThat(store.resolve("me/app").image().tags()).containsExactly("me/app:latest");
        assertThat(store.resolve(hash).image().sha3()).isEqualTo(hash);
        assertThat(store.resolve(hash.toUpperCase()).image().sha3()).isEqualTo(hash);
        assertThat(store.resolve(hash.substring(0, 8)).image().sha3()).isEqualTo(hash);
        assertThat(store.resolve("me/app").standIn()).isEmpty();
        assertThat(store.byHash(hash)).isPresent();
    }

    @Test
    void unknownAndInvalidReferencesSayWhatWasTried() throws Exception {
        assertThatThrownBy(() -> store.resolve("me/missing:1"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("no image tagged me/missing:1 in the local store");
        String hash = "0".repeat(56);
        assertThatThrownBy(() -> store.resolve(hash))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("no image with hash " + hash + " in the local store");
        assertThatThrownBy(() -> store.resolve("Not A Tag!"))
                .isInstanceOf(ImageStoreException.class)
                .isNotInstanceOf(ImageNotFoundException.class)
                .hasMessage("'Not A Tag!' is neither an image tag (repository:tag) nor a SHA3-224 hash");
        assertThatThrownBy(() -> store.tag("Bad Tag", hash))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("'Bad Tag' is not an image tag: use repository:tag with a lower-case repository such as golem/alpine:latest");
        assertThatThrownBy(() -> store.tag("me/app:1", hash))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("no image with hash " + hash + " in the store to tag as me/app:1");
    }

    @Test
    void ambiguousHashPrefixAsksForMoreDigits() throws Exception {
        String hash = store.put(imageA, null).sha3();
        // A second blob whose name shares the first 10 digits (no real SHA3 pair does, so it is planted).
        String twin = hash.substring(0, 10) + "f".repeat(46);
        Files.copy(imageB, store.directory().resolve("blobs/" + twin + ".gvmi"));
        assertThatThrownBy(() -> store.resolve(hash.substring(0, 8)))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("the hash prefix " + hash.substring(0, 8) + " matches 2 images; give more digits");
        assertThat(store.resolve(hash).image().sha3()).isEqualTo(hash);
    }

    @Test
    void listShowsTaggedImagesByTagThenUntagged() throws Exception {
        String a = store.put(imageA, null).sha3();
        String b = store.put(imageB, null).sha3();
        store.tag("zeta/app:1", a);
        store.tag("alpha/app:1", a);

        List<StoredImage> images = store.list();
        assertThat(images).extracting(StoredImage::sha3).containsExactly(a, b);
        assertThat(images.get(0).tags()).containsExactly("alpha/app:1", "zeta/app:1");
        assertThat(images.get(1).tags()).isEmpty();
    }

    @Test
    void removingTheLastTagDeletesTheFileRemovingByHashDeletesAllTags() throws Exception {
        String a = store.put(imageA, null).sha3();
        store.tag("me/app:1", a);
        store.tag("me/app:2", a);

        ImageRemoval first = store.remove("me/app:1");
        assertThat(first.untagged()).containsExactly("me/app:1");
        assertThat(first.deletedSha3()).isNull();
        assertThat(store.byHash(a)).isPresent();

        ImageRemoval second = store.remove("me/app:2");
        assertThat(second.deletedSha3()).isEqualTo(a);
        assertThat(store.byHash(a)).isEmpty();

        String b = store.put(imageB, null).sha3();
        store.tag("me/b:1", b);
        store.tag("me/b:2", b);
        ImageRemoval byHash = store.remove(b.substring(0, 12));
        assertThat(byHash.untagged()).containsExactlyInAnyOrder("me/b:1", "me/b:2");
        assertThat(byHash.deletedSha3()).isEqualTo(b);
        assertThat(store.list()).isEmpty();

        assertThatThrownBy(() -> store.remove("me/b:1"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("no image tagged me/b:1 in the local store");
        assertThatThrownBy(() -> store.remove("golem/alpine:latest"))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("golem/alpine:latest is a stand-in for sandbox/busybox:latest (built-in), not an image of its own; nothing to remove");
    }

    @Test
    void publicAlpineTagIsAnsweredByTheDefaultImageBuiltOnFirstUse() throws Exception {
        ImageResolution resolution = store.resolve("golem/alpine:latest");

        assertThat(resolution.standIn()).hasValueSatisfying(standIn -> {
            assertThat(standIn.publicTag()).isEqualTo("golem/alpine:latest");
            assertThat(standIn.target()).isEqualTo(ImageStore.DEFAULT_IMAGE_TAG);
            assertThat(standIn.source()).isEqualTo("built-in");
            assertThat(standIn.note()).isEqualTo("golem/alpine:latest is a public image the offline sandbox does not have;"
                    + " sandbox/busybox:latest stands in for it (built-in): busybox (a shell and the usual tools,"
                    + " as Alpine's own busybox userland), not Alpine's apk packages");
        });
        StoredImage image = resolution.image();
        assertThat(image.tags()).containsExactly(ImageStore.DEFAULT_IMAGE_TAG);
        ContainerConfig config = image.open().config();
        assertThat(config.volumes()).containsExactly("/golem/input", "/golem/output", "/golem/work");
        assertThat(BusyboxRootfs.fromHost().isBuildOf(config)).isTrue();

        FileTimes before = FileTimes.of(image.file());
        assertThat(new ImageStore(store.directory(), StandIns.builtIns()).resolve("golem/alpine:latest").image().sha3())
                .as("the cached default image is reused").isEqualTo(image.sha3());
        assertThat(FileTimes.of(image.file())).isEqualTo(before);
    }

    @Test
    void staleDefaultImageIsRebuilt() throws Exception {
        String old = store.put(imageA, null).sha3();
        store.tag(ImageStore.DEFAULT_IMAGE_TAG, old);

        StoredImage rebuilt = store.defaultImage(dev.golemsandbox.image.ProgressListener.NONE);

        assertThat(rebuilt.sha3()).isNotEqualTo(old);
        assertThat(store.resolve(ImageStore.DEFAULT_IMAGE_TAG).image().sha3()).isEqualTo(rebuilt.sha3());
        assertThat(BusyboxRootfs.fromHost().isBuildOf(rebuilt.open().config())).isTrue();
    }

    @Test
    void aRealImageUnderAPublicTagIsNotAStandIn() throws Exception {
        String hash = store.put(imageA, null).sha3();
        store.tag("golem/alpine:latest", hash);
        ImageResolution resolution = store.resolve("golem/alpine:latest");
        assertThat(resolution.standIn()).isEmpty();
        assertThat(resolution.image().sha3()).isEqualTo(hash);
    }

    @Test
    void userMappedStandInsComeFromTheFileAndTheEnvironmentWhichWins() throws Exception {
        SandboxHome home = new SandboxHome(Files.createDirectories(dir.resolve("home")));
        Files.writeString(home.root().resolve(StandIns.FILE_NAME),
                "{\"golem/node:latest\": \"me/node:1\", \"golem/blender:latest\": \"me/blender:2\"}");
        StandIns standIns = StandIns.load(home, Map.of(StandIns.ENV, "golem/node:latest=me/node:env"));
        ImageStore mapped = new ImageStore(home.images(), standIns);
        String a = mapped.put(imageA, null).sha3();
        String b = mapped.put(imageB, null).sha3();
        mapped.tag("me/node:env", a);
        mapped.tag("me/blender:2", b);

        ImageResolution node = mapped.resolve("golem/node:latest");
        assertThat(node.image().sha3()).isEqualTo(a);
        assertThat(node.standIn().orElseThrow().source()).isEqualTo(StandIns.ENV);
        ImageResolution blender = mapped.resolve("golem/blender");
        assertThat(blender.image().sha3()).isEqualTo(b);
        assertThat(blender.standIn().orElseThrow().source()).isEqualTo(home.root().resolve(StandIns.FILE_NAME).toString());

        ImageStore dangling = new ImageStore(home.images(),
                StandIns.load(home, Map.of(StandIns.ENV, "golem/python:latest=me/python:3")));
        assertThatThrownBy(() -> dangling.resolve("golem/python:latest"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("golem/python:latest stands in as me/python:3 (GOLEM_SANDBOX_STAND_INS), which is not in the local store");
    }

    @Test
    void invalidStandInConfigIsOneLineNamingWhere() throws Exception {
        SandboxHome home = new SandboxHome(Files.createDirectories(dir.resolve("cfg")));
        assertThatThrownBy(() -> StandIns.load(home, Map.of(StandIns.ENV, "golem/node:latest")))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage("GOLEM_SANDBOX_STAND_INS takes public-tag=local-tag-or-hash pairs separated by commas, not 'golem/node:latest'");
        Path file = Files.writeString(home.root().resolve(StandIns.FILE_NAME), "[\"nope\"]");
        assertThatThrownBy(() -> StandIns.load(home, Map.of()))
                .isInstanceOf(ImageStoreException.class)
                .hasMessage(file + " must be a JSON object mapping public tags to local tags or hashes");
        Files.writeString(file, "{\"Golem/Node\": \"x\"}");
        assertThatThrownBy(() -> StandIns.load(home, Map.of()))
                .isInstanceOf(ImageStoreException.class)
                .hasMessageStartingWith(file + ": 'Golem/Node' is not an image tag");
    }

    @Test
    void twoProcessesTaggingAtOnceLoseNoTag() throws Exception {
        String hash = store.put(imageA, null).sha3();
        int count = 40;
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TagWriterProcess.class.getName(),
                store.directory().toString(), hash, "proc-b", Integer.toString(count))
                .redirectErrorStream(true).start();
        List<Thread> threads = new ArrayList<>();
        for (String prefix : List.of("thread-a", "thread-c")) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        store.tag(prefix + "/image:" + i, hash);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        String otherOutput = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as(otherOutput).isZero();

        List<String> tags = store.byHash(hash).orElseThrow().tags();
        assertThat(tags).hasSize(3 * count);
        assertThat(tags).contains("proc-b/image:0", "proc-b/image:" + (count - 1), "thread-a/image:7", "thread-c/image:39");
    }

    private List<Path> incomingLeftovers() throws Exception {
        Path incoming = store.directory().resolve("incoming");
        if (!Files.exists(incoming)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(incoming)) {
            return files.toList();
        }
    }

    private static String opensslSha3(Path file) throws Exception {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha3-224", "-r", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.split(" ")[0].trim();
    }

    /** Modification time and inode: equal when a file was left untouched. */
    private record FileTimes(Object modified, Object inode) {
        static FileTimes of(Path file) throws Exception {
            return new FileTimes(Files.getLastModifiedTime(file), Files.getAttribute(file, "unix:ino"));
        }
    }
}
