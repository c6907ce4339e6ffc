package dev.golemsandbox.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    @Test
    void anHonestSessionDecodesInOrder() throws Exception {
        GuestBytes guest = new GuestBytes().ready().pid(1, 42).outputAvailable(42, 1).died(42, 3)
                .u64(2).u8(2).bytes(new byte[] {'h', 'i'}).u64(3).u8(12).u32(2).text("cannot execute (/bin/x)");
        FrameDecoder decoder = new FrameDecoder(guest.channel());
        decoder.expect(1, WireMessage.RUN_PROCESS, 0);
        decoder.expect(2, WireMessage.QUERY_OUTPUT, 2);
        decoder.expect(3, WireMessage.RUN_PROCESS, 0);

        assertThat(decoder.next()).isEqualTo(new GuestFrame.Ready("golem-sandbox-agent test"));
        assertThat(decoder.next()).isEqualTo(new GuestFrame.Reply(1, 42L));
        assertThat(decoder.next()).isEqualTo(new GuestFrame.OutputAvailable(42, 1));
        assertThat(decoder.next()).isEqualTo(new GuestFrame.ProcessDied(new ProcessExit(42, 3, 0)));
        assertThat(((GuestFrame.Reply) decoder.next()).value()).isEqualTo(new byte[] {'h', 'i'});
        assertThat(decoder.next()).isEqualTo(new GuestFrame.Refusal(3, 2, "cannot execute (/bin/x)"));
        assertThatThrownBy(decoder::next).isInstanceOf(EOFException.class);
    }

    @Test
    void outputLargerThanTheReadBufferArrivesWholeAndTheNextFrameIntact() throws Exception {
        byte[] output = new byte[300_000];
        for (int i = 0; i < output.length; i++) {
            output[i] = (byte) (i * 31);
        }
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(1).u8(2).bytes(output).ready().channel());
        decoder.expect(1, WireMessage.QUERY_OUTPUT, 1 << 20);

        assertThat(((GuestFrame.Reply) decoder.next()).value()).isEqualTo(output);
        assertThat(decoder.next()).isEqualTo(new GuestFrame.Ready("golem-sandbox-agent test"));
    }

    @Test
    void anOutputReplyCutShortIsTheEndOfTheConnection() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(1).u8(2).u64(1 << 20).bytes(new byte[100_000]).channel());
        decoder.expect(1, WireMessage.QUERY_OUTPUT, 1 << 20);
        assertThatThrownBy(decoder::next).isInstanceOf(EOFException.class);
    }

    @Test
    void aTwoGibibyteHelloIsRefusedBeforeAnythingIsAllocated() {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(0).u8(11).u64(1L << 31).channel());
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("the hello claims 2147483648 bytes, more than the 4096 allowed");
    }

    @Test
    void aLengthBeyondSignedRangeIsRefused() {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(0).u8(11).u64(-1).channel());
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("claims 18446744073709551615 bytes");
    }

    @Test
    void outputLongerThanAskedIsRefused() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(7).u8(2).bytes(new byte[5]).channel());
        decoder.expect(7, WireMessage.QUERY_OUTPUT, 4);
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("output for request 7 (QUERY_OUTPUT) claims 5 bytes, more than the 4 allowed");
    }

    @Test
    void aRefusalsReasonIsCappedToo() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(1).u8(12).u32(1).bytes(new byte[4097]).channel());
        decoder.expect(1, WireMessage.MOUNT_VOLUME, 0);
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("the reason of the refusal of request 1 (MOUNT_VOLUME) claims 4097 bytes");
    }

    @Test
    void aReplyNobodyAskedForIsRefused() {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(99).u8(0).channel());
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("a reply to request 99, which awaits none");
    }

    @Test
    void aSecondReplyToOneRequestIsRefused() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(5).u8(0).u64(5).u8(0).channel());
        decoder.expect(5, WireMessage.KILL_PROCESS, 0);
        assertThat(decoder.next()).isEqualTo(new GuestFrame.Reply(5, Boolean.TRUE));
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("a reply to request 5, which awaits none (never sent or already answered)");
    }

    @Test
    void aReplyOfTheWrongKindIsRefused() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(1).u8(2).bytes(new byte[1]).channel());
        decoder.expect(1, WireMessage.RUN_PROCESS, 0);
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("bytes for request 1 (RUN_PROCESS), which gets none");
    }

    @Test
    void aPidNoLinuxCouldHaveIsRefused() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().pid(1, 0).channel());
        decoder.expect(1, WireMessage.RUN_PROCESS, 0);
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("pid 0 for request 1 (RUN_PROCESS) is not a Linux pid");
    }

    @Test
    void noticesForProcessesNeverStartedAreDroppedThenRefused() {
        GuestBytes flood = new GuestBytes();
        for (int i = 0; i < FrameDecoder.MAX_STRAY_NOTIFICATIONS + 1; i++) {
            flood.outputAvailable(1000 + i, 1);
        }
        FrameDecoder decoder = new FrameDecoder(flood.channel());
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("more than 4096 notifications for processes the host did not start")
                .hasMessageContaining("process " + (1000 + FrameDecoder.MAX_STRAY_NOTIFICATIONS));
    }

    @Test
    void aProcessDiesOnlyOnce() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().pid(1, 42).died(42, 0).died(42, 0).ready().channel());
        decoder.expect(1, WireMessage.RUN_PROCESS, 0);
        decoder.next();
        assertThat(decoder.next()).isInstanceOf(GuestFrame.ProcessDied.class);
        // The repeat is dropped as a stray notice: the next frame is the hello.
        assertThat(decoder.next()).isInstanceOf(GuestFrame.Ready.class);
    }

    @Test
    void aStreamOtherThanStdoutOrStderrIsRefused() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().pid(1, 42).outputAvailable(42, 3).channel());
        decoder.expect(1, WireMessage.RUN_PROCESS, 0);
        decoder.next();
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("output announced on stream 3");
    }

    @Test
    void unknownMessageTypesAreRefused() throws Exception {
        assertThatThrownBy(new FrameDecoder(new GuestBytes().u64(0).u8(77).channel())::next)
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("unknown notification type 77");
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(1).u8(77).channel());
        decoder.expect(1, WireMessage.QUIT, 0);
        assertThatThrownBy(decoder::next).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("unknown reply type 77 for request 1 (QUIT)");
    }

    @Test
    void aGuestThatStopsAnsweringCannotMakeTheHostRememberForever() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().channel());
        for (int id = 1; id <= FrameDecoder.MAX_UNANSWERED; id++) {
            decoder.expect(id, WireMessage.KILL_PROCESS, 0);
        }
        assertThatThrownBy(() -> decoder.expect(FrameDecoder.MAX_UNANSWERED + 1, WireMessage.KILL_PROCESS, 0))
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("left 4096 requests unanswered");
    }

    @Test
    void aFrameCutShortIsTheEndOfTheConnection() throws Exception {
        FrameDecoder decoder = new FrameDecoder(new GuestBytes().u64(0).u8(11).u64(10).u8('x').channel());
        assertThatThrownBy(decoder::next).isInstanceOf(EOFException.class);
    }
}
