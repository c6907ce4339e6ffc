package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventLog;
import dev.golemsandbox.http.IsoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agreements of the market and the moves between their {@link AgreementState}s, each with
 * the {@code /agreementEvents} event the requestor reads. The provider's {@link ProviderPolicy}
 * decides on confirmed agreements and on when to end approved ones; a move that is not legal in
 * the agreement's state throws {@link ApiException} (409 not yet, 410 no more).
 *
 * <p>Not thread-safe: guarded by the {@link Market}'s lock. Telling the agreement listeners is the
 * market's job, after it released the lock.
 */
final class AgreementBook {

    private final ScheduledExecutorService timer;
    private final EventLog<AgreementEvent> events;
    private final Map<String, Agreement> agreements = new LinkedHashMap<>();

    AgreementBook(ScheduledExecutorService timer) {
        this.timer = timer;
        this.events = new EventLog<>(timer);
    }

    /** The {@code /agreementEvents} feed (thread-safe itself). */
    EventLog<AgreementEvent> events() {
        return events;
    }

    /** Stores a new agreement in state Proposal. */
    void add(Agreement agreement) {
        agreements.put(agreement.agreementId(), agreement);
    }

    Agreement find(String agreementId) {
        Agreement a = agreements.get(agreementId);
        if (a == null) {
            throw new ApiException.NotFound("agreement " + agreementId + " not found");
        }
        return a;
    }

    List<AgreementListEntry> list(String appSessionId, AgreementState state) {
        return agreements.values().stream()
                .filter(a -> appSessionId == null || appSessionId.equals(a.appSessionId()))
                .filter(a -> state == null || a.state() == state)
                .map(a -> new AgreementListEntry(a.agreementId(), IsoTime.format(a.timestamp()),
                        a.approvedDate() == null ? null : IsoTime.format(a.approvedDate()), "Requestor", a.state().name()))
                .toList();
    }

    /** The ids of the Approved agreements of {@code provider}: the slots it has in use. */
    List<String> heldBy(ProviderNode provider) {
        return agreements.values().stream()
                .filter(a -> a.provider() == provider && a.state() == AgreementState.Approved)
                .map(Agreement::agreementId).toList();
    }

    Slots slotsOf(ProviderNode provider) {
        return new Slots(provider.capacity(), heldBy(provider).size());
    }

    /** Proposal to Pending, then the provider's decision; the agreement if the provider approved it, null if it rejected it. */
    Agreement confirm(String agreementId, String appSessionId) {
        Agreement a = find(agreementId);
        if (a.state() != AgreementState.Proposal) {
            throw a.state().isFinal() ? gone(a)
                    : new ApiException.Conflict("agreement " + agreementId + " is already confirmed (state " + a.state() + ")");
        }
        a.confirm(appSessionId);
        return decide(a) ? a : null;
    }

    /** The provider's approval of a Pending agreement; the agreement if it was approved now, null if it already was or the provider does not answer. */
    Agreement approve(String agreementId) {
        Agreement a = find(agreementId);
        switch (a.state()) {
            case Approved -> {
                return null;
            }
            case Proposal -> throw new ApiException.Conflict("agreement " + agreementId + " is not confirmed by the requestor yet");
            case Pending -> {
            }
            default -> throw gone(a);
        }
        if (!decide(a)) {
            if (a.state() == AgreementState.Pending) {
                return null;
            }
            throw gone(a);
        }
        return a;
    }

