package dev.golemsandbox.gftp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.ExeScript;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.testing.RealSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gftp} program as golem-js 2.x drives it: spawned as {@code gftp server} through the
 * launcher script the sandbox writes, JSON-RPC written to its stdin the way golem-js writes it and
 * one reply line read back per request, against a real sandbox whose activity runs in a QEMU VM.
 * The VM's {@code transfer} commands fetch the published files and send files to the received
 * URLs; closing stdin ends the program and unbinds what it still served.
 */
class GftpProgramTest {

    @TempDir
    static Path home;

    static RealSandbox real;

    @TempDir
    Path dir;

    private Process gftp;
    private OutputStream stdin;
    private BufferedReader stdout;

    @BeforeAll
    static void start() throws Exception {
        real = RealSandbox.start(home);
    }

    @AfterAll
    static void stop() {
        if (real != null) {
            real.close();
        }
    }

    private void spawn() throws IOException {
        Path bin = GftpLauncher.install(dir.resolve("bin"));
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("gftp").toString(), "server")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("YAGNA_API_URL", real.sandbox().baseUrl());
        builder.environment().put("YAGNA_APPKEY", real.sandbox().appKey());
        gftp = builder.start();
        stdin = gftp.getOutputStream();
        stdout = new BufferedReader(new InputStreamReader(gftp.getInputStream(), StandardCharsets.UTF_8));
    }

    /** One request as golem-js 2.4's GftpStorageProvider writes it, and the one line it reads back. */
    private JsonNode rpc(String method, String params) throws IOException {
        stdin.write(("{\"jsonrpc\": \"2.0\", \"id\": \"1\", \"method\": \"" + method + "\", \"params\": " + params + "}\n")
                .getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        String line = stdout.readLine();
        assertThat(line).as("reply to " + method).isNotNull();
        JsonNode reply = JsonMapper.shared().readTree(line);
        assertThat(reply.get("id").asText()).isEqualTo("1");
        return reply;
    }

    private Path randomFile(String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void publishesAndReceivesSeveralFilesThroughAVmAndExitsWhenStdinCloses() throws Exception {
        spawn();
        long started = System.nanoTime();
        assertThat(rpc("version", "{}").get("result").asText()).isEqualTo(GftpProgram.VERSION);
        System.out.printf("gftp: spawn to version reply %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        Path big = randomFile("big.bin", 3 * (1 << 20) + 7);
        Path small = Files.writeString(dir.resolve("small.txt"), "small file\n");
        JsonNode published = rpc("publish", "{\"files\": [\"" + big + "\", \"" + small + "\"]}").get("result");
        assertThat(published).hasSize(2);
        assertThat(published.get(0).get("file").asText()).isEqualTo(big.toString());
        String identity = real.requestor().identity();
        String bigUrl = published.get(0).get("url").asText();
        String smallUrl = published.get(1).get("url").asText();
        assertThat(List.of(bigUrl, smallUrl)).allSatisfy(url -> assertThat(url).startsWith("gftp://" + identity + "/"));
        assertThat(bigUrl).isNotEqualTo(smallUrl);

        Path gotBig = dir.resolve("out/got-big.bin");
        Path gotJoined = dir.resolve("out/got-joined.bin");
        String gotBigUrl = rpc("receive", "{\"output_file\": \"" + gotBig + "\"}").get("result").get("url").asText();
        String gotJoinedUrl = rpc("receive", "{\"output_file\": \"" + gotJoined + "\"}").get("result").get("url").asText();

        JsonNode missing = rpc("publish", "{\"files\": [\"" + dir.resolve("nope") + "\"]}");
        assertThat(missing.get("error").get("message").asText()).isEqualTo("cannot publish " + dir.resolve("nope") + ": no such file");

        try (Rental rental = real.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            List<CommandResult> results = activity.exec(new ExeScript()
                    .transfer(bigUrl, "container:/golem/input/big.bin")
                    .transfer(smallUrl, "container:/golem/input/small.txt")
                    .shell("cat /golem/input/big.bin /golem/input/small.txt > /golem/output/joined.bin")
                    .transfer("container:/golem/input/big.bin", gotBigUrl)
                    .transfer("container:/golem/output/joined.bin", gotJoinedUrl), Duration.ofMinutes(3));
            assertThat(results).as(results.toString()).hasSize(5).allSatisfy(r -> assertThat(r.ok()).as(r.toString()).isTrue());
            assertThat(Files.readAllBytes(gotBig)).isEqualTo(Files.readAllBytes(big));
            byte[] joined = Files.readAllBytes(gotJoined);
            assertThat(joined).hasSize((int) (Files.size(big) + Files.size(small)));
            assertThat(new String(joined, joined.length - 11, 11, StandardCharsets.UTF_8)).isEqualTo("small file\n");

            JsonNode closed = rpc("close", "{\"urls\": [\"" + bigUrl + "\", \"gftp://" + identity + "/unknown\"]}").get("result");
            assertThat(closed.toString()).isEqualTo("[\"ok\",\"error\"]");
            CommandResult afterClose = activity.exec(new ExeScript().transfer(bigUrl, "container:/golem/input/again.bin")).get(0);
            assertThat(afterClose.ok()).isFalse();
            assertThat(afterClose.message()).contains("no requestor service is bound");

            stdin.close();
            assertThat(gftp.waitFor(20, TimeUnit.SECONDS)).as("gftp exits when its stdin closes").isTrue();
            assertThat(gftp.exitValue()).isZero();
            CommandResult afterExit = activity.exec(new ExeScript().transfer(smallUrl, "container:/golem/input/late.txt")).get(0);
            assertThat(afterExit.message()).as("the program unbound what it still served").contains("no requestor service is bound");
        } finally {
            gftp.destroyForcibly();
        }
    }

    @Test
    void answersBadRequestsWithJsonRpcErrorsAndStaysUp() throws Exception {
        spawn();
        try {
            assertThat(rpc("fly", "{}").get("error").get("code").asInt()).isEqualTo(-32601);
            assertThat(rpc("publish", "{\"files\": \"x\"}").get("error").get("message").asText())
                    .isEqualTo("params.files must be an array of strings");
            assertThat(rpc("receive", "{}").get("error").get("code").asInt()).isEqualTo(-32602);
            assertThat(rpc("version", "{}").get("result").asText()).isEqualTo(GftpProgram.VERSION);
            assertThat(rpc("shutdown", "{}").get("result").asText()).isEqualTo("ok");
            assertThat(gftp.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(gftp.exitValue()).isZero();
        } finally {
            gftp.destroyForcibly();
        }
    }
}
