package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.golemsandbox.activity.exescript.Capture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One output stream of one command, kept as its {@link Capture} says: the head up to a limit,
 * the tail in a ring, both, or nothing. Rendered the way a provider renders it: a string (UTF-8,
 * or one char per byte if the bytes are not UTF-8), an array of byte values for the binary
 * format, or null when nothing was kept. Thread-safe.
 */
final class CapturedOutput {

    /** The most the sandbox keeps of one stream, whatever the capture asks, so a chatty process cannot exhaust the heap. */
    static final int MAX_BYTES = 64 << 20;

    private final Capture capture;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(0);
    private final int headLimit;
    /** The last bytes, a ring once full; it grows as output comes, so a capture that asks for much costs only what arrives. */
    private byte[] tail = new byte[0];
    private final int tailLimit;
    private long tailWritten;
    private final CharsetDecoder streamDecoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer undecoded = ByteBuffer.allocate(0);

    CapturedOutput(Capture capture) {
        this.capture = capture;
        this.headLimit = (int) Math.min(capture.headBytes(), MAX_BYTES);
        this.tailLimit = (int) Math.min(capture.tailBytes(), MAX_BYTES);
    }

    /**
     * Keeps what the capture wants of {@code chunk} and returns what to stream as a runtime event
     * ({@code "text"} or {@code [1,2,..]}), or null when nothing is streamed.
     */
    synchronized JsonNode write(byte[] chunk) {
        byte[] kept = keepHead(chunk);
        int inHead = kept == null ? 0 : kept.length;
        // The tail holds what comes after the head, so output shorter than both ends appears once.
        byte[] tailKept = keepTail(inHead == 0 ? chunk : Arrays.copyOfRange(chunk, inHead, chunk.length));
        if (kept == null) {
            kept = tailKept;
        }
        if (kept == null || !capture.stream()) {
            return null;
        }
        return capture.binary() ? bytes(kept) : streamText(kept);
    }

    /** All that was kept, as the command's result shows it. */
    synchronized JsonNode result() {
        byte[] all = concat(head.toByteArray(), tailBytes());
        if (all.length == 0) {
            return NullNode.getInstance();
        }
        return capture.binary() ? bytes(all) : TextNode.valueOf(text(all));
    }

    private byte[] keepHead(byte[] chunk) {
        int room = headLimit - head.size();
        if (room <= 0 || chunk.length == 0) {
            return null;
        }
        byte[] kept = chunk.length <= room ? chunk : Arrays.copyOf(chunk, room);
        head.writeBytes(kept);
        return kept;
    }

    private byte[] keepTail(byte[] chunk) {
        if (tailLimit == 0 || chunk.length == 0) {
            return null;
        }
        int from = Math.max(0, chunk.length - tailLimit);
        for (int i = from; i < chunk.length; i++) {
            if (tailWritten < tailLimit) {
                growTail();
                tail[(int) tailWritten] = chunk[i];
            } else {
                tail[(int) (tailWritten % tailLimit)] = chunk[i];
            }
            tailWritten++;
        }
        return from == 0 ? chunk : Arrays.copyOfRange(chunk, from, chunk.length);
    }

    /** Room for one more byte while the ring is not full yet: doubling, up to the limit. */
    private void growTail() {
        if (tailWritten == tail.length) {
            tail = Arrays.copyOf(tail, (int) Math.min(tailLimit, Math.max(4096, (long) tail.length * 2)));
        }
    }

    private byte[] tailBytes() {
        if (tailWritten <= tailLimit) {
            return Arrays.copyOf(tail, (int) tailWritten);
        }
        int start = (int) (tailWritten % tailLimit);
        byte[] ordered = new byte[tailLimit];
        System.arraycopy(tail, start, ordered, 0, tailLimit - start);
        System.arraycopy(tail, 0, ordered, tailLimit - start, start);
        return ordered;
    }

    /** Decodes a streamed piece, holding back a UTF-8 sequence split across pieces until its end arrives. */
    private JsonNode streamText(byte[] piece) {
        ByteBuffer in = ByteBuffer.allocate(undecoded.remaining() + piece.length);
        in.put(undecoded).put(piece).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        streamDecoder.decode(in, out, false);
        undecoded = in.slice();
        out.flip();
        return out.length() == 0 ? null : TextNode.valueOf(out.toString());
    }

    private static String text(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
        try {
            return strict.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode bytes(byte[] bytes) {
        return OutputBytes.of(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
