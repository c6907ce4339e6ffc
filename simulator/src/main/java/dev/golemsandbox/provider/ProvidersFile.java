package dev.golemsandbox.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.market.ProviderTimeouts;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads simulated providers from a YAML file. Every key but {@code name} is optional and defaults
 * as in {@link ProviderSpec#named}:
 *
 * <pre>
 * providers:
 *   - name: big-node
 *     cores: 2
 *     threads: 4
 *     memGib: 2
 *     storageGib: 8
 *     capacity: 2
 *     subnet: public
 *     pricing: {cpuPerHour: 0.1, envPerHour: 0.02, start: 0}
 *     paymentPlatforms: [erc20-holesky-tglm]
 *     paymentAddress: "0x..."
 *     nodeId: "0x..."
 *     properties: {golem.inf.cpu.brand: "Sandbox CPU"}
 *     capabilities: []          # golem.runtime.capabilities; only those the runtime supports
 *     timeouts: {noActivity: 90, debitNoteInterval: 120, debitNoteAcceptTimeout: 240, requestorUnreachable: 60}
 *     faults:                   # as POST /_sandbox/faults takes them, for this provider
 *       - {fault: crash-vm, atCommand: run, times: 1}
 *     outbound:                 # which demand manifests asking for outbound access it accepts
 *       enabled: true           # false: none ("outbound is disabled")
 *       everyone: whitelist     # all | none | whitelist: the rule for every requestor
 *       whitelist:              # replaces the standard list (package registries, github.com, localhost, ...)
 *         - github.com                               # a host, matched exactly
 *         - {domain: '.*\.example\.org', match: regex}   # a regular expression the whole host matches
 *       auditedPayload:         # manifests signed with these certificates (SHA-256 fingerprint, hex)
 *         "3f2a...64 hex": all
 *       partner:                # these requestors (node id)
 *         "0x...": whitelist
 * </pre>
 *
 * <p>A manifest's outbound request passes if outbound is enabled and any one rule passes; a
 * {@code whitelist} rule passes when every URL's host is on the whitelist, never for unrestricted
 * access. Without {@code outbound:} a provider has {@link OutboundPresets#WHITELISTED}.
 *
 * A mistake (unknown key, wrong type, duplicate name) is a {@link UserError} naming the file and
 * the provider.
 */
public final class ProvidersFile {

    private static final Set<String> KEYS = Set.of("name", "nodeId", "cores", "threads", "memGib", "storageGib",
            "capacity", "pricing", "subnet", "paymentPlatforms", "paymentAddress", "properties", "capabilities", "timeouts",
            "faults", "outbound");
    private static final Set<String> TIMEOUT_KEYS = Set.of("noActivity", "debitNoteInterval", "debitNoteAcceptTimeout",
            "requestorUnreachable");
    private static final Set<String> PRICING_KEYS = Set.of("cpuPerHour", "envPerHour", "start");

    private ProvidersFile() {
    }

    /** The providers listed in {@code file}. */
    public static List<ProviderSpec> load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UserError("providers file not found: " + file);
        } catch (IOException e) {
            throw new UserError("cannot read providers file " + file + ": " + firstLine(e.getMessage()));
        }
        JsonNode list = root == null ? null : root.get("providers");
        if (list == null || !list.isArray()) {
            throw new UserError("providers file " + file + " must have a top-level 'providers:' list");
        }
        List<ProviderSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            String where = "provider " + index + " of " + file;
            ProviderSpec spec;
            try {
                spec = parse(entry, where);
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ": " + e.getMessage());
            }
            if (!names.add(spec.name())) {
                throw new UserError(where + ": the name '" + spec.name() + "' is used twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private static ProviderSpec parse(JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException("must be a map of keys such as name, cores, memGib");
        }
        checkKeys(entry, KEYS, "");
        if (!entry.hasNonNull("name") || !entry.get("name").isValueNode()) {
            throw new IllegalArgumentException("lacks a 'name'");
        }
        ProviderSpec d = ProviderSpec.named(entry.get("name").asText());
        Pricing pricing = d.pricing();
        JsonNode p = entry.get("pricing");
        if (p != null) {
            if (!p.isObject()) {
                throw new IllegalArgumentException("'pricing' must be a map with cpuPerHour, envPerHour, start");
            }
            checkKeys(p, PRICING_KEYS, "pricing.");
            BigDecimal hour = BigDecimal.valueOf(3600);
            pricing = Pricing.perHour(
                    decimal(p, "cpuPerHour", pricing.perCpuSecond().multiply(hour)),
                    decimal(p, "envPerHour", pricing.perDurationSecond().multiply(hour)),
                    decimal(p, "start", pricing.start()));
        }
        String nodeId = text(entry, "nodeId", d.nodeId());
        return new ProviderSpec(d.name(), nodeId,
                integer(entry, "cores", d.cores()),
                integer(entry, "threads", d.threads()),
                number(entry, "memGib", d.memGib()),
                number(entry, "storageGib", d.storageGib()),
                integer(entry, "capacity", d.capacity()),
                pricing,
                text(entry, "subnet", d.subnet()),
                platforms(entry, d.paymentPlatforms()),
                text(entry, "paymentAddress", entry.has("nodeId") ? nodeId : d.paymentAddress()),
                properties(entry),
                strings(entry, "capabilities", List.of()),
                timeouts(entry),
                faults(entry, d.name()),
                OutboundRulesReader.read(entry.get("outbound")));
    }

    /** The provider's faults, each made to name it; their kinds and parameters are checked when the sandbox starts. */
    private static List<ObjectNode> faults(JsonNode entry, String provider) {
        JsonNode list = entry.get("faults");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("'faults' must be a list such as [{fault: crash-vm, atCommand: run}]");
        }
        List<ObjectNode> faults = new ArrayList<>();
        for (JsonNode fault : list) {
            if (!fault.isObject()) {
                throw new IllegalArgumentException("each of 'faults' is a map such as {fault: slow-exec, latencyMs: 200}");
            }
            if (fault.has("provider") && !provider.equals(fault.get("provider").asText())) {
                throw new IllegalArgumentException("a fault under provider " + provider + " names provider " + fault.get("provider"));
            }
            faults.add(((ObjectNode) fault.deepCopy()).put("provider", provider));
        }
        return faults;
    }

    private static void checkKeys(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + prefix + key + "'; known keys: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static int integer(JsonNode entry, String key, int fallback) {
        JsonNode v = entry.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode entry, String key, double fallback) {
        JsonNode v = entry.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static BigDecimal decimal(JsonNode entry, String key, BigDecimal fallback) {
        JsonNode v = entry.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'pricing." + key + "' must be a number, got " + v);
        }
        return v.decimalValue();
    }

    private static String text(JsonNode entry, String key, String fallback) {
        JsonNode v = entry.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("'" + key + "' must be a plain value, got " + v);
        }
        return v.asText();
    }

    /** Seconds per timeout; a missing one is the sandbox's setting. */
    private static ProviderTimeouts timeouts(JsonNode entry) {
        JsonNode t = entry.get("timeouts");
        if (t == null) {
            return ProviderTimeouts.INHERITED;
        }
        if (!t.isObject()) {
            throw new IllegalArgumentException("'timeouts' must be a map of seconds such as {noActivity: 90}");
        }
        checkKeys(t, TIMEOUT_KEYS, "timeouts.");
        return new ProviderTimeouts(seconds(t, "noActivity"), seconds(t, "debitNoteInterval"),
                seconds(t, "debitNoteAcceptTimeout"), seconds(t, "requestorUnreachable"));
    }

    private static Duration seconds(JsonNode timeouts, String key) {
        JsonNode v = timeouts.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < 0) {
            throw new IllegalArgumentException("'timeouts." + key + "' must be a number of seconds (0 or more), got " + v);
        }
        return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }

    private static List<String> strings(JsonNode entry, String key, List<String> fallback) {
        JsonNode v = entry.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be a list such as [a, b], got " + v);
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("'" + key + "' must list names, got " + item);
            }
            items.add(item.asText());
        }
        return items;
    }

    private static List<String> platforms(JsonNode entry, List<String> fallback) {
        JsonNode v = entry.get("paymentPlatforms");
        if (v == null) {
            return fallback;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("'paymentPlatforms' must be a list such as [erc20-holesky-tglm]");
        }
        List<String> platforms = new ArrayList<>();
        v.forEach(item -> platforms.add(item.asText()));
        return platforms;
    }

    private static Map<String, Object> properties(JsonNode entry) {
        JsonNode v = entry.get("properties");
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("'properties' must be a map of offer property names to values");
        }
        ObjectMapper plain = new ObjectMapper();
        return plain.convertValue(v, plain.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
