package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The recipe of the sandbox's default image, made offline from the host's static busybox (Debian
 * {@code busybox-static}): {@code /bin/busybox}, a symlink per applet ({@code /bin/sh},
 * {@code sha256sum}, {@code dd}, {@code ls}, ...), {@code /etc/passwd} and {@code /etc/group} with
 * root and the user {@code golem} (1000:1000), {@code WORKDIR /golem/work} and
 * {@code VOLUME /golem/input /golem/output /golem/work}.
 *
 * <p>The image carries labels naming the recipe and the busybox it was made from, so a cached
 * build can be recognised as current ({@link #isBuildOf}).
 *
 * <pre>{@code
 * BusyboxRootfs recipe = BusyboxRootfs.fromHost();
 * converter.convertBusyboxImage(recipe, Path.of("busybox.gvmi"));
 * }</pre>
 */
public final class BusyboxRootfs {

    /** Where Debian's busybox-static installs the binary. */
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
    public static final String RECIPE_LABEL = "dev.golemsandbox.image.recipe";
    public static final String BUSYBOX_SHA256_LABEL = "dev.golemsandbox.image.busybox-sha256";
    public static final String BUSYBOX_VERSION_LABEL = "dev.golemsandbox.image.busybox-version";
    /** Changes whenever the recipe below changes what the image holds. */
    static final String RECIPE = "busybox-rootfs/1";

    /** uid and gid of the image's non-root user, {@code golem}. */
    public static final int GOLEM_UID = 1000;
    public static final String WORKDIR = "/golem/work";
    public static final List<String> VOLUMES = List.of("/golem/input", "/golem/output", "/golem/work");

    public static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            golem:x:1000:1000:golem:/home/golem:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    static final String GROUP = """
            root:x:0:
            golem:x:1000:
            nogroup:x:65534:
            """;
    private static final int PT_INTERP = 3;

    private final Path busybox;
    private final String sha256;
    private final String version;
    private final List<String> applets;

    private BusyboxRootfs(Path busybox, String sha256, String version, List<String> applets) {
        this.busybox = busybox;
        this.sha256 = sha256;
        this.version = version;
        this.applets = List.copyOf(applets);
    }

    /** The recipe with the host's {@code /bin/busybox}. */
    public static BusyboxRootfs fromHost() throws ImageConversionException, IOException {
        return of(HOST_BUSYBOX);
    }

    /**
     * The recipe with a given busybox binary.
     *
     * @throws ToolUnavailableException when it is missing or not statically linked
     */
    public static BusyboxRootfs of(Path busybox) throws ImageConversionException, IOException {
        String install = "install Debian's busybox-static ('apt-get install busybox-static')";
        if (!Files.isRegularFile(busybox)) {
            throw new ToolUnavailableException("the default image needs a static busybox at " + busybox + ": " + install);
        }
        if (!isStaticX8664Elf(busybox)) {
            throw new ToolUnavailableException(busybox + " is not a statically linked x86-64 busybox, which the default image needs: " + install);
        }
        List<String> banner = run(busybox, "--help");
        String version = banner.isEmpty() ? "unknown" : banner.get(0).replaceFirst(" multi-call binary.*$", "").strip();
        List<String> applets = new ArrayList<>();
        for (String line : run(busybox, "--list-full")) {
            String applet = line.strip();
            if (!applet.isEmpty() && !applet.equals("bin/busybox")) {
                applets.add(applet);
            }
        }
        if (!applets.contains("bin/sh")) {
            throw new ToolUnavailableException(busybox + " has no sh applet, so it cannot be the default image's shell: " + install);
        }
        return new BusyboxRootfs(busybox, sha256(busybox), version, applets);
    }

    /** The busybox banner, e.g. "BusyBox v1.35.0 (Debian 1:1.35.0-4+b3)". */
    public String busyboxVersion() {
        return version;
    }

    /** Applet paths relative to the root, e.g. "bin/sh", "usr/bin/sha256sum". */
    public List<String> applets() {
        return applets;
    }

    /** The image's metadata: PATH, working directory, volumes and the labels that identify this build. */
    public ContainerConfig config() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RECIPE_LABEL, RECIPE);
        labels.put(BUSYBOX_SHA256_LABEL, sha256);
        labels.put(BUSYBOX_VERSION_LABEL, version);
        return ContainerConfig.empty()
                .withEnv(List.of(PATH_ENV))
                .withWorkingDir(WORKDIR)
                .withVolumes(VOLUMES)
                .withLabels(labels);
    }

    /** Whether an image with {@code config} was built by this recipe from this busybox. */
    public boolean isBuildOf(ContainerConfig config) {
        Map<String, String> labels = config.labels();
        return RECIPE.equals(labels.get(RECIPE_LABEL)) && Objects.equals(sha256, labels.get(BUSYBOX_SHA256_LABEL));
    }

    /** Writes the root filesystem into a staging tree. */
    void stageInto(StagedRootfs rootfs) throws ImageConversionException, IOException {
        for (String dir : List.of("bin", "dev", "etc", "home", "proc", "run", "sbin", "sys", "usr", "usr/bin",
                "usr/sbin", "var", "golem", "golem/input", "golem/output", "golem/work")) {
            directory(rootfs, dir, 0755, 0);
        }
        directory(rootfs, "root", 0700, 0);
        directory(rootfs, "home/golem", 0755, GOLEM_UID);
        directory(rootfs, "tmp", 01777, 0);
        directory(rootfs, "var/tmp", 01777, 0);
        file(rootfs, "etc/passwd", PASSWD.getBytes(StandardCharsets.UTF_8), 0644);
        file(rootfs, "etc/group", GROUP.getBytes(StandardCharsets.UTF_8), 0644);
        TarArchiveEntry binary = entry("bin/busybox", TarConstants.LF_NORMAL, 0755, 0);
        binary.setSize(Files.size(busybox));
        try (InputStream in = Files.newInputStream(busybox)) {
            rootfs.apply(binary, in);
        }
        for (String applet : applets) {
            TarArchiveEntry link = entry(applet, TarConstants.LF_SYMLINK, 0777, 0);
            link.setLinkName("/bin/busybox");
            rootfs.apply(link, InputStream.nullInputStream());
        }
    }

    private static void directory(StagedRootfs rootfs, String path, int mode, int owner) throws ImageConversionException, IOException {
        rootfs.apply(entry(path + "/", TarConstants.LF_DIR, mode, owner), InputStream.nullInputStream());
    }

    private static void file(StagedRootfs rootfs, String path, byte[] content, int mode) throws ImageConversionException, IOException {
        TarArchiveEntry entry = entry(path, TarConstants.LF_NORMAL, mode, 0);
        entry.setSize(content.length);
        rootfs.apply(entry, new ByteArrayInputStream(content));
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, int owner) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setUserId(owner);
        entry.setGroupId(owner);
        entry.setModTime(0);
        return entry;
    }

    /** A 64-bit little-endian ELF without a PT_INTERP program header needs no dynamic loader. */
    static boolean isStaticX8664Elf(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            in.read(header, 0);
            if (header.position() < 64 || header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1
                    || header.getShort(18) != 62) {
                return false;
            }
            long programHeaders = header.getLong(0x20);
            int entrySize = Short.toUnsignedInt(header.getShort(0x36));
            int count = Short.toUnsignedInt(header.getShort(0x38));
            ByteBuffer type = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                type.clear();
                in.read(type, programHeaders + (long) i * entrySize);
                if (type.getInt(0) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<String> run(Path busybox, String argument) throws ImageConversionException, IOException {
        Process process = new ProcessBuilder(busybox.toString(), argument).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new ImageConversionException(busybox + " " + argument + " did not finish");
            }
            return text.lines().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageConversionException("interrupted while asking " + busybox + " for its applets", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
