package dev.golemsandbox.gvmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading GVMI trailers: the byte layout gvmkit-build writes, and one clear error per way a file can be wrong. */
class GvmiImageTest {

    /** A stand-in for a squashfs image: its magic, then filler. */
    private static final byte[] SQUASHFS = squashfsLike();

    @TempDir
    Path dir;

    @Test
    void trailerIsCrcThenCompactJsonInDockerOrderThenEightDigitLength() throws Exception {
        ContainerConfig config = ContainerConfig.empty()
                .withLabels(Map.of("k", "v"))
                .withWorkingDir("/golem/work")
                .withEntrypoint(List.of("/bin/sh"))
                .withVolumes(List.of("/golem/input"))
                .withCmd(List.of("sh"))
                .withEnv(List.of("A=1"))
                .withUser("1000:1000");
        String json = "{\"User\":\"1000:1000\",\"Env\":[\"A=1\"],\"Cmd\":[\"sh\"],\"Volumes\":{\"/golem/input\":{}},"
                + "\"WorkingDir\":\"/golem/work\",\"Entrypoint\":[\"/bin/sh\"],\"Labels\":{\"k\":\"v\"}}";
        byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(jsonBytes);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array());
        expected.write(jsonBytes);
        expected.write(String.format("%08d", jsonBytes.length).getBytes(StandardCharsets.US_ASCII));

        assertThat(GvmiTrailer.encode(config)).isEqualTo(expected.toByteArray());

        Path file = write("ok.gvmi", SQUASHFS);
        GvmiTrailer.appendTo(file, config);
        GvmiImage image = GvmiImage.open(file);
        assertThat(image.config()).isEqualTo(config);
        assertThat(image.config().workingDir()).contains("/golem/work");
        assertThat(image.config().volumes()).containsExactly("/golem/input");
        assertThat(image.config().envMap()).containsEntry("A", "1");
        assertThat(image.squashfsSize()).isEqualTo(SQUASHFS.length);
        assertThat(image.size()).isEqualTo(SQUASHFS.length + expected.size());
    }

    @Test
    void tooShortFileIsNotAGvmi() throws Exception {
        Path file = write("short.gvmi", new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(file + ": not a GVMI image: 5 bytes is shorter than the 12-byte metadata trailer");
    }

    @Test
    void lengthFieldThatIsNotDigitsIsNotAGvmi() throws Exception {
        Path file = write("text.gvmi", concat(SQUASHFS, "1234abcd".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(file + ": not a GVMI image: the last 8 bytes (1234abcd) are not a decimal metadata length");
    }

    @Test
    void lengthBeyondTheFileIsNotAGvmi() throws Exception {
        Path file = write("long.gvmi", concat(SQUASHFS, "99999999".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(file + ": not a GVMI image: metadata length 99999999 runs past the start of the "
                        + (SQUASHFS.length + 8) + "-byte file");
    }

    @Test
    void crcMismatchIsReportedWithBothValues() throws Exception {
        byte[] trailer = GvmiTrailer.encode(ContainerConfig.empty().withWorkingDir("/w"));
        int stored = ByteBuffer.wrap(trailer, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        trailer[0] ^= 0x01;
        Path file = write("crc.gvmi", concat(SQUASHFS, trailer));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(String.format("%s: metadata CRC mismatch (stored %08x, computed %08x): the image is corrupt"
                        + " and a provider would reject it", file, (stored ^ 0x01), stored));
    }

    @Test
    void invalidJsonWithAValidCrcIsReported() throws Exception {
        Path file = write("json.gvmi", concat(SQUASHFS, trailerOf("{\"Env\": [")));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessageStartingWith(file + ": metadata is not a valid container config: invalid JSON: ");
    }

    @Test
    void jsonThatIsNotAnObjectIsReported() throws Exception {
        Path file = write("array.gvmi", concat(SQUASHFS, trailerOf("[1,2]")));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(file + ": metadata is not a valid container config: the container config is not a JSON object");
    }

    @Test
    void missingSquashfsMagicIsReported() throws Exception {
        Path file = write("magic.gvmi", concat(new byte[64], GvmiTrailer.encode(ContainerConfig.empty())));
        assertThatThrownBy(() -> GvmiImage.open(file))
                .isInstanceOf(GvmiFormatException.class)
                .hasMessage(file + ": no squashfs image at the start of the file (magic 'hsqs' missing)");
    }

    @Test
    void errorsAreOneLine() throws Exception {
        Path file = write("json2.gvmi", concat(SQUASHFS, trailerOf("{\n\"a\":\n")));
        assertThatThrownBy(() -> GvmiImage.open(file)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void sha3IsOfTheWholeFile() throws Exception {
        Path file = write("hash.gvmi", SQUASHFS);
        GvmiTrailer.appendTo(file, ContainerConfig.empty());
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA3-224");
        String expected = java.util.HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        assertThat(GvmiImage.open(file).sha3()).isEqualTo(expected).hasSize(56);
    }

    private static byte[] trailerOf(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return concat(concat(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array(), bytes),
                String.format("%08d", bytes.length).getBytes(StandardCharsets.US_ASCII));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static byte[] squashfsLike() {
        byte[] bytes = new byte[96];
        bytes[0] = 'h';
        bytes[1] = 's';
        bytes[2] = 'q';
        bytes[3] = 's';
        return bytes;
    }
}