    /**
     * Completes when the provider has approved the agreement; fails with 408 after {@code timeout}
     * (zero: no limit), 409 if not confirmed yet, 410 if rejected, cancelled, expired or terminated.
     */
    CompletableFuture<Void> waitForApproval(String agreementId, Duration timeout) {
        Agreement agreement = find(agreementId);
        switch (agreement.state()) {
            case Approved -> {
                return CompletableFuture.completedFuture(null);
            }
            case Proposal -> throw new ApiException.Conflict("agreement " + agreementId + " is not confirmed yet: confirm it first");
            case Pending -> {
            }
            default -> throw gone(agreement);
        }
        CompletableFuture<Void> answer = new CompletableFuture<>();
        agreement.settled().whenCompleteAsync((state, error) -> {
            if (state == AgreementState.Approved) {
                answer.complete(null);
            } else {
                answer.completeExceptionally(gone(agreement));
            }
        }, timer);
        if (!timeout.isZero()) {
            timer.schedule(() -> answer.completeExceptionally(new ApiException.Timeout("agreement " + agreementId
                    + " was not approved within " + timeout.toMillis() / 1000.0 + " s; wait again")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return answer;
    }

    /** The requestor withdraws an agreement that is not approved yet (Proposal or Pending). */
    void cancel(String agreementId, String reason) {
        Agreement a = find(agreementId);
        if (a.state() == AgreementState.Approved) {
            throw new ApiException.Conflict("agreement " + agreementId + " is Approved: terminate it instead of cancelling");
        }
        if (a.state().isFinal()) {
            throw gone(a);
        }
        a.end(AgreementState.Cancelled, reason);
        events.append(a.appSessionId(), date -> AgreementEvent.cancelled(IsoTime.format(date), agreementId, reason));
    }

    /** The agreement the requestor may terminate: an Approved one. */
    Agreement terminable(String agreementId) {
        Agreement a = find(agreementId);
        if (a.state() != AgreementState.Approved) {
            throw a.state().isFinal() ? new ApiException.Gone("agreement " + agreementId + " is already " + a.state())
                    : new ApiException.Conflict("agreement " + agreementId + " is " + a.state()
                    + ": only an Approved agreement can be terminated; cancel it instead");
        }
        return a;
    }

    /** Approved to Terminated, by the {@code terminator} ("Requestor" or "Provider"). */
    void terminate(Agreement a, String terminator, Reason reason) {
        a.end(AgreementState.Terminated, reason.message());
        events.append(a.appSessionId(), date -> AgreementEvent.terminated(IsoTime.format(date), a.agreementId(), terminator, reason));
    }

    /** The agreement an activity may be created under: an Approved one. */
    Agreement approved(String agreementId) {
        return requireApproved(find(agreementId));
    }

    /** Records that the activity runs under {@code a}; false if it already did. */
    boolean activityStarted(Agreement a, String activityId) {
        requireApproved(a);
        String running = a.runningActivity();
        if (activityId.equals(running)) {
            return false;
        }
        if (running != null) {
            throw new ApiException.Conflict("agreement " + a.agreementId() + " already runs activity " + running
                    + "; destroy it before creating another (a provider runs one activity per agreement at a time)");
        }
        a.run(activityId);
        return true;
    }

    /** Agreements not approved by their {@code validTo} expire (no event: the requestor gave up on them). */
    void expireUnapproved(Instant now) {
        for (Agreement a : agreements.values()) {
            if ((a.state() == AgreementState.Proposal || a.state() == AgreementState.Pending) && now.isAfter(a.validTo())) {
                a.end(AgreementState.Expired, "validTo " + IsoTime.format(a.validTo()) + " passed before approval");
            }
        }
    }

    /**
     * The Approved agreements their providers end now, with the reason: those the provider's policy
     * wants to end, and those of a requestor session silent for the provider's
     * {@link ProviderTimeouts#requestorUnreachable()} (zero: never).
     */
    Map<Agreement, Reason> dueForTermination(Instant now, RequestorSessions sessions) {
        Map<Agreement, Reason> due = new LinkedHashMap<>();
        for (Agreement a : agreements.values()) {
            if (a.state() != AgreementState.Approved) {
                continue;
            }
            Duration unreachable = a.provider().timeouts().requestorUnreachable();
            a.provider().policy().reasonToTerminate(a, now).ifPresentOrElse(reason -> due.put(a, reason), () -> {
                if (!unreachable.isZero() && sessions.isGone(a.appSessionId(), now, unreachable)) {
                    due.put(a, BreakReason.requestorUnreachable(unreachable));
                }
            });
        }
        return due;
    }

    static ApiException gone(Agreement a) {
        String reason = a.endReason();
        return new ApiException.Gone("agreement " + a.agreementId() + " is " + a.state() + (reason == null ? "" : ": " + reason));
    }

    private static Agreement requireApproved(Agreement a) {
        switch (a.state()) {
            case Approved -> {
                return a;
            }
            case Proposal, Pending -> throw new ApiException.Conflict("agreement " + a.agreementId() + " is " + a.state()
                    + ": activities can be created once it is Approved");
            default -> throw gone(a);
        }
    }

    /** Asks the provider about a Pending agreement and applies its decision; true if it approved. */
    private boolean decide(Agreement a) {
        AgreementDecision decision = a.provider().policy().decide(a, slotsOf(a.provider()));
        if (decision.approved()) {
            a.approve(IsoTime.now());
            events.append(a.appSessionId(), date -> AgreementEvent.approved(IsoTime.format(date), a.agreementId()));
            return true;
        }
        if (decision.unanswered()) {
            return false;
        }
        a.end(AgreementState.Rejected, decision.reason());
        events.append(a.appSessionId(), date -> AgreementEvent.rejected(IsoTime.format(date), a.agreementId(), decision.reason()));
        return false;
    }
}
