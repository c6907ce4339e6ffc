package dev.golemsandbox.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.identity.NodeId;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.market.ProviderTimeouts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One simulated provider node as configured: what its offer says and how many activities it runs
 * at once. Built by {@link #named} with defaults, taken from the {@link DefaultFleet}, or read
 * from a providers file by {@link ProvidersFile}.
 *
 * @param name             {@code golem.node.id.name}; letters, digits, {@code .-_}
 * @param nodeId           the provider's node id ({@code 0x} + 40 hex), stable per name by default
 * @param cores            {@code golem.inf.cpu.cores}
 * @param threads          {@code golem.inf.cpu.threads}: the VM's vCPUs
 * @param memGib           {@code golem.inf.mem.gib}: the VM's memory
 * @param storageGib       {@code golem.inf.storage.gib}: the cap of what an activity writes, into its volumes included
 * @param capacity         how many agreements (each running at most one activity, so one VM) at once
 * @param pricing          the linear price
 * @param subnet           {@code golem.node.debug.subnet}; golem-js asks for "public"
 * @param paymentPlatforms platforms it takes payment on, e.g. {@code erc20-holesky-tglm}
 * @param paymentAddress   its address on every platform
 * @param extraProperties  more offer properties, overriding the generated ones of the same name
 * @param capabilities     {@code golem.runtime.capabilities}: only what its runtime really does
 *                         ({@link RuntimeCapabilities#SUPPORTED})
 * @param timeouts         its own timeouts; a null one is the sandbox's ({@link ProviderTimeouts#INHERITED}: all)
 * @param faults           failures it is set up with, each as {@code POST /_sandbox/faults} takes it, its
 *                         {@code provider} this one (checked when the sandbox starts)
 * @param outbound         the rules by which it accepts a demand's manifest that asks for outbound access;
 *                         null: {@link OutboundPresets#WHITELISTED}
 */
public record ProviderSpec(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                           int capacity, Pricing pricing, String subnet, List<String> paymentPlatforms,
                           String paymentAddress, Map<String, Object> extraProperties, List<String> capabilities,
                           ProviderTimeouts timeouts, List<ObjectNode> faults, OutboundRules outbound) {

    /** The platforms of golem-js's networks (holesky by default), so PAYMENT_NETWORK needs no extra setup. */
    public static final List<String> DEFAULT_PLATFORMS = List.of(
            "erc20-holesky-tglm", "erc20-sepolia-tglm", "erc20-amoy-tglm", "erc20-mainnet-glm", "erc20-polygon-glm");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+-[a-z0-9]+-[a-z0-9]+");

    public ProviderSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name must be 1-64 letters, digits, '.', '-' or '_', got '" + name + "'");
        }
        nodeId = NodeId.normalize(nodeId);
        if (!NodeId.isValid(nodeId)) {
            throw new IllegalArgumentException("nodeId of provider " + name + " must be 0x and 40 hex digits, got '" + nodeId + "'");
        }
        if (cores < 1 || threads < 1) {
            throw new IllegalArgumentException("provider " + name + " needs at least 1 core and 1 thread, got " + cores + " and " + threads);
        }
        if (!(memGib >= 0.0625) || !(storageGib > 0)) {
            throw new IllegalArgumentException("provider " + name + " needs memGib >= 0.0625 and storageGib > 0, got " + memGib + " and " + storageGib);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity of provider " + name + " must be at least 1, got " + capacity);
        }
        if (pricing == null) {
            throw new IllegalArgumentException("provider " + name + " has no pricing");
        }
        if (subnet == null || subnet.isBlank()) {
            throw new IllegalArgumentException("subnet of provider " + name + " is empty");
        }
        if (paymentPlatforms == null || paymentPlatforms.isEmpty()) {
            throw new IllegalArgumentException("provider " + name + " lists no payment platform");
        }
        for (String platform : paymentPlatforms) {
            if (!PLATFORM.matcher(platform).matches()) {
                throw new IllegalArgumentException("payment platform of provider " + name
                        + " must look like <driver>-<network>-<token> (erc20-holesky-tglm), got '" + platform + "'");
            }
        }
        paymentPlatforms = List.copyOf(paymentPlatforms);
        paymentAddress = NodeId.normalize(paymentAddress);
        if (!NodeId.isValid(paymentAddress)) {
            throw new IllegalArgumentException("paymentAddress of provider " + name + " must be 0x and 40 hex digits, got '" + paymentAddress + "'");
        }
        extraProperties = extraProperties == null ? Map.of() : new TreeMap<>(extraProperties);
        timeouts = timeouts == null ? ProviderTimeouts.INHERITED : timeouts;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        faults = faults == null ? List.of() : List.copyOf(faults);
        outbound = outbound == null ? OutboundPresets.WHITELISTED : outbound;
        for (String capability : capabilities) {
            if (!RuntimeCapabilities.SUPPORTED.contains(capability)) {
                throw new IllegalArgumentException("provider " + name + " cannot offer the capability '" + capability
                        + "': its runtime supports " + (RuntimeCapabilities.SUPPORTED.isEmpty() ? "none yet" : String.join(", ", RuntimeCapabilities.SUPPORTED)));
            }
        }
    }

    /** A provider with the standard outbound rules ({@link OutboundPresets#WHITELISTED}). */
    public ProviderSpec(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                        int capacity, Pricing pricing, String subnet, List<String> paymentPlatforms,
                        String paymentAddress, Map<String, Object> extraProperties, List<String> capabilities,
                        ProviderTimeouts timeouts, List<ObjectNode> faults) {
        this(name, nodeId, cores, threads, memGib, storageGib, capacity, pricing, subnet, paymentPlatforms, paymentAddress,
                extraProperties, capabilities, timeouts, faults, null);
    }

    /** A provider set up with no faults. */
    public ProviderSpec(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                        int capacity, Pricing pricing, String subnet, List<String> paymentPlatforms,
                        String paymentAddress, Map<String, Object> extraProperties, List<String> capabilities,
                        ProviderTimeouts timeouts) {
        this(name, nodeId, cores, threads, memGib, storageGib, capacity, pricing, subnet, paymentPlatforms, paymentAddress,
                extraProperties, capabilities, timeouts, List.of());
    }

    /** A provider with no runtime capabilities and the sandbox's timeouts. */
    public ProviderSpec(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                        int capacity, Pricing pricing, String subnet, List<String> paymentPlatforms,
                        String paymentAddress, Map<String, Object> extraProperties) {
        this(name, nodeId, cores, threads, memGib, storageGib, capacity, pricing, subnet, paymentPlatforms, paymentAddress,
                extraProperties, List.of(), ProviderTimeouts.INHERITED);
    }

    /** The same provider with other outbound rules. */
    public ProviderSpec withOutbound(OutboundRules rules) {
        return new ProviderSpec(name, nodeId, cores, threads, memGib, storageGib, capacity, pricing, subnet, paymentPlatforms,
                paymentAddress, extraProperties, capabilities, timeouts, faults, rules);
    }

    /**
     * A provider with the defaults: 1 core, 1 thread, 1 GiB memory, 4 GiB storage, capacity 1,
     * {@link Pricing#DEFAULT}, subnet "public", the {@link #DEFAULT_PLATFORMS}, and a node id
     * (also its payment address) derived from the name.
     */
    public static ProviderSpec named(String name) {
        String id = NodeId.derive("golem-sandbox provider " + name);
        return new ProviderSpec(name, id, 1, 1, 1.0, 4.0, 1, Pricing.DEFAULT, "public", DEFAULT_PLATFORMS, id, Map.of());
    }

    /**
     * The first {@code count} providers of the {@link DefaultFleet}; past its end the fleet repeats
     * with numbered names ({@code alder-2}, ...).
     */
    public static List<ProviderSpec> defaults(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of providers cannot be negative, got " + count);
        }
        return DefaultFleet.first(count);
    }
}
