package dev.golemsandbox.market;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Which requestor app sessions are still alive, judged by their event polling: golem-js keeps a
 * long-poll open on the agreement, invoice and debit-note feeds for as long as it runs, so a
 * session that polled once and then fell silent belongs to a requestor that went away (killed,
 * crashed). The market then ends its agreements, so their providers do not stay busy forever.
 * Sessions that never polled (curl, raw HTTP clients) are never judged gone.
 *
 * <pre>{@code
 * RequestorSessions sessions = new RequestorSessions();   // one per sandbox: the market and payment report polls
 * sessions.pollStarted(poll.appSessionId());
 * feed.poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
 * }</pre>
 *
 * Thread-safe.
 */
public final class RequestorSessions {

    private static final class Session {
        int openPolls;
        Instant lastSeen;
    }

    private final Map<String, Session> sessions = new HashMap<>();

    /** A poll of {@code appSessionId} (null: none) begins. */
    public synchronized void pollStarted(String appSessionId) {
        if (appSessionId != null) {
            Session s = sessions.computeIfAbsent(appSessionId, id -> new Session());
            s.openPolls++;
            s.lastSeen = Instant.now();
        }
    }

    /** A poll of {@code appSessionId} (null: none) has been answered or dropped. */
    public synchronized void pollEnded(String appSessionId) {
        Session s = appSessionId == null ? null : sessions.get(appSessionId);
        if (s != null) {
            s.openPolls = Math.max(0, s.openPolls - 1);
            s.lastSeen = Instant.now();
        }
    }

    /** Whether the session polled before, has no poll open, and was last seen longer than {@code silence} ago. */
    synchronized boolean isGone(String appSessionId, Instant now, Duration silence) {
        Session s = appSessionId == null ? null : sessions.get(appSessionId);
        return s != null && s.openPolls == 0 && s.lastSeen.plus(silence).isBefore(now);
    }
}
