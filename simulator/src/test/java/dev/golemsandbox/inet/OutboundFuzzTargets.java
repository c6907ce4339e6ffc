package dev.golemsandbox.inet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.golemsandbox.activity.OutboundGrant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Coverage-guided fuzz target for what a guest controls on eth1: any bytes as an Ethernet frame to
 * the gateway must be read within bounds and answered or dropped, never throw. The grant names a
 * port nothing listens on, so nothing the fuzzer makes reaches a real service. A plain test run
 * replays the seeds; {@code JAZZER_FUZZ=1} fuzzes it for its budget.
 */
class OutboundFuzzTargets {

    private static final OutboundLink LINK;

    static {
        try {
            OutboundGateway gateway = new OutboundGateway();
            gateway.open(new OutboundGrant(false, List.of(URI.create("http://127.0.0.1:9/"), URI.create("udp://127.0.0.1:9"))), "fuzz");
            LINK = gateway.links().iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void guestFramesAreReadWithinBoundsAndNeverBreakTheGateway(byte[] input) throws IOException {
        LINK.fromGuest(ByteBuffer.wrap(input));
    }
}
