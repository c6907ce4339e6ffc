package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.ExeCommand;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * The archive side of {@code transfer} with a {@code format}: packs a directory of the VM into
 * tar, tar.gz (tgz), tar.bz2, tar.xz or zip (zip.N: deflate level N), or unpacks one into a
 * directory, streaming. {@code depth} limits how deep packing descends (0: the directory's own
 * files); {@code fileset} globs, matched against paths relative to the directory, choose the files.
 * Entries that would land outside the target directory are refused.
 */
public final class TransferArchive {

    private final String format;
    private final Optional<Integer> depth;
    private final List<Selection> selections = new ArrayList<>();

    public TransferArchive(String format, Optional<Integer> depth, List<ExeCommand.FileSet> fileSets) {
        this.format = format;
        this.depth = depth;
        for (ExeCommand.FileSet set : fileSets) {
            selections.add(new Selection(matchers(set.includes()), matchers(set.excludes())));
        }
    }

    /** The usual file name extension of this format. */
    public String extension() {
        return format.startsWith("zip") ? "zip" : format.equals("tgz") ? "tar.gz" : format;
    }

    public void pack(Path dir, Path archive) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, depth.map(d -> d + 1).orElse(Integer.MAX_VALUE))) {
            files = walk.filter(Files::isRegularFile).filter(f -> selected(dir.relativize(f))).sorted().toList();
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive))) {
            if (format.startsWith("zip")) {
                packZip(dir, files, out);
            } else {
                packTar(dir, files, out);
            }
        }
    }

    public void unpack(Path archive, Path dir) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
             ArchiveInputStream<? extends ArchiveEntry> entries = format.startsWith("zip")
                     ? new ZipArchiveInputStream(in) : new TarArchiveInputStream(decompressed(in))) {
            Path root = dir.toAbsolutePath().normalize();
            ArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("the archive entry " + entry.getName() + " points outside " + dir);
                }
                if (entry.isDirectory()) {
                    GuestAccess.createDirectories(target);
                } else if (selected(root.relativize(target))) {
                    GuestAccess.createDirectories(target.getParent());
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                    GuestAccess.open(target, executable(entry));
                }
            }
        }
    }

    /** Whether the archive marks the entry executable by its owner (zip entries from Unix carry the mode too). */
    private static boolean executable(ArchiveEntry entry) {
        int mode = entry instanceof TarArchiveEntry tar ? tar.getMode()
                : entry instanceof ZipArchiveEntry zip ? zip.getUnixMode() : 0;
        return (mode & 0100) != 0;
    }

    private void packZip(Path dir, List<Path> files, OutputStream out) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setLevel(format.length() > 4 ? Character.digit(format.charAt(4), 10) : Deflater.DEFAULT_COMPRESSION);
            for (Path file : files) {
                zip.putArchiveEntry(new ZipArchiveEntry(file, entryName(dir, file)));
                Files.copy(file, zip);
                zip.closeArchiveEntry();
            }
        }
    }

    private void packTar(Path dir, List<Path> files, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path file : files) {
                tar.putArchiveEntry(new TarArchiveEntry(file, entryName(dir, file)));
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        }
    }

    private OutputStream compressed(OutputStream out) throws IOException {
        return switch (format) {
            case "tar.gz", "tgz" -> new GZIPOutputStream(out);
            case "tar.bz2" -> new BZip2CompressorOutputStream(out);
            case "tar.xz" -> new XZCompressorOutputStream(out);
            default -> out;
        };
    }

    private InputStream decompressed(InputStream in) throws IOException {
        return switch (format) {
            case "tar.gz", "tgz" -> new GZIPInputStream(in);
            case "tar.bz2" -> new BZip2CompressorInputStream(in);
            case "tar.xz" -> new XZCompressorInputStream(in);
            default -> in;
        };
    }

    private boolean selected(Path relative) {
        if (selections.isEmpty()) {
            return true;
        }
        return selections.stream().anyMatch(s -> s.matches(relative));
    }

    private static String entryName(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        return globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    }

    /** One {@code fileset} entry: a file is in it if some include matches (or there are none) and no exclude does. */
    private record Selection(List<PathMatcher> includes, List<PathMatcher> excludes) {
        boolean matches(Path relative) {
            boolean included = includes.isEmpty() || includes.stream().anyMatch(m -> m.matches(relative));
            return included && excludes.stream().noneMatch(m -> m.matches(relative));
        }
    }
}
