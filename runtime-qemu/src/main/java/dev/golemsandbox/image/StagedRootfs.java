package dev.golemsandbox.image;

import dev.golemsandbox.image.StagedEntry.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * An image root filesystem being assembled from layers in a temp directory, before mksquashfs
 * packs it. Files, directories, symlinks and hard links are written to disk without changing
 * owners (so no root is needed); modes, owners and device nodes are kept in a table and handed
 * to mksquashfs as pseudo definitions, times are set on disk.
 *
 * <p>Layers are applied in order: {@link #beginLayer} then {@link #apply} for each entry. Whiteouts
 * ({@code .wh.<name>}) and opaque markers ({@code .wh..wh..opq}) hide what lower layers put there.
 * Nothing is ever written outside the staging directory: absolute names, {@code ..} and symlinks
 * that lead out of the root are refused. Every entry and the size of every file is charged to an
 * {@link ExtractionBudget}. {@link #close} deletes the directory.
 *
 * <pre>{@code
 * try (StagedRootfs rootfs = StagedRootfs.createIn(workDir, ExtractionLimits.DEFAULTS)) {
 *     rootfs.beginLayer("layer 1/3");
 *     rootfs.apply(tarEntry, tarStream);
 *     mksquashfs = rootfs.configure(mksquashfs);
 * }
 * }</pre>
 */
final class StagedRootfs implements Closeable {

    private static final int MAX_SYMLINK_FOLLOWS = 40;
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT_META = ".wh..wh.";

    private final Path root;
    private final ExtractionBudget budget;
    private final TreeMap<String, StagedEntry> entries = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Set<String> currentLayer = new HashSet<>();
    private String layerName = "image";
    private StagedEntry rootEntry = StagedEntry.impliedDirectory(0);

    private StagedRootfs(Path root, ExtractionLimits limits) {
        this.root = root;
        this.budget = new ExtractionBudget(limits);
    }

    /** A new, empty staging directory under {@code parent}, refusing more than {@code limits}. */
    static StagedRootfs createIn(Path parent, ExtractionLimits limits) throws IOException {
        Files.createDirectories(parent);
        return new StagedRootfs(Files.createTempDirectory(parent, ".gvmi-staging-"), limits);
    }

    /** What all layers applied so far have used of the limits. */
    ExtractionBudget budget() {
        return budget;
    }

    Path directory() {
        return root;
    }

    /** Entries applied from now on belong to a new layer, named in error messages. */
    void beginLayer(String name) {
        layerName = name;
        currentLayer = new HashSet<>();
    }

    /** Whether the image has anything below the absolute directory {@code path}. */
    boolean hasEntriesUnder(String path) {
        String key = String.join("/", pathNames(path));
        return !descendants(key).isEmpty();
    }

    /** Things about the image the user should know (skipped entries, ...). */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Applies one tar entry of the current layer.
     *
     * @param content the entry's data (read only for regular files)
     * @throws ImageConversionException for an entry that would land outside the root, a hard link
     *         to nothing, or a path through a non-directory
     */
    void apply(TarArchiveEntry entry, InputStream content) throws ImageConversionException, IOException {
        String name = entry.getName();
        EntryPath path = EntryPath.ofEntryName(name, layerName);
        budget.chargeEntry(layerName, name);
        if (path.isRoot()) {
            if (entry.isDirectory()) {
                rootEntry = StagedEntry.of(Kind.DIRECTORY, entry);
            }
            return;
        }
        if (path.fileName().startsWith(WHITEOUT)) {
            applyWhiteout(path, name);
            return;
        }
        EntryPath parent = resolveDirectory(path.parent(), name, true).orElseThrow();
        EntryPath target = parent.resolve(path.fileName());
        Path onDisk = onDisk(target, name);
        if (entry.isDirectory()) {
            clear(target, onDisk, true);
            if (!Files.isDirectory(onDisk, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(onDisk);
            }
            record(target, StagedEntry.of(Kind.DIRECTORY, entry));
        } else if (entry.isSymbolicLink()) {
            clear(target, onDisk, false);
            Files.createSymbolicLink(onDisk, Path.of(entry.getLinkName()));
            record(target, StagedEntry.of(Kind.SYMLINK, entry));
        } else if (entry.isLink()) {
            applyHardLink(entry, target, onDisk);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            clear(target, onDisk, false);
            Kind kind = entry.isFIFO() ? Kind.FIFO : entry.isCharacterDevice() ? Kind.CHAR_DEVICE : Kind.BLOCK_DEVICE;
            record(target, StagedEntry.of(kind, entry));
        } else if (entry.isFile()) {
            // Charged before anything is written: a sparse file's holes become real bytes on disk.
            budget.chargeFile(layerName, name, entry.isSparse() ? Math.max(entry.getRealSize(), entry.getSize()) : entry.getSize());
            clear(target, onDisk, false);
            try (OutputStream out = Files.newOutputStream(onDisk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.transferTo(out);
            }
            record(target, StagedEntry.of(Kind.FILE, entry));
        } else {
            warnings.add(layerName + ": skipped '" + name + "', a tar entry of a kind an image cannot hold");
        }
    }

    /**
     * Writes the pseudo definitions (owners, modes, times, devices) next to the staging directory
     * and returns {@code mksquashfs} set up to pack this root with them.
     */
    Mksquashfs configure(Mksquashfs mksquashfs) throws ImageConversionException, IOException {
        setTimesOnDisk();
        Path pseudo = root.resolveSibling(root.getFileName() + ".pseudo");
        PseudoDefinitions.write(pseudo, entries);
        return mksquashfs.withPseudoFile(pseudo)
                .withRootAttributes(new Mksquashfs.RootAttributes(rootEntry.mode(), rootEntry.uid(), rootEntry.gid(), rootEntry.mtime()));
    }

    /**
     * Gives staged files, directories and symlinks their image times on disk, where mksquashfs
     * reads them (the pseudo definitions that would carry times are broken in squashfs-tools 4.5).
     */
    private void setTimesOnDisk() throws IOException {
        for (Map.Entry<String, StagedEntry> e : entries.entrySet()) {
            if (e.getValue().kind().virtual()) {
                continue;
            }
            FileTime time = FileTime.fromMillis(Mksquashfs.clampTime(e.getValue().mtime()) * 1000);
            try {
                Files.getFileAttributeView(root.resolve(e.getKey()), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(time, null, null);
            } catch (IOException ignored) {
                // A file system that cannot time symlinks: the image gets the staging time for it.
            }
        }
    }

    /** Deletes the staging directory and the pseudo definitions. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(root.resolveSibling(root.getFileName() + ".pseudo"));
        deleteTree(root);
    }

    private void applyWhiteout(EntryPath path, String name) throws ImageConversionException, IOException {
        String marker = path.fileName();
        boolean hidesOneName = !marker.equals(OPAQUE) && !marker.startsWith(WHITEOUT_META);
        String hiddenName = marker.substring(WHITEOUT.length());
        if (hidesOneName && !isPlainName(hiddenName)) {
            throw new ImageConversionException(layerName + ": refused whiteout '" + name + "': '" + hiddenName
                    + "' names no entry beside it (hiding it would delete its own directory or what lies above it)");
        }
        Optional<EntryPath> parent = resolveDirectory(path.parent(), name, false);
        if (parent.isEmpty()) {
            return;
        }
        if (marker.equals(OPAQUE)) {
            hideLowerContent(parent.get().key());
        } else if (hidesOneName) {
            EntryPath hidden = parent.get().resolve(hiddenName);
            // A whiteout hides lower layers only; what this layer itself wrote stays.
            if (!currentLayer.contains(hidden.key())) {
                clear(hidden, onDisk(hidden, name), false);
            }
        }
    }

    /** A single file name: not empty, not {@code .} or {@code ..}, no slash. */
    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0;
    }

    /** An opaque directory: everything lower layers put below it goes, this layer's entries stay. */
    private void hideLowerContent(String directoryKey) throws IOException {
        List<String> lower = new ArrayList<>();
        for (String key : descendants(directoryKey).descendingKeySet()) {
            if (!currentLayer.contains(key)) {
                lower.add(key);
            }
        }
        for (String key : lower) {
            Path file = root.resolve(key);
            StagedEntry entry = entries.get(key);
            if (entry != null && !entry.kind().virtual()) {
                try {
                    requireInside(file);
                    Files.deleteIfExists(file);
                } catch (DirectoryNotEmptyException e) {
                    continue;  // holds entries of this layer: the directory stays, its lower content is gone
                }
            }
            entries.remove(key);
        }
    }

    private void applyHardLink(TarArchiveEntry entry, EntryPath target, Path onDisk) throws ImageConversionException, IOException {
        String name = entry.getName();
        EntryPath linked = EntryPath.ofHardLinkTarget(entry.getLinkName(), name, layerName);
        if (linked.isRoot()) {
            throw new ImageConversionException(layerName + ": refused hard link '" + name + "' to the image root");
        }
        Optional<EntryPath> linkedParent = resolveDirectory(linked.parent(), name, false);
        EntryPath existing = linkedParent.map(p -> p.resolve(linked.fileName())).orElse(null);
        StagedEntry existingEntry = existing == null ? null : entries.get(existing.key());
        if (existingEntry == null || existingEntry.kind() == Kind.DIRECTORY) {
            throw new ImageConversionException(layerName + ": hard link '" + name + "' points to '" + entry.getLinkName()
                    + "', which is not a file in the image");
        }
        if (existing.equals(target)) {
            return;
        }
        clear(target, onDisk, false);
        if (!existingEntry.kind().virtual()) {
            Files.createLink(onDisk, root.resolve(existing.key()));
        }
        record(target, existingEntry);
    }

    /**
     * The real location of an image directory: each name is looked up in the staging tree, and a
     * symlink on the way is followed as the image would see it (absolute targets from the image
     * root), never out of the root. Missing directories are created when {@code create}, else the
     * answer is empty.
     */
    private Optional<EntryPath> resolveDirectory(EntryPath directory, String entryName, boolean create)
            throws ImageConversionException, IOException {
        Deque<String> pending = new ArrayDeque<>(directory.names());
        List<String> real = new ArrayList<>();
        String lastLink = null;
        int follows = 0;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (real.isEmpty()) {
                    throw new ImageConversionException(layerName + ": refused entry '" + entryName
                            + "': it goes through the symlink " + lastLink + ", which points outside the image root");
                }
                real.remove(real.size() - 1);
                continue;
            }
            real.add(name);
            String key = String.join("/", real);
            Path file = onDisk(new EntryPath(real), entryName);
            BasicFileAttributes attributes = attributes(file);
            if (attributes == null) {
                if (entries.containsKey(key)) {
                    throw notADirectory(entryName, key);
                }
                if (!create) {
                    return Optional.empty();
                }
                Files.createDirectory(file);
                entries.put(key, StagedEntry.impliedDirectory(rootEntry.mtime()));
                currentLayer.add(key);
            } else if (attributes.isSymbolicLink()) {
                if (++follows > MAX_SYMLINK_FOLLOWS) {
                    throw new ImageConversionException(layerName + ": refused entry '" + entryName
                            + "': too many levels of symlinks below /" + key);
                }
                String linkTarget = Files.readSymbolicLink(file).toString();
                lastLink = "'/" + key + "' -> '" + EntryPath.printable(linkTarget) + "'";
                real.remove(real.size() - 1);
                if (linkTarget.startsWith("/")) {
                    real.clear();
                }
                List<String> targetNames = List.of(linkTarget.split("/", -1));
                for (int i = targetNames.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetNames.get(i));
                }
            } else if (!attributes.isDirectory()) {
                throw notADirectory(entryName, key);
            }
        }
        return Optional.of(new EntryPath(real));
    }

    private ImageConversionException notADirectory(String entryName, String key) {
        return new ImageConversionException(layerName + ": cannot place '" + entryName + "': /" + key + " is not a directory");
    }

    /** Removes whatever is at {@code path} (unless both old and new are directories), with its table entries. */
    private void clear(EntryPath path, Path onDisk, boolean keepDirectory) throws IOException {
        BasicFileAttributes attributes = attributes(onDisk);
        if (attributes != null) {
            if (attributes.isDirectory()) {
                if (keepDirectory) {
                    return;
                }
                requireInside(onDisk);
                deleteTree(onDisk);
            } else {
                requireInside(onDisk);
                Files.delete(onDisk);
            }
        }
        String key = path.key();
        entries.remove(key);
        descendants(key).clear();
    }

    private void record(EntryPath path, StagedEntry entry) {
        entries.put(path.key(), entry);
        currentLayer.add(path.key());
    }

    /** The table entries strictly below {@code key} ("" is the root), as a live view. */
    private NavigableMap<String, StagedEntry> descendants(String key) {
        if (key.isEmpty()) {
            return entries;
        }
        // '0' follows '/' in ASCII, so this range is exactly the keys that start with key + "/".
        return entries.subMap(key + "/", true, key + "0", false);
    }

    private Path onDisk(EntryPath path, String entryName) throws ImageConversionException {
        try {
            return path.isRoot() ? root : root.resolve(path.key());
        } catch (InvalidPathException e) {
            throw new ImageConversionException(layerName + ": cannot write '" + entryName + "' under the file name encoding "
                    + System.getProperty("sun.jnu.encoding") + "; run with a UTF-8 locale (LANG=C.UTF-8)");
        }
    }

    /**
     * Checks, before a delete, that {@code file} lies strictly below the staging root through real
     * directories: no {@code .} or {@code ..} name, no symlink on the way (none is followed).
     */
    private void requireInside(Path file) throws IOException {
        Path relative = file.startsWith(root) ? root.relativize(file) : null;
        boolean inside = relative != null && !relative.toString().isEmpty();
        Path directory = root;
        for (int i = 0; inside && i < relative.getNameCount(); i++) {
            String name = relative.getName(i).toString();
            inside = isPlainName(name);
            if (inside && i < relative.getNameCount() - 1) {
                directory = directory.resolve(name);
                BasicFileAttributes attributes = attributes(directory);
                inside = attributes != null && attributes.isDirectory() && !attributes.isSymbolicLink();
            }
        }
        if (!inside) {
            throw new IOException("refused to delete " + file + ": it is not inside the staging directory " + root);
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<String> pathNames(String absolute) {
        List<String> names = new ArrayList<>();
        for (String name : absolute.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Deletes a directory tree without following symlinks out of it. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
