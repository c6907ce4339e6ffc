package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The sandbox running from a data directory, as {@code up} records it in
 * {@code <data dir>/sandbox.json} so that {@code status}, {@code wait}, {@code down}, {@code env}
 * and {@code logs} find it. One sandbox per data directory.
 *
 * @param pid       the JVM serving it
 * @param baseUrl   YAGNA_API_URL and GOLEM_REGISTRY_URL
 * @param appKey    YAGNA_APPKEY
 * @param startedAt when it started
 * @param gftpDir   the directory holding the {@code gftp} program golem-js 2.x spawns (empty if none was written)
 */
record RunningSandbox(long pid, String baseUrl, String appKey, Instant startedAt, String gftpDir) {

    private static final ObjectMapper JSON = Json.mapper();

    static Path file(SandboxHome home) {
        return home.root().resolve("sandbox.json");
    }

    /** The log file every {@code up} writes, foreground or detached. */
    static Path logFile(SandboxHome home) {
        return home.root().resolve("logs").resolve("sandbox.log");
    }

    /** The sandbox recorded in {@code home}, if its process still runs (a stale record is ignored). */
    static Optional<RunningSandbox> find(SandboxHome home) {
        Path file = file(home);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            RunningSandbox sandbox = new RunningSandbox(node.path("pid").asLong(), node.path("baseUrl").asText(),
                    node.path("appKey").asText(), Instant.parse(node.path("startedAt").asText()), node.path("gftpDir").asText());
            return sandbox.isAlive() ? Optional.of(sandbox) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    void write(SandboxHome home) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", pid);
        node.put("baseUrl", baseUrl);
        node.put("appKey", appKey);
        node.put("startedAt", startedAt.toString());
        node.put("gftpDir", gftpDir);
        AtomicFile.write(file(home), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the record if it is this one (a newer sandbox may have replaced it). */
    void remove(SandboxHome home) {
        Path file = file(home);
        try {
            if (Files.isRegularFile(file) && JSON.readTree(Files.readString(file)).path("pid").asLong() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // Nothing to clean up then; a stale record is ignored by find().
        }
    }

    /** The shell line a requestor needs; PATH gains the {@code gftp} program golem-js 2.x needs. */
    String environment() {
        return "export YAGNA_API_URL=" + baseUrl + " YAGNA_APPKEY=" + appKey + " GOLEM_REGISTRY_URL=" + baseUrl
                + (gftpDir.isEmpty() ? "" : " PATH=" + shellWord(gftpDir) + ":\"$PATH\"");
    }

    /** A path as one shell word: as it is when it holds only safe characters, else single-quoted. */
    static String shellWord(String path) {
        return path.matches("[A-Za-z0-9_./,+@%=-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    /** The one-line error for commands that need a running sandbox and find none. */
    static UserError notRunning(SandboxHome home) {
        return new UserError(UserError.UNAVAILABLE, "no sandbox is running from " + home.root(),
                "start one with: golem-sandbox up" + (home.equals(SandboxHome.fromEnvironment()) ? "" : " --data-dir " + home.root()));
    }

    /** The dashboard, with the key in the fragment: the browser keeps it and never sends it to the server. */
    String dashboardUrl() {
        return dashboardUrl(baseUrl, appKey);
    }

    static String dashboardUrl(String baseUrl, String appKey) {
        return baseUrl + "/_sandbox/dashboard/#key=" + appKey;
    }
}
