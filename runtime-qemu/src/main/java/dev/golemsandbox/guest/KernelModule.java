package dev.golemsandbox.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One kernel module file ({@code .ko}, {@code .ko.xz} or {@code .ko.zst}) and what its
 * {@code .modinfo} section says it depends on.
 *
 * @param name the module name ({@code 9pnet_virtio}: dashes of the file name read as underscores)
 * @param file the file as shipped
 */
public record KernelModule(String name, Path file) {

    /** The module name a file holds, or null if it is not a module file. */
    public static String nameOf(Path file) {
        String fileName = file.getFileName().toString();
        for (String suffix : List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz")) {
            if (fileName.endsWith(suffix)) {
                return fileName.substring(0, fileName.length() - suffix.length()).replace('-', '_');
            }
        }
        return null;
    }

    /** The uncompressed module, as {@code finit_module} takes it. */
    public byte[] bytes() throws IOException {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        String tool = fileName.endsWith(".xz") ? "xz" : fileName.endsWith(".zst") ? "zstd" : "gzip";
        Process process = new ProcessBuilder(tool, "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(tool + " could not decompress " + file);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decompressing " + file, e);
        }
        return out;
    }

    /** The modules this one needs loaded first (the {@code depends=} entry of {@code .modinfo}). */
    public List<String> dependencies() throws IOException {
        for (String entry : modinfo(bytes())) {
            if (entry.startsWith("depends=")) {
                List<String> names = new ArrayList<>();
                for (String name : entry.substring("depends=".length()).split(",")) {
                    if (!name.isBlank()) {
                        names.add(name.trim().replace('-', '_'));
                    }
                }
                return names;
            }
        }
        return List.of();
    }

    /** The NUL-separated strings of the ELF64 {@code .modinfo} section. */
    static List<String> modinfo(byte[] elf) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || in.getInt(0) != 0x464c457f || elf[4] != 2) {
            throw new IOException("not a 64-bit ELF module");
        }
        long sectionTable = in.getLong(0x28);
        int entrySize = Short.toUnsignedInt(in.getShort(0x3a));
        int count = Short.toUnsignedInt(in.getShort(0x3c));
        int namesIndex = Short.toUnsignedInt(in.getShort(0x3e));
        long namesOffset = in.getLong((int) (sectionTable + (long) namesIndex * entrySize) + 0x18);
        for (int i = 0; i < count; i++) {
            int header = (int) (sectionTable + (long) i * entrySize);
            int nameOffset = in.getInt(header);
            String name = cString(elf, (int) (namesOffset + nameOffset));
            if (name.equals(".modinfo")) {
                int offset = (int) in.getLong(header + 0x18);
                int size = (int) in.getLong(header + 0x20);
                List<String> entries = new ArrayList<>();
                int start = offset;
                for (int p = offset; p < offset + size; p++) {
                    if (elf[p] == 0) {
                        if (p > start) {
                            entries.add(new String(elf, start, p - start, StandardCharsets.UTF_8));
                        }
                        start = p + 1;
                    }
                }
                return entries;
            }
        }
        return List.of();
    }

    private static String cString(byte[] data, int offset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int p = offset; p < data.length && data[p] != 0; p++) {
            out.write(data[p]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
