package dev.golemsandbox.exeunit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What is kept of one output stream: everything up to the cap, then only a count of what was
 * dropped, reported by a marker line at the end so a cut is never silent. A cap of 0 keeps
 * nothing and reports nothing: the output went to a listener instead.
 */
final class OutputCapture {

    private final long cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;

    OutputCapture(long cap) {
        this.cap = cap;
    }

    synchronized void append(byte[] chunk) {
        if (cap == 0) {
            return;
        }
        long room = cap - kept.size();
        int keep = (int) Math.max(0, Math.min(room, chunk.length));
        kept.write(chunk, 0, keep);
        dropped += chunk.length - keep;
    }

    synchronized boolean truncated() {
        return dropped > 0;
    }

    /** The kept bytes, followed by the truncation marker when something was dropped. */
    synchronized byte[] bytes() {
        if (dropped == 0) {
            return kept.toByteArray();
        }
        String marker = "\n[golem-sandbox: output truncated: " + dropped + " more bytes after the first " + cap
                + " were not kept]\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(kept.size() + marker.length());
        out.writeBytes(kept.toByteArray());
        out.writeBytes(marker.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
