package dev.golemsandbox.store;

import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.image.BusyboxRootfs;
import dev.golemsandbox.image.Compression;
import dev.golemsandbox.image.ConversionResult;
import dev.golemsandbox.image.DebianPackages;
import dev.golemsandbox.image.DebianRootfs;
import dev.golemsandbox.image.GvmiConverter;
import dev.golemsandbox.image.ImageConversionException;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in image that holds the tools its public tag promises (node, python3), built on first
 * use from Debian packages fetched with the host's apt and kept in the store under {@link #tag}.
 * The same packages give the same image hash; a store image built by an older recipe is rebuilt.
 *
 * @param tag the local tag it is kept under
 * @param packages the Debian packages it is made of (with their dependencies)
 * @param holds what it really holds, for people
 */
public record DebianStandIn(String tag, List<String> packages, String holds) {

    private static final Logger LOG = LoggerFactory.getLogger(DebianStandIn.class);

    /** Bumped whenever what a build puts in the image changes. */
    static final String RECIPE = "debian-stand-in/1";
    static final String RECIPE_LABEL = "dev.golemsandbox.image.recipe";
    static final String PACKAGES_LABEL = "dev.golemsandbox.image.debian-packages";
    static final String HOLDS_LABEL = "dev.golemsandbox.image.holds";

    /** dash for /bin/sh (golem-js runs every command through it), coreutils for the usual commands. */
    private static final List<String> SHELL = List.of("dash", "coreutils");

    public static final DebianStandIn NODE = new DebianStandIn("sandbox/debian-node:latest", withShell("nodejs"),
            "Node.js from Debian's nodejs package (Node.js 18 on Debian 12), a shell and coreutils; not Alpine");
    public static final DebianStandIn PYTHON = new DebianStandIn("sandbox/debian-python:latest", withShell("python3"),
            "Python 3 from Debian's python3 package (Python 3.11 on Debian 12), a shell and coreutils; not the Docker Hub image");

    public DebianStandIn {
        packages = List.copyOf(packages);
    }

    /** The built-in stand-in kept under {@code tag}, if it is one. */
    static Optional<DebianStandIn> forTarget(String tag) {
        return List.of(NODE, PYTHON).stream().filter(s -> s.tag.equals(tag)).findFirst();
    }

    private static List<String> withShell(String program) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(program), SHELL.stream()).toList();
    }

    /**
     * The stand-in's image, built when the store has none made by this recipe.
     *
     * @throws DefaultImageUnavailableException when it must be built and cannot be
     */
    StoredImage ensure(ImageStore store, ProgressListener progress) throws ImageStoreException, IOException {
        synchronized (DebianStandIn.class) {
            Optional<StoredImage> cached = store.tagged(tag);
            if (cached.isPresent() && isCurrent(cached.get())) {
                return cached.get();
            }
            Path lockFile = Files.createDirectories(store.directory()).resolve(".debian-stand-ins.lock");
            // Another process (a CLI next to the server) may be building it: build once, then find it.
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                cached = store.tagged(tag);
                if (cached.isPresent() && isCurrent(cached.get())) {
                    return cached.get();
                }
                LOG.info("Building the stand-in {} from the Debian packages {} (once per data directory)", tag, packages);
                long started = System.nanoTime();
                StoredImage built = build(store, progress);
                LOG.info("Built the stand-in {} ({} bytes, sha3 {}) in {} s", tag, built.size(), built.sha3(),
                        (System.nanoTime() - started) / 1_000_000_000L);
                return built;
            } catch (ImageConversionException e) {
                throw new DefaultImageUnavailableException("cannot build the stand-in " + tag + " from Debian packages "
                        + String.join(", ", packages) + ": " + e.getMessage(), e);
            }
        }
    }

    private boolean isCurrent(StoredImage image) throws IOException {
        try {
            Map<String, String> labels = image.open().config().labels();
            return RECIPE.equals(labels.get(RECIPE_LABEL)) && labels.containsKey(PACKAGES_LABEL);
        } catch (GvmiFormatException e) {
            return false;
        }
    }

    private StoredImage build(ImageStore store, ProgressListener progress)
            throws ImageConversionException, ImageStoreException, IOException {
        progress.step("building the stand-in " + tag + " from Debian packages (once)");
        Path packageDir = Files.createDirectories(store.directory().resolve("debian-packages").resolve(tag.replaceAll("[^a-z0-9.-]", "_")));
        List<Path> debs = DebianPackages.download(packages, packageDir, progress);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RECIPE_LABEL, RECIPE);
        labels.put(PACKAGES_LABEL, String.join(" ", debs.stream().map(d -> d.getFileName().toString()).toList()));
        labels.put(HOLDS_LABEL, holds);
        ContainerConfig config = ContainerConfig.empty()
                .withEnv(List.of(BusyboxRootfs.PATH_ENV))
                .withWorkingDir(BusyboxRootfs.WORKDIR)
                .withVolumes(BusyboxRootfs.VOLUMES)
                .withLabels(labels);
        Path output = store.newIncomingFile();
        try {
            ConversionResult result = new GvmiConverter(Compression.LZO, progress)
                    .withWorkDirectory(output.getParent())
                    .convertDebianRootfs(new DebianRootfs(debs, config), output);
            StoredImage stored = store.putMoving(output, result.sha3(), "built from Debian packages");
            return store.tag(tag, stored.sha3());
        } finally {
            Files.deleteIfExists(output);
            // The packages are in the image now; a rebuild fetches them again.
            deleteTree(packageDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
