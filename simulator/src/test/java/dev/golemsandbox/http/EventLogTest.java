package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLogTest {

    record Event(Instant date, String name) {
    }

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final EventLog<Event> log = new EventLog<>(timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    static LongPoll poll(Instant after, String session, int max, Duration timeout) {
        return new LongPoll(timeout, max, after, session);
    }

    @Test
    void eventsAppendedInTheSameMicrosecondStillGetDistinctIncreasingDates() {
        for (int i = 0; i < 1000; i++) {
            int n = i;
            log.append(null, date -> new Event(date, "e" + n));
        }
        List<Event> all = log.all();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).date()).isAfter(all.get(i - 1).date());
        }
    }

    @Test
    void aReaderPagingByTheLastDateSeesEveryEventOnce() {
        for (int i = 0; i < 25; i++) {
            int n = i;
            log.append(null, date -> new Event(date, "e" + n));
        }
        Instant cursor = null;
        int seen = 0;
        while (true) {
            List<Event> page = log.poll(poll(cursor, null, 10, Duration.ZERO)).join();
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.get(0).name()).isEqualTo("e" + seen);
            seen += page.size();
            cursor = IsoTime.parse("afterTimestamp", IsoTime.format(page.get(page.size() - 1).date()));
        }
        assertThat(seen).isEqualTo(25);
    }

    @Test
    void aWaitingReaderOfOneSessionIsNotWokenByAnother() {
        CompletableFuture<List<Event>> mine = log.poll(poll(null, "mine", 10, Duration.ofSeconds(10)));

        log.append("other", date -> new Event(date, "theirs"));
        assertThat(mine).isNotDone();
        log.append("mine", date -> new Event(date, "ours"));

        assertThat(mine.join()).extracting(Event::name).containsExactly("ours");
    }

    @Test
    void closingAnswersWaitingReadersWithNothing() {
        CompletableFuture<List<Event>> waiting = log.poll(poll(null, null, 10, Duration.ofMinutes(5)));

        log.close();

        assertThat(waiting.join()).isEmpty();
    }

    @Test
    void theLogKeepsAtMostItsLimitOfEventsAndReadersStillPageThroughWhatIsKept() {
        for (int i = 0; i < EventLog.MAX_EVENTS + 500; i++) {
            int n = i;
            log.append(null, date -> new Event(date, "e" + n));
        }

        List<Event> all = log.all();
        assertThat(all).hasSize(EventLog.MAX_EVENTS);
        assertThat(all.get(0).name()).isEqualTo("e500");
        Instant middle = all.get(EventLog.MAX_EVENTS / 2).date();
        assertThat(log.poll(poll(middle, null, 3, Duration.ZERO)).join()).extracting(Event::name)
                .containsExactly("e" + (500 + EventLog.MAX_EVENTS / 2 + 1), "e" + (500 + EventLog.MAX_EVENTS / 2 + 2),
                        "e" + (500 + EventLog.MAX_EVENTS / 2 + 3));
    }
}
