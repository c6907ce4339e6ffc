package dev.golemsandbox.blob;

import dev.golemsandbox.home.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files kept by the SHA-256 of their content, one file per hash in one directory: what requestors
 * uploaded into recorded activities, shared by every recording beside it and stored once.
 * A blob is named only by a validated hash, so no name from a recording can reach outside the
 * directory, and it is checked against its hash whenever it is read.
 *
 * <pre>{@code
 * BlobStore blobs = new BlobStore(home.recordings().resolve("blobs"));
 * ContentHash kept = blobs.put(scratchFile);
 * Path verified = blobs.verified(kept);
 * }</pre>
 */
public final class BlobStore {

    /** The blob directory's name beside the recordings that refer to it. */
    public static final String DIRECTORY_NAME = "blobs";

    private final Path directory;

    public BlobStore(Path directory) {
        this.directory = directory;
    }

    /** The blob store of the recordings in {@code recordingsDirectory}. */
    public static BlobStore beside(Path recordingsDirectory) {
        return new BlobStore(recordingsDirectory.resolve(DIRECTORY_NAME));
    }

    public Path directory() {
        return directory;
    }

    /** Keeps a copy of {@code file} (a file of the sandbox's own), unless one with its content is already here. */
    public ContentHash put(Path file) throws IOException {
        ContentHash hash = ContentHash.of(file);
        Path target = directory.resolve(hash.sha256());
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || Files.size(target) != hash.size()) {
            Path temp = AtomicFile.tempBeside(target);
            try {
                Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                AtomicFile.commit(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return hash;
    }

    /**
     * The file of a blob, once its content is checked against {@code expected}.
     *
     * @throws NoSuchFileException when the store has no such blob
     * @throws IOException         when the blob's content is not what its name says
     */
    public Path verified(ContentHash expected) throws IOException {
        Path file = directory.resolve(expected.sha256());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(file.toString(), null, "no such blob in " + directory);
        }
        ContentHash actual = ContentHash.of(file);
        if (!actual.equals(expected)) {
            throw new IOException("the blob " + file + " holds " + actual.describe() + ", not "
                    + expected.describe() + ": it was changed or truncated");
        }
        return file;
    }
}
