package dev.golemsandbox.http;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A persistent, time-ordered event feed read by long-polling, as yagna's agreement, invoice and
 * debit-note events are: a reader asks for events strictly after the {@code eventDate} it saw
 * last, optionally of one app session; events are never consumed. Every event gets a distinct,
 * increasing date, so a reader that echoes the last date back never skips or repeats one.
 *
 * <pre>{@code
 * EventLog<AgreementEvent> log = new EventLog<>(timer);
 * log.append(sessionId, date -> new AgreementEvent("AgreementApprovedEvent", date, id));
 * ctx.future(() -> log.poll(LongPoll.of(ctx)).thenAccept(events -> Json.ok(ctx, events)));
 * }</pre>
 *
 * Thread-safe. Waiting readers hold no thread: each waits on a future completed by the next
 * matching {@link #append} or by its timeout. Futures complete on the timer's threads, never on
 * the appending thread, so a caller may append while holding its own lock without writing HTTP
 * responses under it.
 */
public final class EventLog<E> {

    private record Entry<E>(Instant date, String session, E event) {
    }

    private static final class Waiter<E> {
        final LongPoll poll;
        final CompletableFuture<List<E>> answer = new CompletableFuture<>();

        Waiter(LongPoll poll) {
            this.poll = poll;
        }
    }

    private final ScheduledExecutorService timer;
    private final List<Entry<E>> entries = new ArrayList<>();
    private final List<Waiter<E>> waiters = new ArrayList<>();
    private Instant lastDate = Instant.EPOCH;

    public EventLog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Adds an event of {@code appSessionId} (null: of no session) and wakes the readers it
     * matches. {@code event} builds the event from its date.
     */
    public E append(String appSessionId, Function<Instant, E> event) {
        List<Waiter<E>> woken = new ArrayList<>();
        List<List<E>> answers = new ArrayList<>();
        E appended;
        synchronized (this) {
            Instant date = IsoTime.now();
            if (!date.isAfter(lastDate)) {
                date = lastDate.plus(1, ChronoUnit.MICROS);
            }
            lastDate = date;
            appended = event.apply(date);
            entries.add(new Entry<>(date, appSessionId, appended));
            for (Iterator<Waiter<E>> it = waiters.iterator(); it.hasNext(); ) {
                Waiter<E> waiter = it.next();
                List<E> found = select(waiter.poll);
                if (!found.isEmpty()) {
                    it.remove();
                    woken.add(waiter);
                    answers.add(found);
                }
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            Waiter<E> waiter = woken.get(i);
            List<E> answer = answers.get(i);
            timer.execute(() -> waiter.answer.complete(answer));
        }
        return appended;
    }

    /**
     * The events matching {@code poll}, oldest first: at once if there are any, else as soon as
     * one is appended, else an empty list after {@code poll.timeout()}.
     */
    public CompletableFuture<List<E>> poll(LongPoll poll) {
        Waiter<E> waiter;
        synchronized (this) {
            List<E> found = select(poll);
            if (!found.isEmpty() || poll.timeout().isZero()) {
                return CompletableFuture.completedFuture(found);
            }
            waiter = new Waiter<>(poll);
            waiters.add(waiter);
        }
        Duration timeout = poll.timeout();
        timer.schedule(() -> expire(waiter), timeout.toNanos(), TimeUnit.NANOSECONDS);
        return waiter.answer;
    }

    /** Every event so far, oldest first (for inspection and tests). */
    public synchronized List<E> all() {
        return entries.stream().map(Entry::event).toList();
    }

    /** Answers every waiting reader with an empty list (the server is stopping). */
    public void close() {
        List<Waiter<E>> all;
        synchronized (this) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(w -> w.answer.complete(List.of()));
    }

    private void expire(Waiter<E> waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiters.remove(waiter);
        }
        if (removed) {
            waiter.answer.complete(List.of());
        }
    }

    private List<E> select(LongPoll poll) {
        List<E> found = new ArrayList<>();
        for (Entry<E> entry : entries) {
            if (found.size() == poll.maxEvents()) {
                break;
            }
            boolean afterCursor = poll.after() == null || entry.date().isAfter(poll.after());
            boolean ofSession = poll.appSessionId() == null || Objects.equals(poll.appSessionId(), entry.session());
            if (afterCursor && ofSession) {
                found.add(entry.event());
            }
        }
        return found;
    }
}
