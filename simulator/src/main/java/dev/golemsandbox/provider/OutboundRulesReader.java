package dev.golemsandbox.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.identity.NodeId;
import dev.golemsandbox.manifest.DomainWhitelist;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.manifest.RuleMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the {@code outbound:} block of a provider in the providers file (see {@link ProvidersFile});
 * keys left out keep {@link OutboundPresets#WHITELISTED}'s values. Mistakes are
 * {@link IllegalArgumentException}s naming the key, which the file reader prefixes with the provider.
 */
final class OutboundRulesReader {

    private static final Set<String> KEYS = Set.of("enabled", "everyone", "whitelist", "auditedPayload", "partner");
    private static final Pattern CERT_ID = Pattern.compile("[0-9a-fA-F]{64}");

    private OutboundRulesReader() {
    }

    static OutboundRules read(JsonNode node) {
        OutboundRules d = OutboundPresets.WHITELISTED;
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'outbound' must be a map such as {enabled: true, everyone: whitelist}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key 'outbound." + key + "'; known keys: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        boolean enabled = d.enabled();
        JsonNode e = node.get("enabled");
        if (e != null) {
            if (!e.isBoolean()) {
                throw new IllegalArgumentException("'outbound.enabled' must be true or false, got " + e);
            }
            enabled = e.asBoolean();
        }
        RuleMode everyone = node.has("everyone") ? mode(node.get("everyone"), "outbound.everyone") : d.everyone();
        DomainWhitelist whitelist = node.has("whitelist") ? whitelist(node.get("whitelist")) : d.whitelist();
        Map<String, RuleMode> audited = rules(node.get("auditedPayload"), "outbound.auditedPayload", true);
        Map<String, RuleMode> partner = rules(node.get("partner"), "outbound.partner", false);
        return new OutboundRules(enabled, everyone, audited, partner, whitelist);
    }

    /** {@code [github.com, {domain: '.*\.example\.org', match: regex}]}: a plain name is strict. */
    private static DomainWhitelist whitelist(JsonNode list) {
        if (!list.isArray()) {
            throw new IllegalArgumentException("'outbound.whitelist' must be a list such as [github.com, {domain: '.*\\.example\\.org', match: regex}]");
        }
        List<DomainWhitelist.Entry> entries = new ArrayList<>();
        for (JsonNode item : list) {
            if (item.isTextual()) {
                entries.add(DomainWhitelist.strict(item.asText()));
                continue;
            }
            if (!item.isObject() || !item.path("domain").isTextual()) {
                throw new IllegalArgumentException("each of 'outbound.whitelist' is a host or {domain: ..., match: strict|regex}, got " + item);
            }
            String match = item.path("match").asText("strict");
            if (!match.equals("strict") && !match.equals("regex")) {
                throw new IllegalArgumentException("'match' of whitelist pattern " + item.get("domain") + " must be strict or regex, got " + item.get("match"));
            }
            entries.add(new DomainWhitelist.Entry(item.get("domain").asText(), match.equals("regex")));
        }
        return new DomainWhitelist(entries);
    }

    /** {@code {<id>: all}} or {@code {<id>: {mode: all, description: ...}}}, keyed by certificate id or node id. */
    private static Map<String, RuleMode> rules(JsonNode map, String where, boolean certificates) {
        Map<String, RuleMode> rules = new TreeMap<>();
        if (map == null || map.isNull()) {
            return rules;
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException("'" + where + "' must be a map of " + (certificates ? "certificate ids" : "requestor node ids") + " to all|none|whitelist");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rule = it.next();
            String id = rule.getKey();
            if (certificates && !CERT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("'" + where + "' names '" + id + "': a certificate id is its SHA-256 fingerprint, 64 hex digits");
            }
            if (!certificates && !NodeId.isValid(NodeId.normalize(id))) {
                throw new IllegalArgumentException("'" + where + "' names '" + id + "': a requestor node id is 0x and 40 hex digits");
            }
            JsonNode value = rule.getValue().isObject() ? rule.getValue().get("mode") : rule.getValue();
            rules.put(certificates ? id : NodeId.normalize(id), mode(value, where + "." + id));
        }
        return rules;
    }

    private static RuleMode mode(JsonNode value, String where) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + where + "' must be all, none or whitelist, got " + value);
        }
        try {
            return RuleMode.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + where + "' must be all, none or whitelist, got '" + value.asText() + "'");
        }
    }
}
