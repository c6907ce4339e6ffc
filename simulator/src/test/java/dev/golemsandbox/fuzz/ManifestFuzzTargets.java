package dev.golemsandbox.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.golemsandbox.manifest.DemandManifest;
import dev.golemsandbox.manifest.DomainWhitelist;
import dev.golemsandbox.manifest.InvalidManifestException;
import dev.golemsandbox.manifest.ManifestDecoder;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.manifest.RuleMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A requestor's computation manifest, fuzzed: whatever {@code golem.srv.comp.payload} holds, the
 * decoder either reads it or refuses it with {@link InvalidManifestException} (a provider's
 * "invalid manifest: ..." rejection), and a provider's rules always answer with a verdict, never
 * with another exception. A plain test run replays the seeds under {@code ManifestFuzzTargetsInputs}.
 */
class ManifestFuzzTargets {

    private static final OutboundRules RULES = new OutboundRules(true, RuleMode.WHITELIST, Map.of("ab".repeat(32), RuleMode.ALL),
            Map.of("0x" + "1".repeat(40), RuleMode.WHITELIST),
            new DomainWhitelist(List.of(DomainWhitelist.strict("github.com"), DomainWhitelist.regex(".*\\.dev\\.golem\\.network"))));

    @FuzzTest(maxDuration = "60s")
    void manifestDecoderRefusesOrDecodes(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            ManifestDecoder.decode(text).outbound().ifPresent(out -> out.usableUrls());
        } catch (InvalidManifestException refused) {
            // The requestor's mistake, which every provider rejects with its message.
        }
        Map<String, Object> signed = Map.of(DemandManifest.PAYLOAD, text, DemandManifest.SIGNATURE, text,
                DemandManifest.SIGNATURE_ALGORITHM, "sha256", DemandManifest.CERTIFICATE, text);
        RULES.refusal(signed, "0x" + "1".repeat(40), Instant.now());
        RULES.refusal(Map.of(DemandManifest.PAYLOAD, text), "0x" + "2".repeat(40), Instant.now());
    }
}
