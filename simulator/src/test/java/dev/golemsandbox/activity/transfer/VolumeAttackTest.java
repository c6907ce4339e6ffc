package dev.golemsandbox.activity.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile guest (root in a real VM) against the host through its volumes: links it plants,
 * links it swaps in while transfers run, FIFOs and setuid files it makes, and disk it tries to
 * fill. The host files it aims at are this test's own, outside the volumes.
 */
class VolumeAttackTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The agreed storage: the cap of what the volumes hold. */
    private static final long STORAGE_MIB = 16;

    @TempDir
    static Path temp;

    static ActivityHarness sandbox;
    static String activity;
    static volatile ExeUnit unit;
    static Path secretDir;
    static Path secret;
    static String secretText;

    @BeforeAll
    static void boot() throws Exception {
        // No User in the image: the guest's processes run as root, as a hostile image would.
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        QemuVmRuntime qemu = TestRuntime.create();
        VmRuntime recording = new VmRuntime() {
            @Override
            public ExeUnit newExeUnit(Path gvmi, Resources resources, Path workDir) {
                ExeUnit made = qemu.newExeUnit(gvmi, resources, workDir);
                unit = made;
                return made;
            }

            @Override
            public void close() {
                qemu.close();
            }
        };
        sandbox = ActivityHarness.real(Files.createDirectories(temp.resolve("sandbox")), new NoGftp(),
                recording, Files.readAllBytes(image), new Resources(1, 256, STORAGE_MIB));
        activity = sandbox.ready();
        secretDir = Files.createDirectories(temp.resolve("host-secrets"));
        secretText = "host secret " + UUID.randomUUID();
        secret = Files.writeString(secretDir.resolve("f"), secretText);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aGuestMadeFileSymlinkDeliversNoHostFileThroughAPlainDownload() {
        guest("ln -s " + secret + " /golem/output/plain-link");

        JsonNode result = batch(transfer("container:/golem/output/plain-link", sandbox.files.url("/plain-link"), null)).get(0);

        assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
        assertThat(result.get("message").asText()).contains("not a regular file");
        assertThat(sandbox.files.get("/plain-link")).isNull();
        assertThat(guest("readlink /golem/output/plain-link")).as("the guest still has its link").isEqualTo(secret + "\n");
    }

    @Test
    void aGuestMadeFileSymlinkIsPackedAsASymlinkEntryNeverItsTarget() throws Exception {
        guest("mkdir -p /golem/output/packed && echo inside > /golem/output/packed/real.txt"
                + " && ln -s " + secret + " /golem/output/packed/link");

        JsonNode result = batch(transfer("container:/golem/output/packed", sandbox.files.url("/packed.tar"), "tar")).get(0);

        assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Ok");
        byte[] tar = sandbox.files.get("/packed.tar");
        assertThat(new String(tar, StandardCharsets.ISO_8859_1)).doesNotContain(secretText);
        List<String> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isSymbolicLink()) {
                    entries.add(entry.getName() + " -> " + entry.getLinkName());
                } else {
                    entries.add(entry.getName() + ": " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(entries).containsExactly("link -> " + secret, "real.txt: inside\n");
    }

    @Test
    void aGuestMadeDirectorySymlinkTakesNoPlainUploadOutOfTheVolume() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside-plain"));
        guest("ln -s " + outside + " /golem/input/plain-dir");
        sandbox.files.put("/payload", "planted".getBytes(StandardCharsets.UTF_8));

        List<JsonNode> results = batch(transfer(sandbox.files.url("/payload"), "container:/golem/input/plain-dir/planted.txt", null),
                transfer(sandbox.files.url("/payload"), "container:/golem/input/plain-dir/", null));

        for (JsonNode result : results) {
            assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
            assertThat(result.get("message").asText()).contains("is in the way");
        }
        assertThat(listing(outside)).isEmpty();
    }

    @Test
    void aGuestMadeDirectorySymlinkTakesNoArchiveUploadOutOfTheVolume() throws IOException {
        Path home = Files.createDirectories(temp.resolve("outside-home"));
        guest("ln -s " + home + " /golem/input/h");
        sandbox.files.put("/bashrc.tar", tar("h/.bashrc", "planted"));

        JsonNode result = batch(transfer(sandbox.files.url("/bashrc.tar"), "container:/golem/input", "tar")).get(0);

        assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
        assertThat(result.get("message").asText()).contains("is in the way");
        assertThat(listing(home)).isEmpty();
        assertThat(guest("readlink /golem/input/h")).isEqualTo(home + "\n");
    }

    @Test
    void aLinkSwappedInWhileTransfersRunNeverLetsOneEscape() throws IOException {
        guest("mkdir -p /golem/output/race && echo inside > /golem/output/race/f");
        // The loop flips race between its directory and a link to the host's secrets, as fast as the guest can.
        guest("(d=/golem/output/race; while [ ! -e /golem/work/stop-race ]; do mv $d $d.real; ln -s " + secretDir
                + " $d; rm $d; mv $d.real $d; done; touch /golem/work/race-stopped) </dev/null >/dev/null 2>&1 &");
        sandbox.files.put("/race-up", "planted".getBytes(StandardCharsets.UTF_8));
        int rounds = 120;
        List<JsonNode> downloads = new ArrayList<>();
        List<JsonNode> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < rounds; i++) {
                downloads.addAll(batch(transfer("container:/golem/output/race/f", sandbox.files.url("/race-down-" + i), null)));
                uploads.addAll(batch(transfer(sandbox.files.url("/race-up"), "container:/golem/output/race/up-" + i, null)));
            }
        } finally {
            guest("touch /golem/work/stop-race; while [ ! -e /golem/work/race-stopped ]; do sleep 0.1; done");
        }

        assertThat(listing(secretDir)).as("nothing was written beside the host's secret").containsExactly("f");
        assertThat(Files.readString(secret)).isEqualTo(secretText);
        // Uploads may make a fresh race/ while the loop holds the real one aside: each lands somewhere in the volume.
        List<String> landed = List.of(guest("find /golem/output -name 'up-*' -exec basename {} \\;").split("\n"));
        int succeeded = 0;
        for (int i = 0; i < rounds; i++) {
            byte[] down = sandbox.files.get("/race-down-" + i);
            if (down != null) {
                assertThat(new String(down, StandardCharsets.UTF_8)).as("download %d", i).isEqualTo("inside\n");
                succeeded++;
            }
            if (uploads.get(i).get("result").asText().equals("Ok")) {
                assertThat(landed).as("upload %d landed in the volume", i).contains("up-" + i);
                succeeded++;
            }
        }
        assertThat(succeeded).as("some transfers met the real directory: %s",
                downloads.stream().map(r -> r.path("message").asText("Ok")).distinct().toList()).isPositive();
    }

    @Test
    void aFifoAndASetuidCopyInAVolumeAreNoHostObjectsAndBlockNoTransfer() throws Exception {
        String listing = guest("mkfifo /golem/output/pipe && cp /bin/busybox /golem/output/suid"
                + " && chmod 4755 /golem/output/suid && ls -ln /golem/output/pipe /golem/output/suid");
        assertThat(listing).as("the guest sees what it made").contains("prw-").contains("-rwsr-xr-x    1 0        0");

        Path pipe = unit.hostPathOf("/golem/output/pipe");
        Path suid = unit.hostPathOf("/golem/output/suid");
        BasicFileAttributes pipeOnHost = Files.readAttributes(pipe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(pipeOnHost.isRegularFile()).as("no FIFO on the host").isTrue();
        assertThat((int) Files.getAttribute(suid, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07000)
                .as("no setuid file on the host").isZero();

        List<JsonNode> results = batch(transfer("container:/golem/output/pipe", sandbox.files.url("/pipe"), null),
                transfer("container:/golem/output", sandbox.files.url("/output.tar"), "tar"));

        assertThat(results.get(0).get("result").asText()).as(results.toString()).isEqualTo("Error");
        assertThat(results.get(0).get("message").asText()).contains("not a regular file");
        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(sandbox.files.get("/output.tar")))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName() + (entry.getName().equals("suid") ? " " + Integer.toOctalString(entry.getMode()) : ""));
            }
        }
        assertThat(names).contains("suid 104755").doesNotContain("pipe");
    }

    @Test
    void anUploadOrArchiveBeyondTheAgreedStorageFailsWithNoSpaceLeft() throws IOException {
        sandbox.files.put("/big", new byte[(int) ((STORAGE_MIB + 1) << 20)]);
        sandbox.files.put("/bomb.tar", tar("zeros", new String(new char[(int) ((STORAGE_MIB + 1) << 20)])));

        List<JsonNode> results = batch(transfer(sandbox.files.url("/big"), "container:/golem/input/big", null),
                transfer(sandbox.files.url("/bomb.tar"), "container:/golem/input/bomb", "tar"));

        for (JsonNode result : results) {
            assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
            assertThat(result.get("message").asText()).contains("no space left on device");
        }
        assertThat(guest("ls -a /golem/input")).doesNotContain("big").doesNotContain(".part");
        assertThat(guest("ls -a /golem/input/bomb 2>&1 || true")).doesNotContain("zeros");
    }

    /** Runs a shell line in the VM, as root, and returns its stdout; it must succeed. */
    private static String guest(String line) {
        ObjectNode run = JSON.objectNode();
        ObjectNode spec = run.putObject("run").put("entry_point", "/bin/sh");
        spec.putArray("args").add("-c").add(line);
        ObjectNode capture = spec.putObject("capture");
        capture.putObject("stdout").putObject("atEnd").put("format", "string");
        capture.putObject("stderr").putObject("atEnd").put("format", "string");
        JsonNode result = batch(run).get(0);
        assertThat(result.get("result").asText()).as("%s: %s", line, result).isEqualTo("Ok");
        return result.path("stdout").asText("");
    }

    private static ObjectNode transfer(String from, String to, String format) {
        ObjectNode command = JSON.objectNode();
        ObjectNode transfer = command.putObject("transfer").put("from", from).put("to", to);
        if (format != null) {
            transfer.put("format", format);
        }
        return command;
    }

    /** Runs each command as a batch of its own (a batch stops at its first error) and returns their results. */
    private static List<JsonNode> batch(ObjectNode... commands) {
        List<JsonNode> results = new ArrayList<>();
        for (ObjectNode command : commands) {
            JsonNode result = sandbox.run(activity, JSON.arrayNode().add(command).toString());
            assertThat(result).as(result.toString()).hasSize(1);
            results.add(result.get(0));
        }
        return results;
    }

    private static byte[] tar(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** These attacks need no gftp. */
    private static final class NoGftp implements GftpClient {
        @Override
        public void fetch(TransferUrl url, FileChannel target, long maxBytes) throws IOException {
            throw new IOException("no gftp in this test");
        }

        @Override
        public void send(FileChannel source, TransferUrl url) throws IOException {
            throw new IOException("no gftp in this test");
        }
    }
}
