package dev.golemsandbox.fault;

import dev.golemsandbox.market.Agreement;
import dev.golemsandbox.market.AgreementDecision;
import dev.golemsandbox.market.CounterAnswer;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.Reason;
import dev.golemsandbox.market.RequestorProposal;
import dev.golemsandbox.market.Slots;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider's policy with the market faults of the book applied on top: it rejects
 * counter-proposals, leaves confirmed agreements unanswered, or terminates approved ones after a
 * while, as a provider doing so would; otherwise the provider's own policy decides.
 */
public final class FaultyPolicy implements ProviderPolicy {

    private final ProviderPolicy policy;
    private final FaultBook faults;
    private final String provider;
    /** Agreements a terminate fault has been fired for, with its reason (a fault counts once per agreement). */
    private final Map<String, Optional<Reason>> terminations = new ConcurrentHashMap<>();

    public FaultyPolicy(ProviderPolicy policy, FaultBook faults, String provider) {
        this.policy = policy;
        this.faults = faults;
        this.provider = provider;
    }

    @Override
    public boolean proposesTo(RequestorProposal demand, Slots slots) {
        return policy.proposesTo(demand, slots);
    }

    @Override
    public CounterAnswer answer(RequestorProposal counter, Slots slots) {
        Optional<Fault> reject = faults.fire(FaultKind.REJECT_PROPOSALS, provider, null);
        return reject.isPresent() ? CounterAnswer.reject(reject.get().text("reason", "rejected")) : policy.answer(counter, slots);
    }

    @Override
    public Optional<String> refusal(RequestorProposal demand) {
        return policy.refusal(demand);
    }

    @Override
    public AgreementDecision decide(Agreement agreement, Slots slots) {
        return faults.fire(FaultKind.NO_APPROVAL, provider, null).isPresent()
                ? AgreementDecision.noAnswer() : policy.decide(agreement, slots);
    }

    @Override
    public Optional<Reason> reasonToTerminate(Agreement agreement, Instant now) {
        Optional<Reason> own = policy.reasonToTerminate(agreement, now);
        if (own.isPresent()) {
            return own;
        }
        Instant approved = agreement.approvedDate();
        if (approved == null) {
            return Optional.empty();
        }
        Optional<Reason> decided = terminations.get(agreement.agreementId());
        if (decided != null) {
            return decided;
        }
        for (Fault fault : faults.armed(FaultKind.TERMINATE, provider, null)) {
            if (!now.isBefore(approved.plusSeconds(fault.number("afterSeconds").orElse(0))) && fault.fire()) {
                Optional<Reason> reason = Optional.of(new Reason(fault.text("reason", "terminated")));
                terminations.put(agreement.agreementId(), reason);
                return reason;
            }
        }
        return Optional.empty();
    }
}
