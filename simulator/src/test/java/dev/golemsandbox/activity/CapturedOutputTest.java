package dev.golemsandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.exescript.Capture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CapturedOutputTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void discardKeepsNothingAndStreamsNothing() {
        CapturedOutput output = new CapturedOutput(Capture.DISCARD);

        assertThat(output.write(utf8("hello"))).isNull();
        assertThat(output.result().isNull()).isTrue();
    }

    @Test
    void atEndKeepsEverythingAsAString() {
        CapturedOutput output = new CapturedOutput(Capture.atEnd(false));
        output.write(utf8("hello "));
        output.write(utf8("wörld\n"));

        assertThat(output.result().asText()).isEqualTo("hello wörld\n");
    }

    @Test
    void headKeepsTheFirstBytes() {
        CapturedOutput output = new CapturedOutput(Capture.head(4, false));
        output.write(utf8("abc"));
        output.write(utf8("defgh"));

        assertThat(output.result().asText()).isEqualTo("abcd");
    }

    @Test
    void tailKeepsTheLastBytesAcrossWrites() {
        CapturedOutput output = new CapturedOutput(Capture.tail(5, false));
        output.write(utf8("0123"));
        output.write(utf8("45"));
        output.write(utf8("6789"));

        assertThat(output.result().asText()).isEqualTo("56789");
    }

    @Test
    void headTailKeepsBothEnds() {
        CapturedOutput output = new CapturedOutput(Capture.headTail(6, false));
        output.write(utf8("abcdefghij"));

        assertThat(output.result().asText()).isEqualTo("abchij");
    }

    @Test
    void binaryFormatIsAnArrayOfByteValues() {
        CapturedOutput output = new CapturedOutput(Capture.atEnd(true));
        output.write(new byte[] {0, 1, (byte) 255});

        JsonNode result = output.result();
        assertThat(result.toString()).as("an array on the wire, kept as the bytes until written").isEqualTo("[0,1,255]");
    }

    @Test
    void bytesThatAreNotUtf8BecomeOneCharEach() {
        CapturedOutput output = new CapturedOutput(Capture.atEnd(false));
        output.write(new byte[] {'a', (byte) 0xff, 'b'});

        assertThat(output.result().asText()).isEqualTo("a\u00ffb");
    }

    @Test
    void streamSendsEachPieceAndKeepsItForTheResult() {
        CapturedOutput output = new CapturedOutput(Capture.stream(null, false));

        assertThat(output.write(utf8("one\n")).asText()).isEqualTo("one\n");
        assertThat(output.write(utf8("two\n")).asText()).isEqualTo("two\n");
        assertThat(output.result().asText()).isEqualTo("one\ntwo\n");
    }

    @Test
    void streamHoldsBackACharacterSplitAcrossPieces() {
        CapturedOutput output = new CapturedOutput(Capture.stream(null, false));
        byte[] euro = utf8("€");

        assertThat(output.write(new byte[] {'x', euro[0]}).asText()).isEqualTo("x");
        assertThat(output.write(new byte[] {euro[1], euro[2], 'y'}).asText()).isEqualTo("€y");
    }

    @Test
    void streamLimitStopsStreamingAtTheLimit() {
        CapturedOutput output = new CapturedOutput(Capture.stream(3L, false));

        assertThat(output.write(utf8("ab")).asText()).isEqualTo("ab");
        assertThat(output.write(utf8("cd")).asText()).isEqualTo("c");
        assertThat(output.write(utf8("ef"))).isNull();
    }

    @Test
    void binaryStreamSendsByteArrays() {
        CapturedOutput output = new CapturedOutput(Capture.stream(null, true));

        assertThat(output.write(new byte[] {7, 8}).toString()).isEqualTo("[7,8]");
    }

    @Test
    void atEndDoesNotStream() {
        CapturedOutput output = new CapturedOutput(Capture.atEnd(false));

        assertThat(output.write(utf8("quiet"))).isNull();
    }

    @Test
    void aLargeCaptureCostsOnlyWhatArrives() {
        CapturedOutput[] outputs = new CapturedOutput[5000];
        long before = usedHeap();
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = new CapturedOutput(Capture.headTail(64L << 20, false));
            outputs[i].write("ok\n".getBytes(StandardCharsets.UTF_8));
        }
        long after = usedHeap();

        assertThat(outputs[outputs.length - 1].result().asText()).isEqualTo("ok\n");
        assertThat(after - before).as("heap for 5000 captures asking for 64 MiB each, of which 3 bytes came")
                .isLessThan(200L << 20);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
