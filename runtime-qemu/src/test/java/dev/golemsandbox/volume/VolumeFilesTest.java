package dev.golemsandbox.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host-side resolution under a volume: links are never followed, special files never opened. */
class VolumeFilesTest {

    @TempDir
    Path temp;

    @Test
    void withoutOpenat2TheWalkOneComponentAtATimeRefusesLinksToo() throws Exception {
        LinuxCalls.pretendOpenat2Missing(true);
        try {
            aLinkAnywhereInThePathIsRefusedAndTheFileBehindItIsNotRead();
        } finally {
            LinuxCalls.pretendOpenat2Missing(false);
        }
    }

    @Test
    void aLinkAnywhereInThePathIsRefusedAndTheFileBehindItIsNotRead() throws Exception {
        Path volume = Files.createTempDirectory(temp, "volume");
        Path secret = Files.writeString(Files.createTempFile(temp, "secret", ".txt"), "host secret");
        Files.createSymbolicLink(volume.resolve("file-link"), secret);
        Files.createSymbolicLink(volume.resolve("dir-link"), secret.getParent());
        Files.createDirectories(volume.resolve("real"));
        Files.writeString(volume.resolve("real/data.txt"), "in the volume");

        try (VolumeFiles files = VolumeFiles.open(volume)) {
            try (VolumeEntry link = files.resolve("file-link")) {
                assertThat(link.kind()).isEqualTo(VolumeEntry.Kind.SYMLINK);
                assertThat(link.linkTarget()).isEqualTo(secret.toString());
                assertThatThrownBy(link::openRead).hasMessageContaining("not a regular file");
            }
            assertThatThrownBy(() -> files.resolve("dir-link/" + secret.getFileName())).hasMessageContaining("is in the way");
            assertThatThrownBy(() -> files.resolve("../secret.txt")).hasMessageContaining("cannot be a name");
            assertThatThrownBy(() -> files.resolve("missing/x")).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> files.directories("dir-link/new", PosixFilePermissions.fromString("rwx------")))
                    .hasMessageContaining("is in the way");
            assertThat(Files.exists(secret.resolveSibling("new"))).isFalse();
            try (VolumeEntry data = files.resolve("real/data.txt"); FileChannel in = data.openRead()) {
                assertThat(read(in)).isEqualTo("in the volume");
            }
        }
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("volume"));
        Process mkfifo = new ProcessBuilder("mkfifo", volume.resolve("pipe").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        CompletableFuture<String> refusal = CompletableFuture.supplyAsync(() -> {
            try (VolumeFiles files = VolumeFiles.open(volume); VolumeEntry pipe = files.resolve("pipe")) {
                pipe.openRead().close();
                return "opened";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertThat(refusal.get(30, TimeUnit.SECONDS)).contains("not a regular file").contains("FIFO");
    }

    @Test
    void whatTheGuestMadeThrough9pIsSeenAsTheGuestMadeIt() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("volume"));
        Path link = Files.writeString(volume.resolve("link"), "/etc/shadow");
        Path fifo = Files.createFile(volume.resolve("fifo"));
        Path tool = Files.writeString(volume.resolve("tool"), "#!/bin/sh\n");
        LinuxCalls.setxattr(link.toString(), "user.virtfs.mode", le(0120777));
        LinuxCalls.setxattr(fifo.toString(), "user.virtfs.mode", le(0010644));
        LinuxCalls.setxattr(tool.toString(), "user.virtfs.mode", le(0104755));

        try (VolumeFiles files = VolumeFiles.open(volume)) {
            try (VolumeEntry entry = files.resolve("link")) {
                assertThat(entry.kind()).isEqualTo(VolumeEntry.Kind.SYMLINK);
                assertThat(entry.linkTarget()).isEqualTo("/etc/shadow");
                assertThatThrownBy(entry::openRead).hasMessageContaining("not a regular file");
            }
            try (VolumeEntry entry = files.resolve("fifo")) {
                assertThat(entry.kind()).isEqualTo(VolumeEntry.Kind.OTHER);
            }
            try (VolumeEntry entry = files.resolve("tool")) {
                assertThat(entry.kind()).isEqualTo(VolumeEntry.Kind.FILE);
                assertThat(entry.permissions()).isEqualTo(04755);
            }
        }
    }

    @Test
    void aMappedFileRecordIsReadAndForgottenWhenTheHostReplacesTheFile() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("volume"));
        Files.writeString(volume.resolve("link"), "/etc/shadow");
        Files.createDirectories(volume.resolve(ShareModel.METADATA_DIR));
        Files.writeString(volume.resolve(ShareModel.METADATA_DIR).resolve("link"),
                "virtfs.uid=0\nvirtfs.gid=0\nvirtfs.mode=" + 0120777 + "\nvirtfs.rdev=0\n");

        try (VolumeFiles files = VolumeFiles.open(volume); VolumeEntry root = files.root()) {
            assertThat(root.names()).containsExactly("link");
            try (VolumeEntry entry = files.resolve("link")) {
                assertThat(entry.kind()).isEqualTo(VolumeEntry.Kind.SYMLINK);
            }
            try (VolumeEntry.NewFile upload = root.createTemp("upload")) {
                upload.channel().write(ByteBuffer.wrap("uploaded".getBytes(StandardCharsets.UTF_8)));
                upload.commit("link", PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (VolumeEntry entry = files.resolve("link"); FileChannel in = entry.openRead()) {
                assertThat(entry.kind()).isEqualTo(VolumeEntry.Kind.FILE);
                assertThat(read(in)).isEqualTo("uploaded");
            }
            assertThatThrownBy(() -> files.resolve(ShareModel.METADATA_DIR + "/link")).hasMessageContaining("cannot be a name");
        }
        assertThat(Files.exists(volume.resolve(ShareModel.METADATA_DIR).resolve("link"))).isFalse();
    }

    @Test
    void theProbeChoosesXattrsWhereTheyWork() throws Exception {
        assertThat(ShareModel.probe(temp)).isEqualTo(ShareModel.MAPPED_XATTR);
        try (var listing = Files.list(temp)) {
            assertThat(listing).isEmpty();
        }
    }

    private static byte[] le(int mode) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(mode).array();
    }

    private static String read(FileChannel in) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (in.read(buffer) > 0) {
            // until the end
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
