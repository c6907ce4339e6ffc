package dev.golemsandbox.activity.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.volume.VolumeFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking an uploaded archive into a volume: what a crafted archive cannot do. */
class TransferArchiveTest {

    @TempDir
    Path temp;

    private final TransferArchive tar = new TransferArchive("tar", Optional.empty(), List.of());

    @Test
    void aBombOfEmptyFilesRunsOutOfSpaceToo() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("volume"));
        byte[] archive = archive(out -> {
            for (int i = 0; i < 1000; i++) {
                out.putArchiveEntry(new TarArchiveEntry("empty-" + i));
                out.closeArchiveEntry();
            }
        });

        try (VolumeFiles files = VolumeFiles.open(volume)) {
            assertThatThrownBy(() -> tar.unpack(new ByteArrayInputStream(archive), files, "",
                    new SpaceLeft(100 * TransferArchive.ENTRY_BYTES)))
                    .hasMessageContaining("no space left on device");
        }
        assertThat(names(volume)).hasSize(100);
    }

    @Test
    void linksInAnUploadedArchiveAreNotUnpackedAndAHostLinkIsReplacedNeverWrittenThrough() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("volume"));
        Path outside = Files.writeString(temp.resolve("outside.txt"), "host file");
        Files.createSymbolicLink(volume.resolve("planted"), outside);
        byte[] archive = archive(out -> {
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/shadow");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            byte[] data = "from the archive".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("planted");
            file.setSize(data.length);
            out.putArchiveEntry(file);
            out.write(data);
            out.closeArchiveEntry();
        });

        try (VolumeFiles files = VolumeFiles.open(volume)) {
            tar.unpack(new ByteArrayInputStream(archive), files, "", new SpaceLeft(Long.MAX_VALUE));
        }

        assertThat(names(volume)).containsExactly("planted");
        assertThat(Files.isSymbolicLink(volume.resolve("planted"))).isFalse();
        assertThat(Files.readString(volume.resolve("planted"), StandardCharsets.UTF_8)).isEqualTo("from the archive");
        assertThat(Files.readString(outside)).isEqualTo("host file");
        assertThat(Files.exists(volume.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private interface Entries {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] archive(Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            entries.write(out);
        }
        return bytes.toByteArray();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
