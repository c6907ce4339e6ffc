package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.volume.VolumeEntry;
import dev.golemsandbox.volume.VolumeFiles;
import dev.golemsandbox.volume.VolumePath;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code transfer} command: copies a file from one end to the other, where an end is a
 * path in the VM (in one of its volumes, reached only through {@link VolumeFiles}, which follows
 * no link), the requestor's gftp service, or a loopback HTTP URL. With a {@code format}, a
 * directory is packed into an archive or an archive unpacked into a directory. Whatever is
 * written into the VM appears whole or not at all (temp file, then rename; only a transfer an
 * injected fault breaks off leaves what arrived, as a provider's does), and no more than the
 * activity's storage allows; nothing is held whole in memory. When the activity is recorded, what
 * crosses the requestor's end passes through a scratch copy of the sandbox's own that is hashed:
 * an upload is kept in the blob store, a download is known by its hash.
 */
public final class TransferRunner {

    private final GftpClient gftp;
    private final LoopbackHttp http;

    public TransferRunner(GftpClient gftp, LoopbackHttp http) {
        this.gftp = gftp;
        this.http = http;
    }

    /** Writes a new file's content into {@code out}, keeping to {@code space}. */
    @FunctionalInterface
    private interface Content {
        void writeTo(FileChannel out, SpaceLeft space) throws IOException, InterruptedException;
    }

    /** Runs {@code transfer} on {@code unit}'s volumes, recording nothing. */
    public void transfer(ExeUnit unit, Path scratchDir, ExeCommand.Transfer transfer)
            throws TransferFailedException, InterruptedException {
        transfer(unit, scratchDir, transfer, Optional.empty());
    }

    /**
     * Runs {@code transfer} on {@code unit}'s volumes; {@code scratchDir} holds what passes through
     * the provider (e.g. a gftp download on its way to an HTTP upload).
     *
     * @param keepUploads where a recorded activity's uploads go; empty when it is not recorded
     * @return the file that crossed the requestor's end, when recorded and one did
     * @throws TransferFailedException with the message the requestor sees
     */
    public Optional<TransferredFile> transfer(ExeUnit unit, Path scratchDir, ExeCommand.Transfer transfer,
                                              Optional<BlobStore> keepUploads)
            throws TransferFailedException, InterruptedException {
        return transfer(unit, scratchDir, transfer, keepUploads, TransferFaults.NONE);
    }

    /**
     * As {@link #transfer(ExeUnit, Path, ExeCommand.Transfer, Optional)}, with {@code faults}
     * injected: on a full disk nothing is written into a volume; a transfer that breaks off moves
     * at most that many bytes and fails with a reset connection, leaving what arrived.
     */
    public Optional<TransferredFile> transfer(ExeUnit unit, Path scratchDir, ExeCommand.Transfer transfer,
                                              Optional<BlobStore> keepUploads, TransferFaults faults)
            throws TransferFailedException, InterruptedException {
        TransferUrl from = TransferUrl.parse(transfer.from());
        TransferUrl to = TransferUrl.parse(transfer.to());
        if (faults.diskFull() && to.scheme() == TransferUrl.Scheme.CONTAINER) {
            throw new TransferFailedException(ExeUnitErrors.NO_SPACE);
        }
        List<Path> scratch = new ArrayList<>();
        boolean recorded = keepUploads.isPresent();
        try {
            boolean crossesRequestorEnd = from.scheme() != TransferUrl.Scheme.CONTAINER || to.scheme() != TransferUrl.Scheme.CONTAINER;
            OptionalLong breaksAfter = crossesRequestorEnd ? faults.breaksAfter().get() : OptionalLong.empty();
            if (breaksAfter.isPresent()) {
                breakOff(unit, scratchDir, scratch, transfer, from, to, breaksAfter.getAsLong());
            }
            SpaceLeft space = new SpaceLeft(unit.volumeBytesLeft());
            if (transfer.format().isPresent()) {
                TransferArchive archive = new TransferArchive(transfer.format().get(), transfer.depth(),
                        transfer.fileSet());
                if (from.scheme() == TransferUrl.Scheme.CONTAINER) {
                    VolumePath source = unit.volumePathOf(from.target());
                    try (VolumeFiles volume = VolumeFiles.open(source.volumeDir());
                         VolumeEntry entry = existing(volume, source, from)) {
                        if (entry.kind() == VolumeEntry.Kind.DIRECTORY) {
                            Path packed = scratchFile(scratchDir, scratch);
                            try (OutputStream out = Files.newOutputStream(packed)) {
                                archive.pack(entry, out);
                            }
                            Optional<TransferredFile> sent = recorded && to.scheme() != TransferUrl.Scheme.CONTAINER
                                    ? Optional.of(new TransferredFile(TransferredFile.Direction.DOWNLOAD, ContentHash.of(packed)))
                                    : Optional.empty();
                            try (FileChannel in = FileChannel.open(packed, StandardOpenOption.READ)) {
                                deliver(in, false, to, unit, space, nameOf(from) + "." + archive.extension());
                            }
                            return sent;
                        } else {
                            try (FileChannel in = entry.openRead()) {
                                unpack(archive, in, unit, to, space);
                            }
                            return Optional.empty();
                        }
                    }
                } else {
                    Path copy = scratchFile(scratchDir, scratch);
                    fetch(from, copy, space);
                    Optional<TransferredFile> kept = keep(keepUploads, copy);
                    try (FileChannel in = FileChannel.open(copy, StandardOpenOption.READ)) {
                        unpack(archive, in, unit, to, space);
                    }
                    return kept;
                }
            } else if (from.scheme() != TransferUrl.Scheme.CONTAINER && to.scheme() == TransferUrl.Scheme.CONTAINER) {
                if (!recorded) {
                    write(unit, to, nameOf(from), false, space, (out, left) -> fetch(from, out, left));
                    return Optional.empty();
                }
                // Recorded: fetched into a file of the sandbox's own first, so the blob is exactly what the requestor sent.
                Path copy = scratchFile(scratchDir, scratch);
                fetch(from, copy, space);
                Optional<TransferredFile> kept = keep(keepUploads, copy);
                try (FileChannel in = FileChannel.open(copy, StandardOpenOption.READ)) {
                    write(unit, to, nameOf(from), false, new SpaceLeft(unit.volumeBytesLeft()), (out, left) -> left.copy(in, out));
                }
                return kept;
            } else if (from.scheme() == TransferUrl.Scheme.CONTAINER) {
                VolumePath source = unit.volumePathOf(from.target());
                try (VolumeFiles volume = VolumeFiles.open(source.volumeDir());
                     VolumeEntry entry = existing(volume, source, from)) {
                    if (entry.kind() == VolumeEntry.Kind.DIRECTORY) {
                        throw new TransferFailedException("transfer failed: " + from.target()
                                + " is a directory; give a \"format\" (e.g. \"tar.gz\") to pack it");
                    }
                    try (FileChannel in = entry.openRead()) {
                        if (!recorded || to.scheme() == TransferUrl.Scheme.CONTAINER) {
                            deliver(in, entry.executable(), to, unit, space, nameOf(from));
                            return Optional.empty();
                        }
                        // Recorded: a snapshot of the guest's file is both what is hashed and what is sent.
                        Path copy = scratchFile(scratchDir, scratch);
                        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                            // The guest may shrink the file meanwhile: the snapshot ends where its content does.
                            long size = in.size();
                            for (long at = 0, moved = 1; at < size && moved > 0; at += moved) {
                                moved = in.transferTo(at, size - at, out);
                            }
                        }
                        ContentHash hash = ContentHash.of(copy);
                        try (FileChannel snapshot = FileChannel.open(copy, StandardOpenOption.READ)) {
                            deliver(snapshot, entry.executable(), to, unit, space, nameOf(from));
                        }
                        return Optional.of(new TransferredFile(TransferredFile.Direction.DOWNLOAD, hash));
                    }
                }
            } else {
                Path copy = scratchFile(scratchDir, scratch);
                fetch(from, copy, space);
                try (FileChannel in = FileChannel.open(copy, StandardOpenOption.READ)) {
                    deliver(in, false, to, unit, space, nameOf(from));
                }
                return Optional.empty();
            }
        } catch (ExeUnitException | IOException e) {
            throw new TransferFailedException("transfer failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            scratch.forEach(TransferRunner::deleteQuietly);
        }
    }

    /**
     * A transfer whose connection to the requestor is reset after {@code afterBytes}: the source
     * is taken whole into a scratch file, cut to those bytes, and only they move. Into the VM they
     * land at the destination's name, as ya-transfer leaves what arrived (to resume it); to the
     * requestor they go without the end of the file (no gftp {@code UploadFinished}, an HTTP body
     * shorter than its length). Always throws, with the exe-unit's text for a reset connection.
     */
    private void breakOff(ExeUnit unit, Path scratchDir, List<Path> scratch, ExeCommand.Transfer transfer,
                          TransferUrl from, TransferUrl to, long afterBytes)
            throws IOException, ExeUnitException, InterruptedException, TransferFailedException {
        Path part = scratchFile(scratchDir, scratch);
        if (from.scheme() == TransferUrl.Scheme.CONTAINER) {
            VolumePath source = unit.volumePathOf(from.target());
            try (VolumeFiles volume = VolumeFiles.open(source.volumeDir());
                 VolumeEntry entry = existing(volume, source, from)) {
                if (entry.kind() == VolumeEntry.Kind.DIRECTORY) {
                    if (transfer.format().isEmpty()) {
                        throw new TransferFailedException("transfer failed: " + from.target()
                                + " is a directory; give a \"format\" (e.g. \"tar.gz\") to pack it");
                    }
                    try (OutputStream out = Files.newOutputStream(part)) {
                        new TransferArchive(transfer.format().get(), transfer.depth(), transfer.fileSet()).pack(entry, out);
                    }
                } else {
                    try (FileChannel in = entry.openRead();
                         FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                        new SpaceLeft(Long.MAX_VALUE).copy(in, out);
                    }
                }
            }
        } else {
            fetch(from, part, new SpaceLeft(unit.volumeBytesLeft()));
        }
        long whole = Files.size(part);
        long moved = Math.min(whole, afterBytes);
        try (FileChannel cut = FileChannel.open(part, StandardOpenOption.WRITE)) {
            cut.truncate(moved);
        }
        TransferUrl remote = to.scheme() == TransferUrl.Scheme.CONTAINER ? from : to;
        try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
            switch (to.scheme()) {
                case CONTAINER -> {
                    if (transfer.format().isPresent()) {
                        TransferArchive archive = new TransferArchive(transfer.format().get(), transfer.depth(), transfer.fileSet());
                        try {
                            unpack(archive, in, unit, to, new SpaceLeft(unit.volumeBytesLeft()));
                        } catch (IOException e) {
                            // A cut archive ends early: what was unpacked before the cut stays, as ya-transfer's extraction leaves it.
                        }
                    } else {
                        write(unit, to, nameOf(from), false, new SpaceLeft(unit.volumeBytesLeft()), (out, left) -> left.copy(in, out));
                    }
                }
                case GFTP -> gftp.sendUnfinished(in, to);
                // The length announced is more than what is sent even when the cut comes after the last byte.
                case HTTP -> http.uploadCut(in, to.uri(), Math.max(whole, moved + 1));
            }
        }
        throw new TransferFailedException(ExeUnitErrors.connectionReset(remote));
    }

    /** Keeps an upload's content in the blob store of a recorded activity. */
    private static Optional<TransferredFile> keep(Optional<BlobStore> blobs, Path copy) throws IOException {
        if (blobs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TransferredFile(TransferredFile.Direction.UPLOAD, blobs.get().put(copy)));
    }

    /** The entry a source path names; a missing one is the requestor's "no such file". */
    private static VolumeEntry existing(VolumeFiles volume, VolumePath path, TransferUrl url)
            throws IOException, TransferFailedException {
        try {
            return volume.resolve(path.relative());
        } catch (NoSuchFileException e) {
            throw new TransferFailedException("transfer failed: no such file in the container: " + url.target());
        }
    }

    private static void unpack(TransferArchive archive, FileChannel in, ExeUnit unit, TransferUrl to, SpaceLeft space)
            throws IOException, ExeUnitException, TransferFailedException {
        if (to.scheme() != TransferUrl.Scheme.CONTAINER) {
            throw new TransferFailedException("transfer failed: with \"format\", either \"from\" is a"
                    + " directory in the container (to pack it) or \"to\" is one (to unpack into it)");
        }
        VolumePath target = unit.volumePathOf(to.target());
        try (VolumeFiles volume = VolumeFiles.open(target.volumeDir())) {
            volume.directories(target.relative(), GuestAccess.DIRECTORY).close();
            archive.unpack(Channels.newInputStream(in), volume, target.relative(), space);
        }
    }

    private static Path scratchFile(Path scratchDir, List<Path> scratch) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(scratchDir), "transfer-", ".part");
        scratch.add(file);
        return file;
    }

    /**
     * Writes a file into the VM: at the path itself, or inside it when it names a directory; its
     * missing parents are made, and it replaces what was at its name only once it is complete.
     */
    private static void write(ExeUnit unit, TransferUrl to, String sourceName, boolean executable, SpaceLeft space,
                              Content content) throws IOException, ExeUnitException, InterruptedException {
        VolumePath target = unit.volumePathOf(to.target());
        try (VolumeFiles volume = VolumeFiles.open(target.volumeDir())) {
            VolumePath file = to.target().endsWith("/") || isDirectory(volume, target) ? target.resolve(sourceName) : target;
            if (file.relative().isEmpty()) {
                throw new IOException(to.target() + " is a volume, not a file");
            }
            try (VolumeEntry parent = volume.directories(file.parent(), GuestAccess.DIRECTORY);
                 VolumeEntry.NewFile temp = parent.createTemp("transfer")) {
                content.writeTo(temp.channel(), space);
                temp.commit(file.name(), GuestAccess.file(executable));
            }
        }
    }

    private static boolean isDirectory(VolumeFiles volume, VolumePath path) throws IOException {
        try (VolumeEntry entry = volume.resolve(path.relative())) {
            return entry.kind() == VolumeEntry.Kind.DIRECTORY;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Fetches a remote file into a scratch file of the sandbox's own. */
    private void fetch(TransferUrl from, Path file, SpaceLeft space) throws IOException, InterruptedException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            fetch(from, out, space);
        }
    }

    private void fetch(TransferUrl from, FileChannel out, SpaceLeft space) throws IOException, InterruptedException {
        if (from.scheme() == TransferUrl.Scheme.GFTP) {
            gftp.fetch(from, out, space.bytes());
            space.take(out.size());
        } else {
            http.download(from.uri(), out, null, space.bytes());
            space.take(out.size());
        }
    }

    private void deliver(FileChannel source, boolean executable, TransferUrl to, ExeUnit unit, SpaceLeft space,
                         String sourceName) throws IOException, InterruptedException, ExeUnitException {
        switch (to.scheme()) {
            case CONTAINER -> write(unit, to, sourceName, executable, space, (out, left) -> left.copy(source, out));
            case GFTP -> gftp.send(source, to);
            case HTTP -> http.upload(source, to.uri());
        }
    }

    /** The file name a source gives a copy dropped into a directory. */
    private static String nameOf(TransferUrl from) {
        String path = from.scheme() == TransferUrl.Scheme.CONTAINER ? from.target() : from.uri().getPath();
        String trimmed = path == null ? "" : path.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isEmpty() ? "download" : name;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Scratch space of the activity: its directory is deleted when the activity is destroyed.
        }
    }
}
