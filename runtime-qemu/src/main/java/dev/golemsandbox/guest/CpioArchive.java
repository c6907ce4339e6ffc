package dev.golemsandbox.guest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Entries are
 * written in the order given, so a directory must come before what it holds.
 *
 * <pre>{@code
 * try (CpioArchive cpio = new CpioArchive(Files.newOutputStream(out))) {
 *     cpio.directory("bin", 0755);
 *     cpio.file("init", 0755, agentBytes);
 *     cpio.symlink("bin/sh", "busybox");
 * }
 * }</pre>
 */
public final class CpioArchive implements AutoCloseable {

    private static final int TYPE_DIR = 0040000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;

    private final OutputStream out;
    private long written;
    private int nextInode = 1;

    public CpioArchive(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    public void directory(String path, int mode) throws IOException {
        entry(path, TYPE_DIR | mode, 2, new byte[0]);
    }

    public void file(String path, int mode, byte[] content) throws IOException {
        entry(path, TYPE_FILE | mode, 1, content);
    }

    public void file(String path, int mode, Path source) throws IOException {
        file(path, mode, Files.readAllBytes(source));
    }

    public void symlink(String path, String target) throws IOException {
        entry(path, TYPE_SYMLINK | 0777, 1, target.getBytes(StandardCharsets.UTF_8));
    }

    private void entry(String path, int mode, int links, byte[] data) throws IOException {
        byte[] name = (path + "\0").getBytes(StandardCharsets.UTF_8);
        String header = "070701"
                + hex(nextInode++) + hex(mode) + hex(0) + hex(0) + hex(links) + hex(0)
                + hex(data.length) + hex(0) + hex(0) + hex(0) + hex(0) + hex(name.length) + hex(0);
        write(header.getBytes(StandardCharsets.US_ASCII));
        write(name);
        pad();
        write(data);
        pad();
    }

    private static String hex(long value) {
        return String.format("%08x", value);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    /** Writes the trailer entry and closes the stream. */
    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, 1, new byte[0]);
        out.close();
    }
}
