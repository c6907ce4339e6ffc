package dev.golemsandbox.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One activity: one VM on the provider, in which every batch runs, so files written by one batch
 * are there for the next. Closing it destroys the activity (and its VM).
 */
public final class Activity implements AutoCloseable {

    private static final Duration RESULT_POLL = Duration.ofSeconds(10);
    private static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofMinutes(5);

    private final GolemRequestor requestor;
    private final YagnaHttp http;
    private final String id;
    private boolean destroyed;

    Activity(GolemRequestor requestor, YagnaHttp http, String id) {
        this.requestor = requestor;
        this.http = http;
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The activity state as the API names it: "Initialized", "Deployed", "Ready", "Terminated", ... */
    public String state() {
        return http.get("/activity-api/v1/activity/" + id + "/state").path("state").path(0).asText();
    }

    /** Runs the first batch every activity needs: deploy, then start (boots the VM). */
    public List<CommandResult> deployAndStart() {
        return execOk(new ExeScript().deploy().start());
    }

    /** Sends a batch and waits for all of its results (a failing command ends the batch early). */
    public List<CommandResult> exec(ExeScript script) {
        return exec(script, DEFAULT_BATCH_TIMEOUT);
    }

    public List<CommandResult> exec(ExeScript script, Duration timeout) {
        String batchId = submit(script);
        return await(batchId, timeout);
    }

    /** Sends a batch and returns its id at once; see {@link #await}. */
    public String submit(ExeScript script) {
        ObjectNode body = YagnaHttp.JSON.createObjectNode();
        body.put("text", script.toJson());
        return http.post("/activity-api/v1/activity/" + id + "/exec", body).asText();
    }

    /** Polls a batch's results until it has finished. */
    public List<CommandResult> await(String batchId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode results = http.poll("/activity-api/v1/activity/" + id + "/exec/" + batchId
                    + "?timeout=" + RESULT_POLL.toSeconds(), RESULT_POLL);
            List<CommandResult> parsed = new ArrayList<>();
            boolean finished = false;
            for (JsonNode result : results) {
                parsed.add(CommandResult.fromJson(result));
                finished |= result.path("isBatchFinished").asBoolean(false);
            }
            if (finished) {
                return parsed;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new YagnaApiException("batch " + batchId, 0, "not finished after " + timeout.toSeconds() + " s");
            }
        }
    }

    /** Runs a batch and fails unless every command succeeded. */
    public List<CommandResult> execOk(ExeScript script) {
        List<CommandResult> results = exec(script);
        for (CommandResult result : results) {
            if (!result.ok()) {
                throw new YagnaApiException("command " + result.index() + " of " + script, 0,
                        result.message() + (result.stderr() == null ? "" : "; stderr: " + result.stderr()));
            }
        }
        if (results.size() != script.size()) {
            throw new YagnaApiException("batch " + script, 0, "only " + results.size() + " of " + script.size() + " commands reported");
        }
        return results;
    }

    /** Runs one program and returns its result, successful or not. */
    public CommandResult run(String entryPoint, String... args) {
        return exec(new ExeScript().run(entryPoint, args)).get(0);
    }

    /** Runs {@code /bin/sh -c line} and returns its result, successful or not. */
    public CommandResult shell(String line) {
        return exec(new ExeScript().shell(line)).get(0);
    }

    /** Copies a local file to a path in the VM (it must fall under a volume). */
    public void upload(Path localFile, String containerPath) {
        TransferServer transfers = requestor.transfers();
        String url = transfers.serve(localFile);
        try {
            execOk(new ExeScript().transfer(url, "container:" + containerPath));
        } finally {
            transfers.forget(url);
        }
    }

    /** Copies a file from the VM (under a volume) to a local path. */
    public void download(String containerPath, Path localFile) {
        TransferServer transfers = requestor.transfers();
        String url = transfers.accept(localFile.toAbsolutePath());
        try {
            execOk(new ExeScript().transfer("container:" + containerPath, url));
        } finally {
            transfers.forget(url);
        }
    }

    /** Destroys the activity; its VM stops. Idempotent. */
    @Override
    public synchronized void close() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        http.delete("/activity-api/v1/activity/" + id + "?timeout=30");
    }
}
