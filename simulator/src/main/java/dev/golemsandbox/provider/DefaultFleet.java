package dev.golemsandbox.provider;

import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.market.ProviderTimeouts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The providers a sandbox starts when none are configured: a dozen nodes as different as those of
 * the public testnet, from one thread and 1 GiB to eight threads and 16 GiB, with storage from
 * 8 to 64 GiB and their own prices (all within what golem-js's examples accept), so ordinary
 * demands ({@code minMemGib: 2}, {@code minCpuThreads: 4}, {@code minStorageGib: 16}) find
 * providers and a requestor keeping a pool of rentals does not exhaust the market. Each VM gets
 * exactly the threads and memory of its offer; guest memory is taken lazily, so a big idle offer
 * costs nothing. The small ones come first: {@code --providers 1} gives the cheapest VM.
 *
 * <p>Their outbound rules vary as on the network: birch, elm and larch let everyone out to any
 * host ({@link OutboundPresets#OPEN}); alder, cedar, fir, hazel and maple only to whitelisted
 * hosts ({@link OutboundPresets#WHITELISTED}); ginkgo and oak only trusted requestors, of which
 * they have none ({@link OutboundPresets#TRUSTED_ONLY}); dogwood and juniper have outbound
 * access turned off. All of them advertise {@code inet} and {@code manifest-support}, as every
 * provider of the VM runtime does; the rules speak in the negotiation.
 */
public final class DefaultFleet {

    private record Node(String name, int cores, int threads, double memGib, double storageGib, int capacity,
                        String cpuPerHour, String envPerHour, String start, OutboundRules outbound) {
    }

    private static final List<Node> NODES = List.of(
            new Node("alder", 1, 1, 1, 8, 1, "0.1", "0.02", "0", OutboundPresets.WHITELISTED),
            new Node("birch", 1, 2, 2, 16, 1, "0.12", "0.02", "0.001", OutboundPresets.OPEN),
            new Node("cedar", 2, 4, 4, 16, 1, "0.15", "0.03", "0.002", OutboundPresets.WHITELISTED),
            new Node("dogwood", 2, 4, 8, 32, 1, "0.18", "0.04", "0.005", OutboundPresets.DISABLED),
            new Node("elm", 4, 8, 16, 64, 1, "0.25", "0.05", "0.01", OutboundPresets.OPEN),
            new Node("fir", 1, 1, 2, 10, 2, "0.08", "0.015", "0", OutboundPresets.WHITELISTED),
            new Node("ginkgo", 2, 2, 3, 20, 1, "0.11", "0.025", "0.001", OutboundPresets.TRUSTED_ONLY),
            new Node("hazel", 4, 6, 12, 48, 1, "0.2", "0.04", "0.008", OutboundPresets.WHITELISTED),
            new Node("juniper", 1, 2, 1.5, 12, 1, "0.09", "0.02", "0", OutboundPresets.DISABLED),
            new Node("larch", 2, 4, 6, 24, 2, "0.14", "0.03", "0.003", OutboundPresets.OPEN),
            new Node("maple", 4, 8, 10, 40, 1, "0.3", "0.06", "0.02", OutboundPresets.WHITELISTED),
            new Node("oak", 4, 8, 16, 64, 1, "0.4", "0.08", "0.05", OutboundPresets.TRUSTED_ONLY));

    /** How many distinct providers the fleet has. */
    public static final int SIZE = NODES.size();

    private DefaultFleet() {
    }

    /** The first {@code count} providers; past the fleet's size it repeats with names numbered from 2. */
    static List<ProviderSpec> first(int count) {
        List<ProviderSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Node n = NODES.get(i % SIZE);
            String name = i < SIZE ? n.name() : n.name() + "-" + (i / SIZE + 1);
            ProviderSpec base = ProviderSpec.named(name);
            specs.add(new ProviderSpec(name, base.nodeId(), n.cores(), n.threads(), n.memGib(), n.storageGib(), n.capacity(),
                    Pricing.perHour(new BigDecimal(n.cpuPerHour()), new BigDecimal(n.envPerHour()), new BigDecimal(n.start())),
                    base.subnet(), base.paymentPlatforms(), base.paymentAddress(), base.extraProperties(),
                    RuntimeCapabilities.SUPPORTED, ProviderTimeouts.INHERITED, List.of(), n.outbound()));
        }
        return List.copyOf(specs);
    }
}
