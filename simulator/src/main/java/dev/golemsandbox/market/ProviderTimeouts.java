package dev.golemsandbox.market;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The times after which a provider acts on its own, as ya-provider does: it breaks an agreement
 * that runs no activity for {@code noActivity}; it sends a debit note every
 * {@code debitNoteInterval} while an activity runs (when the requestor agreed to mid-agreement
 * debit notes); it opens the negotiation of {@code golem.com.payment.debit-notes.accept-timeout?}
 * with {@code debitNoteAcceptTimeout} and breaks the agreement when a debit note is not accepted
 * within what was agreed; it breaks the agreements of a requestor it has not heard from (no event
 * poll) for {@code requestorUnreachable}. Zero turns a rule off. A null component (only in a
 * provider's own settings) means "the sandbox's setting"; see {@link #over}.
 *
 * <pre>{@code
 * ProviderTimeouts effective = spec.timeouts().over(config.providerTimeouts());
 * }</pre>
 */
public record ProviderTimeouts(Duration noActivity, Duration debitNoteInterval, Duration debitNoteAcceptTimeout,
                               Duration requestorUnreachable) {

    /** The shortest accept-timeout a provider agrees to, as ya-provider's. */
    public static final Duration MIN_DEBIT_NOTE_ACCEPT_TIMEOUT = Duration.ofSeconds(5);

    /** ya-provider's: 90 s without an activity, debit notes accepted within 240 s; notes off and 60 s of silence, the sandbox's. */
    public static final ProviderTimeouts DEFAULTS = new ProviderTimeouts(Duration.ofSeconds(90), Duration.ZERO,
            Duration.ofSeconds(240), Duration.ofSeconds(60));

    /** No setting of its own: every one is the sandbox's. */
    public static final ProviderTimeouts INHERITED = new ProviderTimeouts(null, null, null, null);

    public ProviderTimeouts {
        for (Duration d : new Duration[] {noActivity, debitNoteInterval, debitNoteAcceptTimeout, requestorUnreachable}) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("a timeout cannot be negative, got " + d.toMillis() / 1000.0 + " s");
            }
        }
        if (debitNoteInterval != null && !debitNoteInterval.isZero() && debitNoteInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the debit-note interval must be 0 (off) or at least 1 second");
        }
        if (debitNoteAcceptTimeout != null && debitNoteAcceptTimeout.compareTo(MIN_DEBIT_NOTE_ACCEPT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("the debit-note accept timeout must be at least "
                    + MIN_DEBIT_NOTE_ACCEPT_TIMEOUT.toSeconds() + " s, got " + debitNoteAcceptTimeout.toMillis() / 1000.0 + " s");
        }
    }

    /** These settings, with {@code base}'s where these have none. */
    public ProviderTimeouts over(ProviderTimeouts base) {
        return new ProviderTimeouts(noActivity != null ? noActivity : base.noActivity,
                debitNoteInterval != null ? debitNoteInterval : base.debitNoteInterval,
                debitNoteAcceptTimeout != null ? debitNoteAcceptTimeout : base.debitNoteAcceptTimeout,
                requestorUnreachable != null ? requestorUnreachable : base.requestorUnreachable);
    }

    /** Each setting in seconds (0: off), for {@code /_sandbox/info} and {@code status}. */
    public Map<String, Double> seconds() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("noActivity", seconds(noActivity));
        s.put("debitNoteInterval", seconds(debitNoteInterval));
        s.put("debitNoteAcceptTimeout", seconds(debitNoteAcceptTimeout));
        s.put("requestorUnreachable", seconds(requestorUnreachable));
        return s;
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }
}
