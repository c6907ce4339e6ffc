package dev.golemsandbox.gftp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.json.JsonMapper;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's {@code gftp} program: what golem-js 2.x's {@code GftpStorageProvider} spawns as
 * {@code gftp server} and talks JSON-RPC 2.0 to, one request per line on stdin, one reply per line
 * on stdout, as yagna's gftp binary does. Instead of yagna's internal bus it serves each file as a
 * GSB service of the sandbox over a WebSocket, like golem-js 3's storage, so it needs only
 * {@code YAGNA_API_URL} and {@code YAGNA_APPKEY}. It exits when stdin closes (or on SIGTERM),
 * unbinding everything it bound.
 *
 * <pre>
 * {"jsonrpc":"2.0","id":"1","method":"publish","params":{"files":["/tmp/in.txt"]}}
 * {"jsonrpc":"2.0","id":"1","result":[{"file":"/tmp/in.txt","url":"gftp://0xabc.../5f0c..."}]}
 * </pre>
 *
 * Methods: {@code version}; {@code publish {files}} -> {@code [{file,url}]}; {@code receive
 * {output_file}} -> {@code {file,url}}; {@code close {urls}} -> {@code ["ok"|"error", ...]};
 * {@code shutdown}.
 */
public final class GftpProgram {

    static final String VERSION = "0.16.0-golem-sandbox";
    private static final int PARSE_ERROR = -32700;
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;
    private static final int SERVER_ERROR = -32000;

    private final ObjectMapper json = JsonMapper.shared();
    private final OutputStream stdout;
    private final URI api;
    private final String appKey;
    private final Map<String, BoundFile> bound = new LinkedHashMap<>();
    private SandboxGsb gsb;

    GftpProgram(OutputStream stdout, URI api, String appKey) {
        this.stdout = stdout;
        this.api = api;
        this.appKey = appKey;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !args[0].equals("server")) {
            System.err.println("gftp: the sandbox's gftp speaks JSON-RPC on stdin and stdout only; run it as: gftp server");
            System.exit(2);
        }
        // Replies are the only thing on stdout: anything else printing there would break the protocol.
        OutputStream replies = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        String url = System.getenv().getOrDefault("YAGNA_API_URL", "http://127.0.0.1:7465");
        GftpProgram program = new GftpProgram(replies, URI.create(url.isBlank() ? "http://127.0.0.1:7465" : url),
                System.getenv("YAGNA_APPKEY"));
        Runtime.getRuntime().addShutdownHook(new Thread(program::closeAll, "gftp-shutdown"));
        program.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        program.closeAll();
        System.exit(0);
    }

    /** Answers requests until stdin closes or {@code shutdown} comes. */
    void serve(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request;
            try {
                request = json.readTree(line);
            } catch (JsonProcessingException e) {
                reply(error(null, PARSE_ERROR, "not a JSON-RPC request: " + e.getOriginalMessage()));
                continue;
            }
            String method = request.path("method").asText();
            reply(handle(request, method));
            if (method.equals("shutdown")) {
                return;
            }
        }
    }

    private ObjectNode handle(JsonNode request, String method) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        try {
            return switch (method) {
                case "version" -> result(id).put("result", VERSION);
                case "publish" -> result(id).set("result", publish(strings(params, "files")));
                case "receive" -> result(id).set("result", receive(text(params, "output_file")));
                case "close" -> result(id).set("result", close(strings(params, "urls")));
                case "shutdown" -> result(id).put("result", "ok");
                default -> error(id, METHOD_NOT_FOUND, "unknown method \"" + method
                        + "\"; the sandbox's gftp answers version, publish, receive, close and shutdown");
            };
        } catch (IllegalArgumentException e) {
            return error(id, INVALID_PARAMS, e.getMessage());
        } catch (IOException e) {
            return error(id, SERVER_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(id, SERVER_ERROR, "interrupted");
        }
    }

    /** All files or none: the files are opened first, so a missing one binds nothing. */
    private ArrayNode publish(List<String> files) throws IOException, InterruptedException {
        List<PublishedFile> opened = new ArrayList<>();
        try {
            for (String file : files) {
                opened.add(PublishedFile.open(Path.of(file)));
            }
        } catch (IOException e) {
            opened.forEach(PublishedFile::close);
            throw new IOException("cannot publish " + files.get(opened.size()) + ": " + describe(e), e);
        }
        ArrayNode links = json.createArrayNode();
        for (int i = 0; i < files.size(); i++) {
            links.add(link(files.get(i), bind(opened.get(i))));
        }
        return links;
    }

    private ObjectNode receive(String outputFile) throws IOException, InterruptedException {
        return link(outputFile, bind(new ReceivedFile(Path.of(outputFile))));
    }

    private ArrayNode close(List<String> urls) {
        ArrayNode statuses = json.createArrayNode();
        for (String url : urls) {
            BoundFile file;
            synchronized (bound) {
                file = bound.remove(url);
            }
            if (file != null) {
                file.close();
            }
            statuses.add(file != null ? "ok" : "error");
        }
        return statuses;
    }

    private String bind(ServedFile file) throws IOException, InterruptedException {
        if (appKey == null || appKey.isBlank()) {
            file.close();
            throw new IOException("YAGNA_APPKEY is not set: run eval \"$(golem-sandbox env)\" first");
        }
        try {
            if (gsb == null) {
                gsb = new SandboxGsb(api, appKey);
            }
            BoundFile served = gsb.bind(file);
            synchronized (bound) {
                bound.put(served.url(), served);
            }
            return served.url();
        } catch (IOException | InterruptedException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Unbinds every service and releases every file; idempotent (stdin's end and SIGTERM may both call it). */
    void closeAll() {
        List<BoundFile> all;
        synchronized (bound) {
            all = new ArrayList<>(bound.values());
            bound.clear();
        }
        all.forEach(BoundFile::close);
    }

    private ObjectNode link(String file, String url) {
        return json.createObjectNode().put("file", file).put("url", url);
    }

    private ObjectNode result(JsonNode id) {
        ObjectNode reply = json.createObjectNode().put("jsonrpc", "2.0");
        reply.set("id", id);
        return reply;
    }

    private ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode reply = result(id);
        reply.putObject("error").put("code", code).put("message", message);
        return reply;
    }

    /** One reply, one write: golem-js takes each chunk it reads from the pipe for a whole reply. */
    private void reply(ObjectNode reply) throws IOException {
        stdout.write((reply.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        stdout.flush();
    }

    private static List<String> strings(JsonNode params, String field) {
        JsonNode values = params.get(field);
        if (values == null || !values.isArray()) {
            throw new IllegalArgumentException("params." + field + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode value : values) {
            if (!value.isTextual() || value.asText().isEmpty()) {
                throw new IllegalArgumentException("params." + field + " must be an array of non-empty strings, got " + value);
            }
            strings.add(value.asText());
        }
        return strings;
    }

    private static String text(JsonNode params, String field) {
        JsonNode value = params.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("params." + field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : e.toString();
    }
}
