package dev.golemsandbox.market;

import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A provider node as the market needs it: who it is, the offer it publishes, how many agreements
 * it holds at once, the runtime its activities run on, and the {@link ProviderPolicy} that makes
 * its decisions. The market never looks behind this interface; the sandbox's simulated providers
 * implement it ({@code dev.golemsandbox.provider.SimulatedProvider}).
 *
 * <pre>{@code
 * Market market = new Market(providers.all(), requestorId, sessions, timer);
 * }</pre>
 *
 * Implementations are immutable: the market reads them from any thread, also under its lock.
 */
public interface ProviderNode {

    /** Its node id ({@code 0x} + 40 hex), the issuer of its proposals. */
    String nodeId();

    /** {@code golem.node.id.name}, for messages and inspection. */
    String name();

    /** The id of its offer, shown as {@code offer.offerId} in agreements. */
    String offerId();

    /** The offer's properties (flat dotted names), as its Initial proposals carry them. */
    Map<String, Object> offerProperties();

    /** When the offer was published. */
    Instant offerTimestamp();

    /** The offer's constraints on a demand's properties. */
    String offerConstraints();

    /** How many Approved agreements it holds at once (each runs at most one activity, so one VM). */
    int capacity();

    /** When it acts on its own: breaks idle agreements, sends and enforces debit notes, gives up on a silent requestor. */
    ProviderTimeouts timeouts();

    /** Makes the VMs of the activities under its agreements. */
    VmRuntime runtime();

    /** Its decisions in negotiations and on agreements. */
    ProviderPolicy policy();

    /** The VM each activity under an agreement gets, from the offer properties agreed in its Draft. */
    Resources resourcesFor(Map<String, Object> agreedOffer);

    /** How it shows in {@code /_sandbox/info} while it holds {@code heldAgreements}. */
    ProviderStatus status(List<String> heldAgreements);
}
