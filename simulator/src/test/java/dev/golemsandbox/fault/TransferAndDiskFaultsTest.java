package dev.golemsandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.ExeScript;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.testing.RealSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fail-transfer and disk-full faults on a real sandbox whose activities run in QEMU VMs:
 * transfers that break off, and a full disk in the VM and its volumes, reach the requestor with
 * the texts a provider's exe-unit and guest would give.
 */
class TransferAndDiskFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESET = "Local service error: Transfer error: HTTP error: io error: ConnectionReset";
    private static final String NO_SPACE = "Local service error: Transfer error: IO error: No space left on device (os error 28)";

    @TempDir
    static Path home;

    @TempDir
    Path files;

    static RealSandbox real;
    static Sandbox sandbox;
    static GolemRequestor requestor;
    static HttpServer server;
    /** What the requestor's end received by PUT, and whether the body came whole. */
    static volatile CompletableFuture<Boolean> putComplete;
    static volatile Path served;
    static volatile Path received;

    @BeforeAll
    static void start() throws Exception {
        real = RealSandbox.start(home);
        sandbox = real.sandbox();
        requestor = real.requestor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/file", exchange -> {
            try (exchange) {
                if (exchange.getRequestMethod().equals("GET")) {
                    exchange.sendResponseHeaders(200, Files.size(served));
                    try (OutputStream out = exchange.getResponseBody()) {
                        Files.copy(served, out);
                    }
                } else {
                    try (InputStream in = exchange.getRequestBody()) {
                        Files.copy(in, received, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        putComplete.complete(true);
                    } catch (IOException e) {
                        putComplete.complete(false);
                        throw e;
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (real != null) {
            real.close();
        }
    }

    @AfterEach
    void removeFaults() {
        for (JsonNode fault : call("GET", "/_sandbox/faults", null).body) {
            call("DELETE", "/_sandbox/faults/" + fault.get("id").asText(), null);
        }
    }

    @Test
    void anUploadBreaksOffAfterTheBytesAskedWithTheExeUnitsTextAndKeepsWhatArrived() throws Exception {
        served = randomFile("upload.bin", 200_000);
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            String id = add("{\"fault\":\"fail-transfer\",\"afterBytes\":65536,\"times\":1,\"activity\":\"" + activity.id() + "\"}");

            CommandResult broken = activity.exec(new ExeScript().transfer(url(), "container:/golem/input/upload.bin")).get(0);
            assertThat(broken.ok()).isFalse();
            assertThat(broken.message()).isEqualTo(RESET);
            // As ya-transfer writes the destination in place: what arrived is there, and no more.
            assertThat(activity.shell("wc -c < /golem/input/upload.bin").stdout().trim()).isEqualTo("65536");
            assertThat(fired(id)).isEqualTo(1);

            activity.execOk(new ExeScript().transfer(url(), "container:/golem/input/upload.bin"));
            assertThat(activity.shell("wc -c < /golem/input/upload.bin").stdout().trim()).isEqualTo("200000");
            assertThat(fired(id)).isEqualTo(1);
        }
    }

    @Test
    void aDownloadBreaksOffSoTheRequestorsEndNeverGetsAWholeBody() throws Exception {
        received = files.resolve("download.bin");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            assertThat(activity.shell("dd if=/dev/urandom of=/golem/output/out.bin bs=1000 count=100").ok()).isTrue();
            String id = add("{\"fault\":\"fail-transfer\",\"afterBytes\":1000,\"activity\":\"" + activity.id() + "\"}");

            putComplete = new CompletableFuture<>();
            CommandResult broken = activity.exec(new ExeScript().transfer("container:/golem/output/out.bin", url())).get(0);
            assertThat(broken.ok()).isFalse();
            assertThat(broken.message()).isEqualTo(RESET);
            assertThat(putComplete.get(30, TimeUnit.SECONDS)).as("the PUT body came whole").isFalse();
            assertThat(fired(id)).isEqualTo(1);

            call("DELETE", "/_sandbox/faults/" + id, null);
            putComplete = new CompletableFuture<>();
            activity.execOk(new ExeScript().transfer("container:/golem/output/out.bin", url()));
            assertThat(putComplete.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.size(received)).isEqualTo(100_000);
        }
    }

    @Test
    void packedTransfersBreakOffToo() throws Exception {
        served = randomTarGz("packed.tar.gz", 100_000);
        received = files.resolve("packed-download.tar.gz");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            assertThat(activity.shell("mkdir -p /golem/output/dir && dd if=/dev/urandom of=/golem/output/dir/a.bin bs=1000 count=50").ok()).isTrue();
            String id = add("{\"fault\":\"fail-transfer\",\"afterBytes\":1000,\"activity\":\"" + activity.id() + "\"}");

            CommandResult unpack = activity.exec(new ExeScript().command(JSON.readTree(
                    "{\"transfer\": {\"from\": \"" + url() + "\", \"to\": \"container:/golem/input/unpacked/\", \"format\": \"tar.gz\"}}"))).get(0);
            assertThat(unpack.ok()).isFalse();
            assertThat(unpack.message()).isEqualTo(RESET);

            putComplete = new CompletableFuture<>();
            CommandResult pack = activity.exec(new ExeScript().command(JSON.readTree(
                    "{\"transfer\": {\"from\": \"container:/golem/output/dir\", \"to\": \"" + url() + "\", \"format\": \"tar.gz\"}}"))).get(0);
            assertThat(pack.ok()).isFalse();
            assertThat(pack.message()).isEqualTo(RESET);
            assertThat(putComplete.get(30, TimeUnit.SECONDS)).as("the PUT body came whole").isFalse();
            assertThat(fired(id)).isEqualTo(2);
        }
    }

    @Test
    void aFullDiskFailsWritesInTheVmAndIntoItsVolumesUntilTheFaultIsRemoved() throws Exception {
        served = randomFile("small.bin", 10_000);
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            assertThat(activity.shell("echo kept > /golem/work/kept.txt").ok()).isTrue();
            Path work = hostDir(activity.id(), "/golem/work");
            List<String> workBefore = tree(work);
            String id = add("{\"fault\":\"disk-full\",\"activity\":\"" + activity.id() + "\"}");

            CommandResult tmp = activity.shell("dd if=/dev/zero of=/tmp/zeros bs=4096 count=4");
            assertThat(tmp.ok()).isFalse();
            assertThat(tmp.stderr()).contains("No space left on device");
            CommandResult root = activity.shell("echo hello > /hello");
            assertThat(root.ok()).isFalse();
            assertThat(root.stderr()).contains("No space left on device");
            CommandResult volume = activity.shell("dd if=/dev/zero of=/golem/work/zeros bs=4096 count=4");
            assertThat(volume.ok()).isFalse();
            assertThat(volume.stderr()).contains("No space left on device");
            CommandResult append = activity.shell("echo more >> /golem/work/kept.txt");
            assertThat(append.ok()).isFalse();
            assertThat(append.stderr()).contains("No space left on device");
            assertThat(activity.shell("cat /golem/work/kept.txt").stdout()).isEqualTo("kept\n");
            CommandResult upload = activity.exec(new ExeScript().transfer(url(), "container:/golem/input/small.bin")).get(0);
            assertThat(upload.ok()).isFalse();
            assertThat(upload.message()).isEqualTo(NO_SPACE);
            assertThat(fired(id)).isEqualTo(6);
            assertThat(tree(work)).as("nothing of the guest's reached the volume's host directory").isEqualTo(workBefore).contains("kept.txt");
            assertThat(Files.readString(work.resolve("kept.txt"))).isEqualTo("kept\n");
            assertThat(activity.shell("ls /golem/input | wc -l").stdout().trim()).as("nothing was written into the volume").isEqualTo("0");

            call("DELETE", "/_sandbox/faults/" + id, null);
            CommandResult after = activity.shell("dd if=/dev/zero of=/tmp/zeros bs=4096 count=4 && echo hello > /hello"
                    + " && dd if=/dev/zero of=/golem/work/zeros bs=4096 count=4 && echo more >> /golem/work/kept.txt"
                    + " && wc -c < /tmp/zeros");
            assertThat(after.ok()).as(after.stderr()).isTrue();
            assertThat(after.stdout().trim()).isEqualTo("16384");
            assertThat(Files.size(work.resolve("zeros"))).isEqualTo(16384);
            assertThat(Files.readString(work.resolve("kept.txt"))).isEqualTo("kept\nmore\n");
            activity.execOk(new ExeScript().transfer(url(), "container:/golem/input/small.bin"));
            assertThat(activity.shell("wc -c < /golem/input/small.bin").stdout().trim()).isEqualTo("10000");
        }
    }

    @Test
    void badParametersOfTheNewKindsAreRefusedWithAMessage() {
        Answer negative = call("POST", "/_sandbox/faults", "{\"fault\":\"fail-transfer\",\"afterBytes\":-1}");
        assertThat(negative.status).isEqualTo(400);
        assertThat(negative.body.get("message").asText()).contains("\"afterBytes\" is a whole number from 0");
        Answer missing = call("POST", "/_sandbox/faults", "{\"fault\":\"fail-transfer\"}");
        assertThat(missing.status).isEqualTo(400);
        assertThat(missing.body.get("message").asText()).contains("fail-transfer needs afterBytes");
        Answer foreign = call("POST", "/_sandbox/faults", "{\"fault\":\"disk-full\",\"afterBytes\":3}");
        assertThat(foreign.status).isEqualTo(400);
        assertThat(foreign.body.get("message").asText()).contains("fault disk-full takes no \"afterBytes\"");
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return Files.write(files.resolve(name), content);
    }

    /** A tar.gz holding one file of {@code size} random bytes (which do not compress). */
    private Path randomTarGz(String name, int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Path file = files.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            TarArchiveEntry entry = new TarArchiveEntry("inside.bin");
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return file;
    }

    /** The host directory behind the activity's volume at {@code containerPath}, as the sandbox reports it. */
    private static Path hostDir(String activityId, String containerPath) {
        for (JsonNode volume : call("GET", "/_sandbox/activities/" + activityId, null).body.get("volumes")) {
            if (volume.get("path").asText().equals(containerPath)) {
                return Path.of(volume.get("hostDir").asText());
            }
        }
        throw new AssertionError("activity " + activityId + " has no volume " + containerPath);
    }

    /** Everything under {@code dir}, as paths relative to it. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(file -> dir.relativize(file).toString()).sorted().toList();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/file";
    }

    private static String add(String fault) {
        Answer added = call("POST", "/_sandbox/faults", fault);
        assertThat(added.status).as(added.body.toString()).isEqualTo(201);
        return added.body.get("id").asText();
    }

    private static int fired(String id) {
        for (JsonNode fault : call("GET", "/_sandbox/faults", null).body) {
            if (fault.get("id").asText().equals(id)) {
                return fault.get("fired").asInt();
            }
        }
        throw new AssertionError("no fault " + id);
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer " + sandbox.appKey()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body().isBlank() ? JSON.nullNode() : JSON.readTree(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
