package dev.golemsandbox.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes image layer tars the way Docker does (entries relative to the root, whiteout files),
 * with exact modes, owners and entry kinds, for tests of layer application.
 *
 * <pre>{@code
 * byte[] layer = new LayerTarBuilder()
 *     .dir("app/", 0750, 1234, 1234)
 *     .file("app/run.sh", "echo hi", 0755, 0, 0)
 *     .whiteout("app/old.txt")
 *     .tar();
 * }</pre>
 */
public final class LayerTarBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public LayerTarBuilder() {
        tar = new TarArchiveOutputStream(bytes, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public LayerTarBuilder dir(String name, int mode, long uid, long gid) {
        return add(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, uid, gid), null);
    }

    public LayerTarBuilder file(String name, String content, int mode, long uid, long gid) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }

    public LayerTarBuilder file(String name, byte[] content, int mode, long uid, long gid) {
        return add(entry(name, TarConstants.LF_NORMAL, mode, uid, gid), content);
    }

    public LayerTarBuilder symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, 0777, 0, 0);
        entry.setLinkName(target);
        return add(entry, null);
    }

    public LayerTarBuilder hardLink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK, 0644, 0, 0);
        entry.setLinkName(target);
        return add(entry, null);
    }

    public LayerTarBuilder charDevice(String name, int major, int minor, int mode) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_CHR, mode, 0, 0);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        return add(entry, null);
    }

    public LayerTarBuilder fifo(String name, int mode) {
        return add(entry(name, TarConstants.LF_FIFO, mode, 0, 0), null);
    }

    /** Hides {@code path} of lower layers ({@code dir/.wh.name}). */
    public LayerTarBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String marker = path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(marker, "", 0644, 0, 0);
    }

    /** Hides everything lower layers put in {@code dir} ({@code dir/.wh..wh..opq}). */
    public LayerTarBuilder opaque(String dir) {
        return file((dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", "", 0644, 0, 0);
    }

    /** An entry with a name written as is, even an absolute one (for tests of refused entries). */
    public LayerTarBuilder rawFile(String name, String content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setMode(0644);
        return add(entry, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The layer as an uncompressed tar. */
    public byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The layer gzip-compressed, as registries ship it. */
    public byte[] gzip() {
        byte[] plain = tar();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The layer zstd-compressed by the host's zstd tool. */
    public byte[] zstd() {
        byte[] plain = tar();
        try {
            Process zstd = new ProcessBuilder("zstd", "-q", "-c").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread feeder = new Thread(() -> {
                try (var in = zstd.getOutputStream()) {
                    new ByteArrayInputStream(plain).transferTo(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            feeder.start();
            byte[] compressed = zstd.getInputStream().readAllBytes();
            feeder.join();
            if (zstd.waitFor() != 0) {
                throw new IOException("zstd failed");
            }
            return compressed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private LayerTarBuilder add(TarArchiveEntry entry, byte[] content) {
        try {
            if (content != null) {
                entry.setSize(content.length);
            }
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, long uid, long gid) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setMode(mode);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setModTime(1_700_000_000_000L);
        return entry;
    }
}
