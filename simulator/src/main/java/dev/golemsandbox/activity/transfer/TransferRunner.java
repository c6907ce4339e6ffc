package dev.golemsandbox.activity.transfer;

import static java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.home.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code transfer} command: copies a file from one end to the other, where an end is a
 * path in the VM (mapped to its volume's host directory), the requestor's gftp service, or a
 * loopback HTTP URL. With a {@code format}, a directory is packed into an archive or an archive
 * unpacked into a directory. Whatever is written into the VM appears whole or not at all (temp
 * file, then rename); nothing is held whole in memory.
 */
public final class TransferRunner {

    private final GftpClient gftp;
    private final LoopbackHttp http;

    public TransferRunner(GftpClient gftp, LoopbackHttp http) {
        this.gftp = gftp;
        this.http = http;
    }

    /**
     * Runs {@code transfer} on {@code unit}'s volumes; {@code scratchDir} holds what passes through
     * the provider (e.g. a gftp download on its way to an HTTP upload).
     *
     * @throws TransferFailedException with the message the requestor sees
     */
    public void transfer(ExeUnit unit, Path scratchDir, ExeCommand.Transfer transfer)
            throws TransferFailedException, InterruptedException {
        TransferUrl from = TransferUrl.parse(transfer.from());
        TransferUrl to = TransferUrl.parse(transfer.to());
        List<Path> scratch = new ArrayList<>();
        try {
            if (transfer.format().isPresent()) {
                Path source = local(scratchDir, from, unit, scratch);
                TransferArchive archive = new TransferArchive(transfer.format().get(), transfer.depth(),
                        transfer.fileSet());
                if (Files.isDirectory(source)) {
                    Path packed = scratchFile(scratchDir, scratch);
                    archive.pack(source, packed);
                    deliver(packed, to, unit, source.getFileName() + "." + archive.extension());
                } else if (to.scheme() == TransferUrl.Scheme.CONTAINER) {
                    archive.unpack(source, GuestAccess.createDirectories(unit.hostPathOf(to.target())));
                } else {
                    throw new TransferFailedException("transfer failed: with \"format\", either \"from\" is a"
                            + " directory in the container (to pack it) or \"to\" is one (to unpack into it)");
                }
            } else if (from.scheme() != TransferUrl.Scheme.CONTAINER && to.scheme() == TransferUrl.Scheme.CONTAINER) {
                Path target = containerTarget(unit, to, nameOf(from));
                Path temp = AtomicFile.tempBeside(target);
                scratch.add(temp);
                fetch(from, temp);
                GuestAccess.open(temp, false);
                AtomicFile.commit(temp, target);
            } else {
                Path source = local(scratchDir, from, unit, scratch);
                if (Files.isDirectory(source)) {
                    throw new TransferFailedException("transfer failed: " + from.target()
                            + " is a directory; give a \"format\" (e.g. \"tar.gz\") to pack it");
                }
                deliver(source, to, unit, nameOf(from));
            }
        } catch (ExeUnitException | IOException e) {
            throw new TransferFailedException("transfer failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            scratch.forEach(TransferRunner::deleteQuietly);
        }
    }

    /** The source as a host path: the volume file behind a container path, or a scratch copy of a remote file. */
    private Path local(Path scratchDir, TransferUrl from, ExeUnit unit, List<Path> scratch)
            throws IOException, InterruptedException, ExeUnitException, TransferFailedException {
        if (from.scheme() == TransferUrl.Scheme.CONTAINER) {
            Path source = unit.hostPathOf(from.target());
            if (!Files.exists(source)) {
                throw new TransferFailedException("transfer failed: no such file in the container: " + from.target());
            }
            return source;
        }
        Path copy = scratchFile(scratchDir, scratch);
        fetch(from, copy);
        return copy;
    }

    private static Path scratchFile(Path scratchDir, List<Path> scratch) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(scratchDir), "transfer-", ".part");
        scratch.add(file);
        return file;
    }

    /** Where a file lands in the VM: the path itself, or inside it when it names a directory. */
    private static Path containerTarget(ExeUnit unit, TransferUrl to, String sourceName)
            throws ExeUnitException, IOException {
        Path target = unit.hostPathOf(to.target());
        if (to.target().endsWith("/") || Files.isDirectory(target)) {
            target = target.resolve(sourceName);
        }
        GuestAccess.createDirectories(target.getParent());
        return target;
    }

    private void fetch(TransferUrl from, Path file) throws IOException, InterruptedException {
        if (from.scheme() == TransferUrl.Scheme.GFTP) {
            gftp.fetch(from, file);
        } else {
            http.download(from.uri(), file);
        }
    }

    private void deliver(Path source, TransferUrl to, ExeUnit unit, String sourceName)
            throws IOException, InterruptedException, ExeUnitException {
        switch (to.scheme()) {
            case CONTAINER -> {
                Path target = containerTarget(unit, to, sourceName);
                Path temp = AtomicFile.tempBeside(target);
                try {
                    Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
                    GuestAccess.open(temp, Files.getPosixFilePermissions(source).contains(OWNER_EXECUTE));
                    AtomicFile.commit(temp, target);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
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
