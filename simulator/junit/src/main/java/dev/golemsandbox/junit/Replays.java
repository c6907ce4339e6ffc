package dev.golemsandbox.junit;

import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.replay.RecordedResult;
import dev.golemsandbox.replay.ReplayReport;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.replay.ScriptFormatException;
import dev.golemsandbox.replay.ScriptReplay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assertions;

/**
 * Replays a recording or hand-written script kept on the test classpath against a test's sandbox,
 * in one line, failing with the same per-command report as {@code golem-sandbox replay}. A
 * recording's uploads are read from {@code blobs/} beside it on the classpath.
 *
 * <pre>{@code
 * @GolemSandboxTest
 * class FilesTest {
 *     @Test
 *     void replays(GolemSandbox sandbox) {
 *         Replays.assertReplays(sandbox, "recordings/files.json");
 *     }
 * }
 * }</pre>
 */
public final class Replays {

    private Replays() {
    }

    /**
     * Runs {@code classpathResource} (e.g. {@code "recordings/files.json"}) against {@code sandbox}.
     *
     * @return the report, when every check passed
     * @throws org.opentest4j.AssertionFailedError with the report when a check failed
     */
    public static ReplayReport assertReplays(GolemSandbox sandbox, String classpathResource) {
        String resource = classpathResource.replaceFirst("^/+", "");
        Path copy = null;
        try {
            copy = Files.createTempDirectory("golem-sandbox-replay-");
            Path script = copy.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            copyResource(resource, script);
            RequestorScript read = RequestorScript.read(script);
            BlobStore blobs = BlobStore.beside(copy);
            String blobDir = (resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "")
                    + BlobStore.DIRECTORY_NAME + "/";
            for (var activity : read.activities()) {
                for (var batch : activity.batches()) {
                    for (RecordedResult result : batch.results()) {
                        ContentHash upload = result.upload();
                        if (upload != null) {
                            // The hash was validated by the parser, so it names a file in blobs/ and nothing else.
                            copyResource(blobDir + upload.sha256(), blobs.directory().resolve(upload.sha256()));
                        }
                    }
                }
            }
            ReplayReport report = new ScriptReplay(sandbox.requestor()).run(read, blobs);
            if (!report.passed()) {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
                Assertions.fail("replay of " + classpathResource + " failed:\n" + text.toString(StandardCharsets.UTF_8));
            }
            return report;
        } catch (ScriptFormatException e) {
            return Assertions.fail(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + classpathResource + " from the classpath", e);
        } finally {
            deleteQuietly(copy);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : Replays.class.getClassLoader()).getResourceAsStream(resource)) {
            if (in == null) {
                Assertions.fail("no " + resource + " on the classpath (recordings go under src/test/resources,"
                        + " their uploads in blobs/ beside them)");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory: what is left is the system's to clean.
        }
    }
}
