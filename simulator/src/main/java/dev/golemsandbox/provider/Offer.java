package dev.golemsandbox.provider;

import dev.golemsandbox.http.Ids;
import dev.golemsandbox.market.ProviderTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a provider publishes on the market: its properties (in the flat dotted form golem-js reads)
 * and its constraints on demands. The property set is what golem-js 3.6 accepts: a usage vector
 * with one linear coefficient per counter plus the start price, a payment address per platform,
 * {@code golem.runtime.name=vm}.
 *
 * @param offerId     the offer's id, shown as {@code offer.offerId} in agreements
 * @param properties  the offer properties, sorted by name
 * @param constraints the provider's constraints on a demand's properties
 * @param timestamp   when it was published
 */
public record Offer(String offerId, Map<String, Object> properties, String constraints, Instant timestamp) {

    /** The debit-note interval property, with yagna's trailing "?" (negotiable). */
    public static final String DEBIT_NOTE_INTERVAL = "golem.com.scheme.payu.debit-note.interval-sec?";
    /** The mid-agreement payment timeout property. */
    public static final String PAYMENT_TIMEOUT = "golem.com.scheme.payu.payment-timeout-sec?";
    /** What the runtime can do beyond running commands: "vpn" when its VMs can join networks. */
    public static final String RUNTIME_CAPABILITIES = "golem.runtime.capabilities";
    /** Says the provider takes a demand's computation manifest instead of, or with, a task package. */
    public static final String PAYLOAD_MANIFEST = "golem.srv.caps.payload-manifest";
    /** The version of ya-runtime-vm the offers claim to run. */
    public static final String RUNTIME_VERSION = "0.4.2";

    public Offer {
        properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** The debit-note accept timeout property (negotiable: the provider accepts a lower one). */
    public static final String ACCEPT_TIMEOUT = "golem.com.payment.debit-notes.accept-timeout?";

    /**
     * The offer of {@code spec} with its effective {@code timeouts}, published at {@code now}. With
     * a positive debit-note interval the offer takes part in mid-agreement payments (debit notes).
     */
    public static Offer publish(ProviderSpec spec, ProviderTimeouts timeouts, Instant now) {
        Duration debitNoteInterval = timeouts.debitNoteInterval();
        Map<String, Object> p = new TreeMap<>();
        p.put("golem.activity.caps.transfer.protocol", List.of("gftp", "http", "https"));
        p.put(ACCEPT_TIMEOUT, timeouts.debitNoteAcceptTimeout().toSeconds());
        for (String platform : spec.paymentPlatforms()) {
            p.put("golem.com.payment.platform." + platform + ".address", spec.paymentAddress());
        }
        p.put("golem.com.payment.protocol.version", "3");
        p.put("golem.com.pricing.model", "linear");
        p.put("golem.com.pricing.model.linear.coeffs", spec.pricing().coeffs());
        p.put("golem.com.scheme", "payu");
        if (!debitNoteInterval.isZero()) {
            p.put(DEBIT_NOTE_INTERVAL, debitNoteInterval.toSeconds());
            p.put(PAYMENT_TIMEOUT, 120);
        }
        p.put("golem.com.usage.vector", Pricing.USAGE_VECTOR);
        p.putAll(GuestCpu.offerProperties());
        p.put("golem.inf.cpu.cores", spec.cores());
        p.put("golem.inf.cpu.threads", spec.threads());
        p.put("golem.inf.mem.gib", spec.memGib());
        p.put("golem.inf.storage.gib", spec.storageGib());
        p.put("golem.node.debug.subnet", spec.subnet());
        p.put("golem.node.id.name", spec.name());
        p.put("golem.node.net.is-public", false);
        p.put(RUNTIME_CAPABILITIES, spec.capabilities());
        p.put("golem.runtime.name", "vm");
        p.put("golem.runtime.version", RUNTIME_VERSION);
        p.put("golem.srv.caps.multi-activity", true);
        if (spec.capabilities().contains(RuntimeCapabilities.MANIFEST_SUPPORT)) {
            p.put(PAYLOAD_MANIFEST, true);
        }
        p.putAll(spec.extraProperties());
        String constraints = "(&(golem.node.debug.subnet=" + spec.subnet() + ")\n"
                + "\t(golem.srv.comp.expiration>" + now.toEpochMilli() + "))";
        return new Offer(Ids.hex(16), p, constraints, now);
    }

    /** The same offer without {@code capability} in {@code golem.runtime.capabilities}. */
    public Offer withoutRuntimeCapability(String capability) {
        Map<String, Object> p = new TreeMap<>(properties);
        if (p.get(RUNTIME_CAPABILITIES) instanceof List<?> present) {
            p.put(RUNTIME_CAPABILITIES, present.stream().filter(c -> !capability.equals(c)).toList());
        }
        return new Offer(offerId, p, constraints, timestamp);
    }

    /** The same offer with {@code capability} added to {@code golem.runtime.capabilities} (once). */
    public Offer withRuntimeCapability(String capability) {
        Map<String, Object> p = new TreeMap<>(properties);
        List<Object> capabilities = new ArrayList<>();
        if (p.get(RUNTIME_CAPABILITIES) instanceof List<?> present) {
            capabilities.addAll(present);
        }
        if (!capabilities.contains(capability)) {
            capabilities.add(capability);
        }
        p.put(RUNTIME_CAPABILITIES, List.copyOf(capabilities));
        return new Offer(offerId, p, constraints, timestamp);
    }
}
