package dev.golemsandbox.net;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzz target for what a guest controls on the VPN: any bytes as an Ethernet
 * frame to the requestor's node must be read within bounds and answered or dropped, never throw.
 * A plain test run replays the seeds; {@code JAZZER_FUZZ=1} fuzzes it for its budget.
 */
class FrameFuzzTargets {

    private static final Networks NETWORKS = new Networks();
    private static final FrameRouter ROUTER;
    private static final RequestorNode NODE;

    static {
        try {
            ROUTER = new FrameRouter(NETWORKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VpnNetwork network = NETWORKS.create(null, Ipv4Range.parse("10.2.0.0/24", null), null);
        NODE = ROUTER.requestorNode(network);
    }

    @FuzzTest(maxDuration = "60s")
    void guestFramesAreReadWithinBoundsAndNeverBreakTheRequestorsNode(byte[] input) {
        ByteBuffer frame = ByteBuffer.wrap(input);
        EthernetFrame.etherType(frame);
        EthernetFrame.toGroup(frame);
        EthernetFrame.source(frame);
        EthernetFrame.target(frame);
        NODE.receive(frame);
    }
}
