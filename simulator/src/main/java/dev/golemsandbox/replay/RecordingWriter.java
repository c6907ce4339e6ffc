package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.golemsandbox.activity.ActivityRecorder;
import dev.golemsandbox.activity.transfer.TransferredFile;
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.replay.RequestorScript.ImageRef;
import dev.golemsandbox.replay.RequestorScript.ScriptActivity;
import dev.golemsandbox.replay.RequestorScript.ScriptBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes each recorded activity to its own {@link RequestorScript} file in the recordings
 * directory, rewritten (atomically) after every batch so that a recording is complete up to the
 * last finished batch even if the sandbox is killed. What requestors uploaded is kept in the blob
 * store beside them ({@code blobs/<sha256>}), named from the recordings by hash and size.
 */
public final class RecordingWriter implements ActivityRecorder {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path directory;
    private final BlobStore uploads;
    private final Function<String, Optional<String>> tagOfHash;
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();

    /**
     * @param directory where recordings go ({@code <data dir>/recordings})
     * @param tagOfHash the tag of a stored image, to name the image by tag as well as by hash
     */
    public RecordingWriter(Path directory, Function<String, Optional<String>> tagOfHash) {
        this.directory = directory;
        this.uploads = BlobStore.beside(directory);
        this.tagOfHash = tagOfHash;
    }

    /** The file an activity is recorded to, once its first batch has finished. */
    public Optional<Path> fileOf(String activityId) {
        return Optional.ofNullable(recordings.get(activityId)).map(r -> r.file);
    }

    /** Uploads go to {@code blobs/} beside the recordings, which refer to them by hash. */
    @Override
    public BlobStore uploads() {
        return uploads;
    }

    @Override
    public void batchFinished(String activityId, Optional<String> taskPackage, int batchNumber,
                              ArrayNode exeScript, ArrayNode results, List<Integer> returnCodes,
                              Map<Integer, TransferredFile> transferred) {
        Recording recording = recordings.computeIfAbsent(activityId, id -> new Recording(
                directory.resolve(LocalDateTime.now().format(FILE_TIME) + "-" + id.substring(0, Math.min(8, id.length())) + ".json"),
                image(taskPackage)));
        List<RecordedResult> recorded = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            boolean isRun = i < exeScript.size() && exeScript.get(i).has("run");
            Integer code = isRun && i < returnCodes.size() && returnCodes.get(i) >= 0 ? returnCodes.get(i) : null;
            int index = result.path("index").asInt();
            TransferredFile file = transferred.get(index);
            ContentHash upload = file != null && file.direction() == TransferredFile.Direction.UPLOAD ? file.content() : null;
            ContentHash download = file != null && file.direction() == TransferredFile.Direction.DOWNLOAD ? file.content() : null;
            recorded.add(new RecordedResult(index, result.path("result").asText(), code,
                    text(result.get("stdout")), text(result.get("stderr")), text(result.get("message")), upload, download));
        }
        recording.add(batchNumber, new ScriptBatch(exeScript, recorded, List.of()));
    }

    private ImageRef image(Optional<String> taskPackage) {
        // hash:sha3:<hash>:<url>
        String hash = taskPackage.map(p -> p.split(":", 4)).filter(parts -> parts.length >= 3).map(parts -> parts[2]).orElse(null);
        String tag = hash == null ? null : tagOfHash.apply(hash).orElse(null);
        return new ImageRef(tag, hash);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** One activity's recording: its batches by position, written out whole after each change. */
    private static final class Recording {
        private final Path file;
        private final ImageRef image;
        private final List<ScriptBatch> batches = new ArrayList<>();

        Recording(Path file, ImageRef image) {
            this.file = file;
            this.image = image;
        }

        synchronized void add(int position, ScriptBatch batch) {
            while (batches.size() <= position) {
                batches.add(null);
            }
            batches.set(position, batch);
            List<ScriptBatch> finished = batches.stream().filter(b -> b != null).toList();
            RequestorScript script = new RequestorScript("recorded by golem-sandbox", image, List.of(),
                    List.of(new ScriptActivity(finished)));
            try {
                Files.createDirectories(file.getParent());
                AtomicFile.write(file, JsonMapper.pretty().writeValueAsString(script.toJson()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the recording " + file, e);
            }
        }
    }
}
