package dev.golemsandbox.manifest;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider's outbound rules, as ya-provider keeps them in its rules file: outbound on or off,
 * and three rules of which any one passing lets a manifest's outbound request through.
 * {@code everyone} applies to every requestor; {@code auditedPayload} to manifests signed with a
 * certificate it trusts (by id, see {@link ManifestSignature#verify}); {@code partner} to
 * requestors it knows (here by node id; ya-provider checks a signed node descriptor naming it).
 * Each rule has a {@link RuleMode}; {@code whitelist} holds when every URL's host is on the
 * {@link DomainWhitelist}, never for unrestricted access. Only a manifest that asks for outbound
 * access is checked. A rejection reads as ya-provider's:
 * {@code Outbound rejected because: Everyone rule didn't match whitelist ; Audited-Payload rule requires manifest signature ; Partner rule requires node descriptor ; }.
 *
 * <pre>{@code
 * Optional<String> refusal = rules.refusal(demandProperties, requestorId, Instant.now());
 * }</pre>
 *
 * @param enabled        {@code outbound.enabled}: off rejects every outbound request ("outbound is disabled")
 * @param everyone       {@code outbound.everyone}
 * @param auditedPayload {@code outbound.audited-payload}: certificate id to mode
 * @param partner        {@code outbound.partner}: requestor node id to mode
 * @param whitelist      the domains a {@code whitelist} mode lets through
 */
public record OutboundRules(boolean enabled, RuleMode everyone, Map<String, RuleMode> auditedPayload,
                            Map<String, RuleMode> partner, DomainWhitelist whitelist) {

    /** ya-provider's defaults: enabled, everyone by whitelist, and a whitelist that is empty until the installer fills it. */
    public static final OutboundRules DEFAULT = new OutboundRules(true, RuleMode.WHITELIST, Map.of(), Map.of(), DomainWhitelist.EMPTY);
    /** No outbound access for anyone. */
    public static final OutboundRules DISABLED = new OutboundRules(false, RuleMode.NONE, Map.of(), Map.of(), DomainWhitelist.EMPTY);

    public OutboundRules {
        auditedPayload = lowercaseKeys(auditedPayload);
        partner = lowercaseKeys(partner);
    }

    /**
     * Why the provider rejects a demand with these properties (as ya-provider words it), or empty
     * if it accepts: one without a manifest, or whose manifest asks for no outbound access, or
     * whose outbound request a rule lets through.
     */
    public Optional<String> refusal(Map<String, Object> demandProperties, String requestorId, Instant now) {
        Optional<DemandManifest> manifest;
        try {
            manifest = DemandManifest.of(demandProperties, now);
        } catch (InvalidManifestException e) {
            return Optional.of("invalid manifest: " + e.getMessage());
        }
        if (manifest.isEmpty() || manifest.get().manifest().outbound().isEmpty()) {
            return Optional.empty();
        }
        return refusal(manifest.get(), manifest.get().manifest().outbound().get(), requestorId, now);
    }

    /** One line for people, e.g. {@code disabled}, {@code everyone all}, {@code everyone whitelist (18 domains), 1 partner}. */
    public String summary() {
        if (!enabled) {
            return "disabled";
        }
        StringBuilder s = new StringBuilder("everyone ").append(everyone.label());
        if (everyone == RuleMode.WHITELIST || auditedPayload.containsValue(RuleMode.WHITELIST) || partner.containsValue(RuleMode.WHITELIST)) {
            s.append(" (").append(whitelist.patterns().size()).append(" domains)");
        }
        if (!auditedPayload.isEmpty()) {
            s.append(", ").append(auditedPayload.size()).append(auditedPayload.size() == 1 ? " trusted certificate" : " trusted certificates");
        }
        if (!partner.isEmpty()) {
            s.append(", ").append(partner.size()).append(partner.size() == 1 ? " partner" : " partners");
        }
        return s.toString();
    }

    private Optional<String> refusal(DemandManifest manifest, OutboundRequest request, String requestorId, Instant now) {
        if (!enabled) {
            return Optional.of("outbound is disabled");
        }
        List<String> rejections = new ArrayList<>();
        check(rejections, "Everyone", everyone, request);
        checkAuditedPayload(rejections, manifest, request, now);
        checkPartner(rejections, request, requestorId);
        if (rejections.size() < 3) {
            return Optional.empty();
        }
        StringBuilder reason = new StringBuilder("Outbound rejected because: ");
        rejections.forEach(r -> reason.append(r).append(" ; "));
        return Optional.of(reason.toString());
    }

    private void checkAuditedPayload(List<String> rejections, DemandManifest manifest, OutboundRequest request, Instant now) {
        if (manifest.signature().isEmpty()) {
            rejections.add("Audited-Payload rule requires manifest signature");
            return;
        }
        String certId;
        try {
            certId = manifest.signature().get().verify(manifest.encoded(), now);
        } catch (InvalidManifestException e) {
            rejections.add("Audited-Payload rule: " + e.getMessage());
            return;
        }
        RuleMode mode = auditedPayload.get(certId);
        if (mode == null) {
            rejections.add("Audited-Payload rule whole chain of cert_ids is not trusted: [\"" + certId + "\"]");
            return;
        }
        check(rejections, "Audited-Payload", mode, request);
    }

    private void checkPartner(List<String> rejections, OutboundRequest request, String requestorId) {
        RuleMode mode = requestorId == null ? null : partner.get(requestorId.toLowerCase(Locale.ROOT));
        if (mode == null) {
            // ya-provider's words when the requestor shows no partner credentials, as a requestor unknown here has none.
            rejections.add("Partner rule requires node descriptor");
            return;
        }
        check(rejections, "Partner", mode, request);
    }

    private void check(List<String> rejections, String rule, RuleMode mode, OutboundRequest request) {
        switch (mode) {
            case ALL -> {
            }
            case NONE -> rejections.add(rule + " rule is disabled");
            case WHITELIST -> {
                if (!whitelisted(request)) {
                    rejections.add(rule + " rule didn't match whitelist");
                }
            }
        }
    }

    private boolean whitelisted(OutboundRequest request) {
        return !request.unrestricted() && request.urls().stream().map(URI::getHost).allMatch(whitelist::matches);
    }

    private static Map<String, RuleMode> lowercaseKeys(Map<String, RuleMode> rules) {
        Map<String, RuleMode> copy = new TreeMap<>();
        (rules == null ? Map.<String, RuleMode>of() : rules).forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        return Collections.unmodifiableMap(copy);
    }
}
