package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.volume.VolumeEntry;
import dev.golemsandbox.volume.VolumeFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
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
 * Everything in the volume is reached through {@link VolumeFiles}: a symlink is packed as a
 * symlink entry (never its target), FIFOs and devices are left out, an unpacked file replaces
 * whatever is at its name (a link is replaced, never written through), and entries that would land
 * outside the target directory are refused. Links, devices and hard links in an uploaded archive
 * are not unpacked.
 */
public final class TransferArchive {

    /** What each unpacked file or directory costs besides its content (a block), so a bomb of empty entries runs out of space too. */
    static final long ENTRY_BYTES = 4096;

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

    /** Packs the directory {@code dir} of a volume into {@code archive} (a host file of the sandbox's). */
    public void pack(VolumeEntry dir, OutputStream archive) throws IOException {
        List<Member> members = new ArrayList<>();
        collect(dir, "", 0, members);
        try (OutputStream out = new BufferedOutputStream(archive)) {
            if (format.startsWith("zip")) {
                packZip(dir, members, out);
            } else {
                packTar(dir, members, out);
            }
        }
    }

    /** Unpacks {@code archive} into the directory {@code target} of {@code volume}, keeping to {@code space}. */
    void unpack(InputStream archive, VolumeFiles volume, String target, SpaceLeft space) throws IOException {
        // Archives list a directory's files together: its descriptor is kept for the next entry.
        String parentPath = null;
        VolumeEntry parent = null;
        try (InputStream in = new BufferedInputStream(archive);
             ArchiveInputStream<? extends ArchiveEntry> entries = format.startsWith("zip")
                     ? new ZipArchiveInputStream(in) : new TarArchiveInputStream(decompressed(in))) {
            ArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path relative = Path.of(entry.getName().replaceAll("^/+", "")).normalize();
                if (relative.startsWith("..") || relative.isAbsolute()) {
                    throw new IOException("the archive entry " + entry.getName() + " points outside " + target);
                }
                String inside = relative.toString().equals(".") ? "" : relative.toString();
                String path = target.isEmpty() ? inside : inside.isEmpty() ? target : target + "/" + inside;
                if (entry.isDirectory()) {
                    space.take(ENTRY_BYTES);
                    volume.directories(path, GuestAccess.DIRECTORY).close();
                } else if (regular(entry) && !inside.isEmpty() && selected(relative)) {
                    space.take(ENTRY_BYTES);
                    int slash = path.lastIndexOf('/');
                    String dir = slash < 0 ? "" : path.substring(0, slash);
                    if (!dir.equals(parentPath)) {
                        if (parent != null) {
                            parent.close();
                            parent = null;
                        }
                        parent = volume.directories(dir, GuestAccess.DIRECTORY);
                        parentPath = dir;
                    }
                    try (VolumeEntry.NewFile file = parent.createTemp("unpack")) {
                        space.copy(entries, file.channel());
                        file.commit(path.substring(slash + 1), GuestAccess.file(executable(entry)));
                    }
                }
            }
        } finally {
            if (parent != null) {
                parent.close();
            }
        }
    }

    /** A regular file's entry: links, hard links, devices and FIFOs are not unpacked. */
    private static boolean regular(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar) {
            // isFile() alone also says yes to a symlink entry: every special kind is ruled out by name.
            return tar.isFile() && !tar.isSymbolicLink() && !tar.isLink() && !tar.isCharacterDevice()
                    && !tar.isBlockDevice() && !tar.isFIFO();
        }
        return !(entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink());
    }

    /** Whether the archive marks the entry executable by its owner (zip entries from Unix carry the mode too). */
    private static boolean executable(ArchiveEntry entry) {
        int mode = entry instanceof TarArchiveEntry tar ? tar.getMode()
                : entry instanceof ZipArchiveEntry zip ? zip.getUnixMode() : 0;
        return (mode & 0100) != 0;
    }

    /** A file or symlink to pack, by its path relative to the packed directory. */
    private record Member(String path, VolumeEntry.Kind kind) {
    }

    private void collect(VolumeEntry dir, String prefix, int level, List<Member> members) throws IOException {
        for (String name : dir.names()) {
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            try (VolumeEntry child = dir.child(name)) {
                switch (child.kind()) {
                    case DIRECTORY -> {
                        if (depth.isEmpty() || level < depth.get()) {
                            collect(child, path, level + 1, members);
                        }
                    }
                    case FILE, SYMLINK -> {
                        if (selected(Path.of(path))) {
                            members.add(new Member(path, child.kind()));
                        }
                    }
                    case OTHER -> {
                        // FIFOs, devices and sockets have no content to pack.
                    }
                }
            }
        }
    }

    /** Opens a member again below {@code dir}: it is the descriptor, not the name seen while listing, that is read. */
    private static VolumeEntry open(VolumeEntry dir, String path) throws IOException {
        String[] names = path.split("/");
        VolumeEntry current = dir.child(names[0]);
        for (int i = 1; i < names.length; i++) {
            VolumeEntry next = current.child(names[i]);
            current.close();
            current = next;
        }
        return current;
    }

    private void packZip(VolumeEntry dir, List<Member> members, OutputStream out) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setLevel(format.length() > 4 ? Character.digit(format.charAt(4), 10) : Deflater.DEFAULT_COMPRESSION);
            for (Member member : members) {
                try (VolumeEntry entry = open(dir, member.path())) {
                    ZipArchiveEntry zipEntry = new ZipArchiveEntry(member.path());
                    if (entry.kind() == VolumeEntry.Kind.SYMLINK) {
                        // Info-ZIP's convention: a symlink's mode is S_IFLNK and its content the target.
                        zipEntry.setUnixMode(0120777);
                        zip.putArchiveEntry(zipEntry);
                        zip.write(entry.linkTarget().getBytes(StandardCharsets.UTF_8));
                    } else if (entry.kind() == VolumeEntry.Kind.FILE) {
                        zipEntry.setUnixMode(0100000 | entry.permissions());
                        zip.putArchiveEntry(zipEntry);
                        try (FileChannel in = entry.openRead()) {
                            in.transferTo(0, Long.MAX_VALUE, Channels.newChannel(zip));
                        }
                    } else {
                        continue;
                    }
                    zip.closeArchiveEntry();
                }
            }
        }
    }

    private void packTar(VolumeEntry dir, List<Member> members, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member member : members) {
                try (VolumeEntry entry = open(dir, member.path())) {
                    if (entry.kind() == VolumeEntry.Kind.SYMLINK) {
                        TarArchiveEntry link = new TarArchiveEntry(member.path(), TarConstants.LF_SYMLINK);
                        link.setLinkName(entry.linkTarget());
                        link.setMode(0120777);
                        tar.putArchiveEntry(link);
                    } else if (entry.kind() == VolumeEntry.Kind.FILE) {
                        try (FileChannel in = entry.openRead()) {
                            TarArchiveEntry file = new TarArchiveEntry(member.path());
                            file.setMode(0100000 | entry.permissions());
                            file.setSize(in.size());
                            tar.putArchiveEntry(file);
                            long copied = in.transferTo(0, in.size(), Channels.newChannel(tar));
                            if (copied != file.getSize()) {
                                throw new IOException(member.path() + " changed size while it was packed");
                            }
                        }
                    } else {
                        continue;
                    }
                    tar.closeArchiveEntry();
                }
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
