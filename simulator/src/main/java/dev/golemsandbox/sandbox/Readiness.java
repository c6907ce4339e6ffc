package dev.golemsandbox.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What must be true before the sandbox can serve a requestor, as named conditions that components
 * report into: "guest-assets", "default-image", "providers". {@code /_sandbox/ready} answers 503
 * until every condition is ready; {@code /_sandbox/health} shows them all.
 *
 * <pre>{@code
 * Readiness.Condition guest = readiness.condition("guest-assets");   // pending
 * guest.progress("fetching the kernel");                             // still pending, with a note
 * guest.ready();                                                     // or guest.failed("no network")
 * }</pre>
 *
 * Thread-safe.
 */
public final class Readiness {

    /** The state of one condition. */
    public enum State { PENDING, READY, FAILED }

    /** One condition, reported by the component that owns it. */
    public final class Condition {
        private final String name;
        private State state = State.PENDING;
        private String detail;

        private Condition(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** Still pending, with a note on what is going on. */
        public void progress(String note) {
            set(State.PENDING, note);
        }

        public void ready() {
            set(State.READY, null);
        }

        /** Will not become ready without help; {@code reason} tells the user what to do. */
        public void failed(String reason) {
            set(State.FAILED, reason);
        }

        private void set(State newState, String newDetail) {
            synchronized (Readiness.this) {
                state = newState;
                detail = newDetail;
            }
        }
    }

    /** A condition's state as reported by the endpoints. */
    public record Status(String name, State state, String detail) {
    }

    private final Map<String, Condition> conditions = new LinkedHashMap<>();

    /** The condition called {@code name}, created pending on first use. */
    public synchronized Condition condition(String name) {
        return conditions.computeIfAbsent(name, Condition::new);
    }

    /** Whether every condition is ready. */
    public synchronized boolean isReady() {
        return conditions.values().stream().allMatch(c -> c.state == State.READY);
    }

    /** Every condition, in the order they were created. */
    public synchronized List<Status> statuses() {
        List<Status> all = new ArrayList<>();
        for (Condition c : conditions.values()) {
            all.add(new Status(c.name, c.state, c.detail));
        }
        return all;
    }
}
