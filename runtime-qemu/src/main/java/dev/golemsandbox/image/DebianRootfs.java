package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A root filesystem made of Debian packages unpacked as dpkg would lay them out on a merged-/usr
 * system ({@code /bin}, {@code /sbin}, {@code /lib*} are links into {@code /usr}), with no
 * maintainer script run: enough for programs such as node and python3, not a bootable Debian.
 * Each package's files come from {@code dpkg-deb --fsys-tarfile} and are staged like the entries
 * of an image layer, with the owners and modes the package gives them, so no root is needed.
 * Plus the directories a Golem image has ({@code /golem/work}, ...) and root/golem users.
 */
public final class DebianRootfs {

    private static final Set<String> MERGED_INTO_USR = Set.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");
    private static final long DPKG_DEB_TIMEOUT_SECONDS = 120;

    private final List<Path> debs;
    private final ContainerConfig config;

    /**
     * @param debs the packages, in the order they are unpacked
     * @param config the image's metadata
     */
    public DebianRootfs(List<Path> debs, ContainerConfig config) {
        this.debs = List.copyOf(debs);
        this.config = config;
    }

    public ContainerConfig config() {
        return config;
    }

    void stageInto(StagedRootfs rootfs, ProgressListener progress) throws ImageConversionException, IOException {
        rootfs.beginLayer("base directories");
        for (String dir : List.of("usr", "usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "dev", "proc", "sys", "run",
                "var", "home", "golem", "golem/input", "golem/output", "golem/work")) {
            directory(rootfs, dir, 0755, 0);
        }
        directory(rootfs, "root", 0700, 0);
        directory(rootfs, "home/golem", 0755, BusyboxRootfs.GOLEM_UID);
        directory(rootfs, "tmp", 01777, 0);
        directory(rootfs, "var/tmp", 01777, 0);
        for (String merged : List.of("bin", "sbin", "lib", "lib64")) {
            TarArchiveEntry link = entry(merged, TarConstants.LF_SYMLINK, 0777, 0);
            link.setLinkName("usr/" + merged);
            rootfs.apply(link, InputStream.nullInputStream());
        }
        file(rootfs, "etc/passwd", BusyboxRootfs.PASSWD);
        file(rootfs, "etc/group", BusyboxRootfs.GROUP);
        for (int i = 0; i < debs.size(); i++) {
            Path deb = debs.get(i);
            String name = "package " + (i + 1) + "/" + debs.size() + " (" + deb.getFileName() + ")";
            progress.step("unpacking " + name);
            rootfs.beginLayer(name);
            unpack(rootfs, deb, name);
        }
    }

    private static void unpack(StagedRootfs rootfs, Path deb, String name) throws ImageConversionException, IOException {
        try {
            unpackOrInterrupt(rootfs, deb, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking " + name, e);
        }
    }

    private static void unpackOrInterrupt(StagedRootfs rootfs, Path deb, String name)
            throws ImageConversionException, IOException, InterruptedException {
        Process dpkg = new ProcessBuilder("dpkg-deb", "--fsys-tarfile", deb.toString()).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try (InputStream err = dpkg.getErrorStream()) {
                return new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        boolean read = false;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(dpkg.getInputStream(), "UTF-8")) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entry.setName(intoUsr(entry.getName()));
                if (entry.isLink()) {
                    entry.setLinkName(intoUsr(entry.getLinkName()));
                }
                rootfs.apply(entry, tar);
            }
            read = true;
        } finally {
            try {
                // A failed entry leaves dpkg-deb blocked on a full pipe: stop it rather than wait.
                if (!read || !dpkg.waitFor(DPKG_DEB_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    dpkg.destroyForcibly();
                }
            } catch (InterruptedException e) {
                dpkg.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (dpkg.waitFor() != 0) {
            throw new ImageConversionException("dpkg-deb could not read " + name + ": " + stderr.join());
        }
    }

    /** {@code ./bin/sh} becomes {@code usr/bin/sh}: the layout of a merged-/usr Debian. */
    static String intoUsr(String entryName) {
        String name = entryName.startsWith("./") ? entryName.substring(2) : entryName;
        if (name.isEmpty()) {
            return entryName;
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? name : name.substring(0, slash);
        return MERGED_INTO_USR.contains(first) ? "usr/" + name : name;
    }

    private static void directory(StagedRootfs rootfs, String path, int mode, int owner) throws ImageConversionException, IOException {
        rootfs.apply(entry(path + "/", TarConstants.LF_DIR, mode, owner), InputStream.nullInputStream());
    }

    private static void file(StagedRootfs rootfs, String path, String content) throws ImageConversionException, IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = entry(path, TarConstants.LF_NORMAL, 0644, 0);
        entry.setSize(bytes.length);
        rootfs.apply(entry, new ByteArrayInputStream(bytes));
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, int owner) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setUserId(owner);
        entry.setGroupId(owner);
        entry.setModTime(0);
        return entry;
    }
}
