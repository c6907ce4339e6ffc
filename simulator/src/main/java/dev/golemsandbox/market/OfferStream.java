package dev.golemsandbox.market;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A scan held open by one reader, such as the event stream golem-js reads: the scan counts as read
 * (it is not dropped) until {@link #close()}.
 *
 * <pre>{@code
 * OfferStream stream = market.streamScan(id);
 * stream.next(Duration.ofSeconds(15)).thenAccept(offers -> ...);   // fails with 404 once the scan ended
 * stream.close();                                                   // the reader went away
 * }</pre>
 *
 * Thread-safe; {@link #close()} is idempotent.
 */
public final class OfferStream implements AutoCloseable {

    private final OfferScans scans;
    private final OfferScan scan;
    private boolean closed;

    OfferStream(OfferScans scans, OfferScan scan) {
        this.scans = scans;
        this.scan = scan;
    }

    /** The offers not handed out yet, waiting up to {@code wait} for the first; an empty list after a quiet {@code wait}. */
    public CompletableFuture<List<OfferView>> next(Duration wait) {
        return scan.offers.take(100, wait);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            scans.close(scan);
        }
    }
}
