package dev.golemsandbox.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.activity.ActivityState;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.replay.RecordingBundle;
import dev.golemsandbox.replay.RecordingWriter;
import dev.golemsandbox.replay.ScriptFormatException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code /_sandbox/activities} and {@code /_sandbox/recordings}: what a provider would not tell a
 * requestor, but a developer wants to see: each activity's state, the host directories behind its
 * volumes, and its recording, which can be switched on per activity.
 */
final class ActivityInspectionApi implements ApiComponent {

    private static final Pattern RECORDING_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.json");

    private final Supplier<ActivityService> activityService;
    private final RecordingWriter recordings;
    private final Path recordingsDir;

    /** @param activityService the activity API's service, made when the server starts */
    ActivityInspectionApi(Supplier<ActivityService> activityService, RecordingWriter recordings, Path recordingsDir) {
        this.activityService = activityService;
        this.recordings = recordings;
        this.recordingsDir = recordingsDir;
    }

    private ActivityService activities() {
        return activityService.get();
    }

    @Override
    public String name() {
        return "inspection";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.get("/_sandbox/activities", this::list);
        config.routes.get("/_sandbox/activities/{activityId}", ctx -> Json.ok(ctx, describe(ctx.pathParam("activityId"))));
        config.routes.post("/_sandbox/activities/{activityId}/recording", this::record);
        config.routes.get("/_sandbox/activities/{activityId}/batches",
                ctx -> Json.ok(ctx, activities().batchInspection(ctx.pathParam("activityId"))));
        config.routes.get("/_sandbox/recordings", this::recordingFiles);
        config.routes.get("/_sandbox/recordings/{name}", this::recordingFile);
        config.routes.get("/_sandbox/recordings/{name}/bundle", this::recordingBundle);
    }

    private void list(Context ctx) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        activities().allActivityIds().forEach(id -> all.add(describe(id)));
        Json.ok(ctx, all);
    }

    private ObjectNode describe(String activityId) {
        ActivityState state = activities().state(activityId);
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("activityId", activityId);
        node.put("agreementId", activities().agreementId(activityId));
        node.put("state", state.current().apiName());
        node.put("reason", state.reason());
        node.put("error", state.errorMessage());
        node.put("image", activities().taskPackage(activityId));
        ArrayNode volumes = node.putArray("volumes");
        for (Volume volume : activities().volumes(activityId)) {
            volumes.addObject().put("path", volume.containerPath()).put("hostDir", volume.hostDir().toString());
        }
        node.put("recorded", activities().isRecorded(activityId));
        node.put("recording", recordings.fileOf(activityId).map(Path::toString).orElse(null));
        return node;
    }

    /** Starts recording the activity, from its first batch. */
    private void record(Context ctx) {
        String activityId = ctx.pathParam("activityId");
        activities().record(activityId);
        Json.ok(ctx, describe(activityId));
    }

    /** One recording's JSON, for download; only names the sandbox itself gives its recordings. */
    private void recordingFile(Context ctx) throws IOException {
        Path file = existingRecording(ctx.pathParam("name"));
        String name = file.getFileName().toString();
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.contentType(Json.CONTENT_TYPE).result(Files.readAllBytes(file));
    }

    /** The recording with the blobs of its uploads, as one {@code .tar} that replays anywhere. */
    private void recordingBundle(Context ctx) throws IOException {
        Path file = existingRecording(ctx.pathParam("name"));
        String bundleName = file.getFileName().toString().replaceAll("\\.json$", "") + RecordingBundle.EXTENSION;
        Map<ContentHash, Path> blobs;
        try {
            // Blobs are verified before the first byte goes out, so a damaged store answers an error, not half a tar.
            blobs = RecordingBundle.verifyBlobs(file, BlobStore.beside(recordingsDir));
        } catch (ScriptFormatException e) {
            throw new ApiException.Conflict("the recording " + file.getFileName() + " is not a valid script: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ApiException.Conflict("the recording " + file.getFileName() + " names an upload that is not in "
                    + BlobStore.DIRECTORY_NAME + "/: " + e.getFile());
        } catch (IOException e) {
            throw new ApiException.Conflict("the recording " + file.getFileName() + " cannot be bundled: " + e.getMessage());
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + bundleName + "\"");
        ctx.contentType("application/x-tar");
        RecordingBundle.write(file, blobs, ctx.outputStream());
    }

    private Path existingRecording(String name) {
        if (!RECORDING_NAME.matcher(name).matches()) {
            throw new ApiException.BadRequest("not a recording name: " + name);
        }
        Path file = recordingsDir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiException.NotFound("no recording named " + name);
        }
        return file;
    }

    private void recordingFiles(Context ctx) throws IOException {
        ArrayNode files = JsonNodeFactory.instance.arrayNode();
        if (Files.isDirectory(recordingsDir)) {
            try (Stream<Path> list = Files.list(recordingsDir)) {
                list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                        .forEach(p -> files.add(p.toString()));
            }
        }
        Json.ok(ctx, files);
    }
}
