package dev.golemsandbox.replay;

import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A recording with the uploads it keeps, in one self-contained {@code .tar}: the recording's JSON
 * at the top and each blob it names as {@code blobs/<sha256>}, the layout of a recordings
 * directory. Unpacking takes only those two kinds of regular entry (anything else, a link, a
 * path with {@code ..}, a second JSON, is refused: a bundle is untrusted input) and checks each
 * blob against its name, so a replay of the unpacked recording finds exactly what was recorded.
 *
 * <pre>{@code
 * RecordingBundle.write(recordingFile, RecordingBundle.verifyBlobs(recordingFile, BlobStore.beside(recordingsDir)), response);
 * Path recording = RecordingBundle.unpack(downloadedTar, scratchDir);
 * }</pre>
 */
public final class RecordingBundle {

    /** What a bundle's file name ends with. */
    public static final String EXTENSION = ".tar";

    private static final Pattern JSON_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.json");
    private static final Pattern BLOB_NAME = Pattern.compile(BlobStore.DIRECTORY_NAME + "/[0-9a-f]{64}");

    private RecordingBundle() {
    }

    /** Whether {@code file} is named as a bundle is. */
    public static boolean isBundle(Path file) {
        return file.getFileName().toString().endsWith(EXTENSION);
    }

    /**
     * Writes the bundle of {@code recording} (a recording or script file) with {@code blobs}, the
     * blobs of its uploads as {@link #verifyBlobs} found them.
     */
    public static void write(Path recording, Map<ContentHash, Path> blobs, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        add(tar, recording.getFileName().toString(), recording);
        for (Map.Entry<ContentHash, Path> blob : blobs.entrySet()) {
            add(tar, BlobStore.DIRECTORY_NAME + "/" + blob.getKey().sha256(), blob.getValue());
        }
        tar.finish();
        tar.flush();
    }

    /**
     * The blobs of {@code recording}'s uploads in {@code blobs}, each checked against its hash.
     *
     * @throws ScriptFormatException             when the recording is not a valid script
     * @throws java.nio.file.NoSuchFileException when a blob is missing (an IOException when it was changed)
     */
    public static Map<ContentHash, Path> verifyBlobs(Path recording, BlobStore blobs) throws IOException, ScriptFormatException {
        RequestorScript script = RequestorScript.read(recording);
        Set<ContentHash> uploads = new LinkedHashSet<>();
        for (RequestorScript.ScriptActivity activity : script.activities()) {
            for (RequestorScript.ScriptBatch batch : activity.batches()) {
                for (RecordedResult result : batch.results()) {
                    if (result.upload() != null) {
                        uploads.add(result.upload());
                    }
                }
            }
        }
        Map<ContentHash, Path> verified = new LinkedHashMap<>();
        for (ContentHash upload : uploads) {
            verified.put(upload, blobs.verified(upload));
        }
        return verified;
    }

    private static void add(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    /**
     * Unpacks {@code bundle} into {@code directory} (empty, of the caller's own) and returns the
     * recording's file there, with its blobs in {@code directory/blobs}.
     *
     * @throws ReplayInputException when the bundle is not one: no recording, two, or an entry of another kind
     * @throws java.nio.file.NoSuchFileException when there is no such file
     */
    public static Path unpack(Path bundle, Path directory) throws IOException {
        Path recording = null;
        Path blobs = Files.createDirectories(directory.resolve(BlobStore.DIRECTORY_NAME));
        InputStream in = Files.newInputStream(bundle);
        try (in; TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (entry.isDirectory() && name.equals(BlobStore.DIRECTORY_NAME + "/")) {
                    continue;
                }
                if (!entry.isFile()) {
                    throw notABundle(bundle, "its entry " + name + " is not a regular file");
                }
                Path target;
                if (JSON_NAME.matcher(name).matches()) {
                    if (recording != null) {
                        throw notABundle(bundle, "it holds two recordings, " + recording.getFileName() + " and " + name);
                    }
                    recording = directory.resolve(name);
                    target = recording;
                } else if (BLOB_NAME.matcher(name).matches()) {
                    target = blobs.resolve(name.substring(name.indexOf('/') + 1));
                } else {
                    throw notABundle(bundle, "its entry " + name + " is neither the recording (<name>.json) nor a blob (blobs/<sha256>)");
                }
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw notABundle(bundle, "it is not a readable tar archive: " + e.getMessage());
        }
        if (recording == null) {
            throw notABundle(bundle, "it holds no recording (<name>.json)");
        }
        return recording;
    }

    private static ReplayInputException notABundle(Path bundle, String why) {
        return new ReplayInputException(bundle + " is not a recording bundle: " + why);
    }
}
