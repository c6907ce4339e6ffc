package dev.golemsandbox.testing;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.image.BusyboxRootfs;
import dev.golemsandbox.image.Compression;
import dev.golemsandbox.image.GvmiConverter;
import dev.golemsandbox.image.ImageConversionException;
import dev.golemsandbox.image.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;

/**
 * Small GVMI images for tests, made with the real converter (mksquashfs included), shared with
 * the simulator's tests through the test-jar.
 *
 * <pre>{@code
 * Path vmImage = TestImages.busybox(tempDir, TestImages.standardConfig());   // shell, coreutils, a user
 * Path defaultImage = TestImages.defaultImage(tempDir);                     // the sandbox's own default
 * Path custom = TestImages.withFiles(tempDir, "app.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/opt/a", "a"));
 * }</pre>
 */
public final class TestImages {

    /** The default image's config: PATH, WORKDIR /golem/work, VOLUME /golem/input /golem/output /golem/work. */
    public static final ContainerConfig VOLUMES_CONFIG = ContainerConfig.empty()
            .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
            .withWorkingDir("/golem/work")
            .withVolumes(List.of("/golem/input", "/golem/output", "/golem/work"));

    private TestImages() {
    }

    /**
     * WorkingDir /work, an Env with PATH and GREETING=hello, User "user" (uid 1000, a name the
     * guest resolves through /etc/passwd), and volumes /golem/input and /golem/output.
     */
    public static ContainerConfig standardConfig() {
        return ContainerConfig.empty()
                .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello"))
                .withWorkingDir("/work")
                .withUser("user")
                .withVolumes(List.of("/golem/input", "/golem/output"));
    }

    /** A busybox image with {@code config}, written as {@code dir/busybox.gvmi}. */
    public static Path busybox(Path dir, ContainerConfig config) throws IOException, ImageConversionException {
        return busybox(dir, config, Map.of());
    }

    /**
     * The same, with extra files ({@code path in image -> content}). The image has busybox and its
     * applets, {@code root} and {@code user} (1000:1000) in /etc/passwd, and world-writable /work and /tmp.
     */
    public static Path busybox(Path dir, ContainerConfig config, Map<String, String> extraFiles)
            throws IOException, ImageConversionException {
        Path root = Files.createTempDirectory(dir, ".rootfs-");
        try {
            BusyboxRootfs recipe = BusyboxRootfs.fromHost();
            Path bin = Files.createDirectories(root.resolve("bin"));
            Files.copy(BusyboxRootfs.HOST_BUSYBOX, bin.resolve("busybox"));
            for (String applet : recipe.applets()) {
                Path link = root.resolve(applet);
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, link.getParent().relativize(bin.resolve("busybox")));
                }
            }
            Path etc = Files.createDirectories(root.resolve("etc"));
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\nuser:x:1000:\n");
            for (String empty : List.of("proc", "sys", "dev", "tmp", "root", "home/user", "work")) {
                Files.createDirectories(root.resolve(empty));
            }
            Files.setPosixFilePermissions(root.resolve("work"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
            writeFiles(root, extraFiles);
            Path gvmi = dir.resolve("busybox.gvmi");
            new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertRootfs(root, config, gvmi);
            return gvmi;
        } finally {
            deleteTree(root);
        }
    }

    /** The sandbox's default image, {@code sandbox/busybox:latest}, as {@code dir/default.gvmi}; reused when there. */
    public static Path defaultImage(Path dir) throws IOException, ImageConversionException {
        Path output = dir.resolve("default.gvmi");
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
            writeFiles(rootfs, files);
            Path output = dir.resolve(name);
            new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertRootfs(rootfs, config, output);
            return output;
        } finally {
            deleteTree(rootfs);
        }
    }

    private static void writeFiles(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = root.resolve(file.getKey().replaceFirst("^/+", ""));
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
