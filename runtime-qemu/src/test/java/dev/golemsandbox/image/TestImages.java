package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Small GVMI images for tests, made with the real converter (mksquashfs included).
 *
 * <pre>{@code
 * Path busybox = TestImages.busybox(tempDir);                  // sh, coreutils, volumes, WORKDIR
 * Path custom = TestImages.withFiles(tempDir, "app.gvmi",
 *         TestImages.VOLUMES_CONFIG, Map.of("/opt/hello.txt", "hello"));
 * }</pre>
 */
public final class TestImages {

    /** The config of the default image: PATH, WORKDIR /golem/work, VOLUME /golem/input /golem/output /golem/work. */
    public static final ContainerConfig VOLUMES_CONFIG = ContainerConfig.empty()
            .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
            .withWorkingDir("/golem/work")
            .withVolumes(List.of("/golem/input", "/golem/output", "/golem/work"));

    private TestImages() {
    }

    /**
     * The sandbox's default image (busybox from the host's busybox-static), written to
     * {@code dir/busybox.gvmi}; reused when already there.
     */
    public static Path busybox(Path dir) throws IOException, ImageConversionException {
        Path output = dir.resolve("busybox.gvmi");
        if (!Files.exists(output)) {
            Files.createDirectories(dir);
            new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertBusyboxImage(BusyboxRootfs.fromHost(), output);
        }
        return output;
    }

    /**
     * An image holding only {@code files} (absolute path to UTF-8 content; parents are made,
     * everything owned by the converting user) with {@code config}, written to {@code dir/name}.
     */
    public static Path withFiles(Path dir, String name, ContainerConfig config, Map<String, String> files)
            throws IOException, ImageConversionException {
        Path rootfs = Files.createTempDirectory(dir, ".rootfs-");
        try {
            files.forEach((path, content) -> {
                try {
                    Path file = rootfs.resolve(path.replaceFirst("^/+", ""));
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, content);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Path output = dir.resolve(name);
            new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertRootfs(rootfs, config, output);
            return output;
        } finally {
            StagedRootfs.deleteTree(rootfs);
        }
    }
}
