package dev.golemsandbox.http;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A time-ordered event feed read by long-polling, as yagna's agreement, invoice and debit-note
 * events are: a reader asks for events strictly after the {@code eventDate} it saw last,
 * optionally of one app session; events are not consumed, but dropped after {@link #RETENTION}
 * (or beyond {@link #MAX_EVENTS}). Every event gets a distinct,
 * increasing date, so a reader that echoes the last date back never skips or repeats one.
 *
 * <pre>{@code
 * EventLog<AgreementEvent> log = new EventLog<>(timer);
 * log.append(sessionId, date -> new AgreementEvent("AgreementApprovedEvent", date, id));
 * ctx.future(() -> log.poll(LongPoll.of(ctx)).thenAccept(events -> Json.ok(ctx, events)));
 * }</pre>
 *
 * Thread-safe. Waiting readers hold no thread: they wait on a {@link ChangeSignal}, so their
 * futures complete on the timer's threads, never on the appending thread, and a caller may append
 * while holding its own lock without writing HTTP responses under it.
 */
public final class EventLog<E> {

    private record Entry<E>(Instant date, String session, E event) {
    }

    /** Events older than this are dropped: a reader that far behind has long lost its session. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** At most this many events are kept, whatever their age. */
    public static final int MAX_EVENTS = 100_000;

    private final ChangeSignal changes;
    private final ArrayList<Entry<E>> entries = new ArrayList<>();
    private Instant lastDate = Instant.EPOCH;
    private boolean closed;

    public EventLog(ScheduledExecutorService timer) {
        this.changes = new ChangeSignal(timer);
    }

    /**
     * Adds an event of {@code appSessionId} (null: of no session) and wakes the readers it
     * matches. {@code event} builds the event from its date.
     */
    public E append(String appSessionId, Function<Instant, E> event) {
        E appended;
        synchronized (this) {
            Instant date = IsoTime.now();
            if (!date.isAfter(lastDate)) {
                date = lastDate.plus(1, ChronoUnit.MICROS);
            }
            lastDate = date;
            appended = event.apply(date);
            entries.add(new Entry<>(date, appSessionId, appended));
            prune(date.minus(RETENTION));
        }
        changes.signal();
        return appended;
    }

    /**
     * The events matching {@code poll}, oldest first: at once if there are any, else as soon as
     * one is appended, else an empty list after {@code poll.timeout()}.
     */
    public CompletableFuture<List<E>> poll(LongPoll poll) {
        return changes.await(() -> {
            synchronized (this) {
                List<E> found = select(poll);
                return found.isEmpty() && !closed ? Optional.empty() : Optional.of(found);
            }
        }, poll.timeout(), List::of);
    }

    /** Every event so far, oldest first (for inspection and tests). */
    public synchronized List<E> all() {
        return entries.stream().map(Entry::event).toList();
    }

    /** Answers every waiting reader with an empty list (the server is stopping); later reads answer at once. */
    public void close() {
        synchronized (this) {
            closed = true;
        }
        changes.signal();
    }

    /** Readers come back with the date they saw last: start there (dates increase), not at the beginning. */
    private List<E> select(LongPoll poll) {
        List<E> found = new ArrayList<>();
        for (int i = firstAfter(poll.after()); i < entries.size() && found.size() < poll.maxEvents(); i++) {
            Entry<E> entry = entries.get(i);
            if (poll.appSessionId() == null || Objects.equals(poll.appSessionId(), entry.session())) {
                found.add(entry.event());
            }
        }
        return found;
    }

    private int firstAfter(Instant after) {
        if (after == null) {
            return 0;
        }
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (entries.get(middle).date().isAfter(after)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private void prune(Instant cutoff) {
        int drop = 0;
        while (drop < entries.size() && (entries.size() - drop > MAX_EVENTS || entries.get(drop).date().isBefore(cutoff))) {
            drop++;
        }
        if (drop > 0) {
            entries.subList(0, drop).clear();
        }
    }
}
