package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.PollReader;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.PropertySet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The market scans of the requestor ({@code /market-api/v1/scan}): each one lists the providers'
 * offers whose properties satisfy its constraints, the way yagna's scan matches the offers it
 * knows, without negotiating with anyone. Ids are small numbers, as yagna's are.
 *
 * <pre>{@code
 * String id = scans.begin(constraints, Duration.ofMinutes(5));
 * scans.take(id, 10, Duration.ofSeconds(5), PollReader.PRESENT).thenAccept(offers -> ...);
 * scans.end(id);
 * }</pre>
 *
 * Thread-safe.
 */
final class OfferScans {

    /** How long yagna keeps an iterator nobody reads when the scan names no timeout. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

    /** More open scans than this is an application that never ends them; refusing protects the sandbox's memory. */
    static final int MAX_OPEN = 1000;

    private final List<ProviderNode> providers;
    private final Map<ProviderNode, PropertySet> offerProperties = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final Map<String, OfferScan> scans = new LinkedHashMap<>();
    private long nextId;

    OfferScans(List<ProviderNode> providers, ScheduledExecutorService timer) {
        this.providers = List.copyOf(providers);
        this.timer = timer;
        for (ProviderNode p : this.providers) {
            offerProperties.put(p, PropertySet.of(p.offerProperties()));
        }
    }

    /** Begins a scan whose queue holds every offer matching {@code constraints} now; returns its id. */
    synchronized String begin(Constraint constraints, Duration timeout) {
        if (scans.size() >= MAX_OPEN) {
            throw new ApiException.Conflict(MAX_OPEN + " scans are open: end the ones you no longer read with DELETE /market-api/v1/scan/{id}");
        }
        String id = Long.toString(nextId++);
        OfferScan scan = new OfferScan(id, constraints, timeout, new EventQueue<>(timer), Instant.now());
        for (ProviderNode p : providers) {
            if (constraints.evaluate(offerProperties.get(p)).holds()) {
                scan.offers.offer(viewOf(p));
            }
        }
        scans.put(id, scan);
        return id;
    }

    /** Up to {@code max} offers not handed out yet, waiting up to {@code timeout} for the first; none if {@code reader} does not claim them. */
    CompletableFuture<List<OfferView>> take(String id, int max, Duration timeout, PollReader reader) {
        OfferScan scan;
        synchronized (this) {
            scan = find(id);
            scan.readStarted(Instant.now());
        }
        return scan.offers.take(max, timeout, reader).whenComplete((offers, error) -> {
            synchronized (this) {
                scan.readEnded(Instant.now());
            }
        });
    }

    /**
     * What yagna's {@code peerId} query answers: the offers of the one provider node {@code peerId}
     * that match the scan, asked of that node directly; the scan's own queue is left as it is.
     *
     * @throws ApiException.NotFound if the scan or the node is unknown
     */
    synchronized List<OfferView> directOffers(String id, String peerId) {
        OfferScan scan = find(id);
        scan.readAt(Instant.now());
        ProviderNode node = providers.stream().filter(p -> p.nodeId().equals(peerId)).findFirst()
                .orElseThrow(() -> new ApiException.NotFound("no provider node " + peerId + " on the market"));
        return scan.constraints.evaluate(offerProperties.get(node)).holds() ? List.of(viewOf(node)) : List.of();
    }

    /** The scan, for a reader that keeps it open (an event stream) between its takes. */
    synchronized OfferScan open(String id) {
        OfferScan scan = find(id);
        scan.readStarted(Instant.now());
        return scan;
    }

    synchronized void close(OfferScan scan) {
        scan.readEnded(Instant.now());
    }

    /** The open scans, for inspection. */
    synchronized List<ScanView> list() {
        return scans.values().stream().map(s -> new ScanView(s.id, s.constraints.toString(), s.timeout.toSeconds())).toList();
    }

    /** Ends a scan; its readers are answered 404. */
    void end(String id) {
        OfferScan scan;
        synchronized (this) {
            scan = scans.remove(id);
        }
        if (scan == null) {
            throw notFound(id);
        }
        scan.offers.close(() -> new ApiException.NotFound("scan " + id + " was ended"));
    }

    /** Drops the scans nobody read for their timeout. */
    void dropForgotten(Instant now) {
        List<OfferScan> forgotten;
        synchronized (this) {
            forgotten = scans.values().stream().filter(s -> s.forgotten(now)).toList();
            forgotten.forEach(s -> scans.remove(s.id));
        }
        forgotten.forEach(s -> s.offers.close(() -> new ApiException.NotFound("scan " + s.id
                + " was dropped: nobody read it for " + s.timeout.toSeconds() + " s")));
    }

    /** Ends every scan: the sandbox is stopping. */
    void closeAll() {
        List<OfferScan> all;
        synchronized (this) {
            all = List.copyOf(scans.values());
            scans.clear();
        }
        all.forEach(s -> s.offers.close(() -> new ApiException.NotFound("the sandbox is stopping")));
    }

    private OfferScan find(String id) {
        OfferScan scan = scans.get(id);
        if (scan == null) {
            throw notFound(id);
        }
        return scan;
    }

    private static ApiException notFound(String id) {
        return new ApiException.NotFound("scan " + id + " not found: begin one with POST /market-api/v1/scan");
    }

    private static OfferView viewOf(ProviderNode p) {
        return new OfferView(p.offerId(), p.nodeId(), p.offerProperties(), p.offerConstraints(), IsoTime.format(p.offerTimestamp()));
    }
}
