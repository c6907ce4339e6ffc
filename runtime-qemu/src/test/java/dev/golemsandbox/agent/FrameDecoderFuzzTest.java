package dev.golemsandbox.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Coverage-guided fuzz target for what a hostile guest can write to the agent's port: after a few
 * requests the host made, any byte stream must decode into frames the host asked for (replies
 * within what was asked, text within its cap) or end with a {@link ProtocolViolation} or the end
 * of the stream, never another exception or a large allocation. A plain test run replays the
 * seeds; {@code JAZZER_FUZZ=1} fuzzes for the budget ({@code -Djazzer.max_duration} overrides it).
 */
class FrameDecoderFuzzTest {

    private static final int[] REQUEST_TYPES = {WireMessage.QUIT, WireMessage.RUN_PROCESS, WireMessage.KILL_PROCESS,
            WireMessage.MOUNT_VOLUME, WireMessage.QUERY_OUTPUT, WireMessage.SYNC_FS};

    @FuzzTest(maxDuration = "60s")
    void decoderAcceptsOnlyWhatWasAskedFor(FuzzedDataProvider data) throws IOException {
        Map<Long, Long> askedBytes = new HashMap<>();
        int requests = data.consumeInt(0, 6);
        long[][] expected = new long[requests][];
        for (int i = 0; i < requests; i++) {
            long id = data.consumeLong(1, 8);
            int type = data.pickValue(REQUEST_TYPES);
            long maxBytes = data.consumeLong(0, 64);
            expected[i] = new long[] {id, type, maxBytes};
        }
        FrameDecoder decoder = new FrameDecoder(Channels.newChannel(new ByteArrayInputStream(data.consumeRemainingAsBytes())));
        for (long[] request : expected) {
            decoder.expect(request[0], (int) request[1], request[2]);
            askedBytes.put(request[0], request[2] == 0 ? FrameDecoder.MAX_OUTPUT_BYTES : request[2]);
        }
        try {
            for (;;) {
                GuestFrame frame = decoder.next();
                if (frame instanceof GuestFrame.Reply reply) {
                    assertThat(askedBytes).containsKey(reply.id());
                    if (reply.value() instanceof byte[] output) {
                        assertThat((long) output.length).isLessThanOrEqualTo(askedBytes.get(reply.id()));
                    }
                } else if (frame instanceof GuestFrame.Refusal refusal) {
                    assertThat(askedBytes).containsKey(refusal.id());
                    if (refusal.reason() != null) {
                        assertThat(refusal.reason().getBytes(StandardCharsets.UTF_8).length)
                                .isLessThanOrEqualTo(3 * FrameDecoder.MAX_TEXT_BYTES);
                    }
                } else if (frame instanceof GuestFrame.OutputAvailable output) {
                    assertThat(output.fd()).isBetween(1, 2);
                }
            }
        } catch (EOFException | ProtocolViolation refusedOrDone) {
            // The connection ends, or the guest is caught: both are how a stream may end.
        }
    }
}
