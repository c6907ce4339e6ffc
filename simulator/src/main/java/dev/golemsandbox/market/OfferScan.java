package dev.golemsandbox.market;

import dev.golemsandbox.http.EventQueue;
import dev.golemsandbox.market.constraint.Constraint;
import java.time.Duration;
import java.time.Instant;

/**
 * One market scan: the offers matching its constraints, handed out once each (those that exist
 * when it begins, then new ones) to its JSON long-polls or its event stream. A scan nobody reads
 * for its {@code timeout} is dropped, as yagna drops an iterator an application forgot.
 * Guarded by the {@link OfferScans}' lock, except its queue, which is thread-safe itself.
 */
final class OfferScan {

    final String id;
    final Constraint constraints;
    final Duration timeout;
    final EventQueue<OfferView> offers;
    private int openReaders;
    private Instant lastRead;

    OfferScan(String id, Constraint constraints, Duration timeout, EventQueue<OfferView> offers, Instant now) {
        this.id = id;
        this.constraints = constraints;
        this.timeout = timeout;
        this.offers = offers;
        this.lastRead = now;
    }

    void readStarted(Instant now) {
        openReaders++;
        lastRead = now;
    }

    /** A read that took no time (a {@code peerId} query): it keeps the scan from being dropped. */
    void readAt(Instant now) {
        lastRead = now;
    }

    void readEnded(Instant now) {
        openReaders = Math.max(0, openReaders - 1);
        lastRead = now;
    }

    /** Whether nobody has read it for longer than its timeout. */
    boolean forgotten(Instant now) {
        return openReaders == 0 && lastRead.plus(timeout).isBefore(now);
    }
}
