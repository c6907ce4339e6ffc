package dev.golemsandbox.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.manifest.DomainWhitelist;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.manifest.RuleMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code outbound:} block of the providers file: ya-provider's rules, per provider. */
class ProvidersFileOutboundTest {

    static final String CERT = "ab".repeat(32);
    static final String PARTNER = "0x" + "c".repeat(40);

    @TempDir
    Path dir;

    ProviderSpec load(String outbound) throws Exception {
        return ProvidersFile.load(Files.writeString(dir.resolve("p.yaml"), "providers:\n  - name: p\n    outbound:\n" + outbound.indent(6))).get(0);
    }

    @Test
    void readsEveryRule() throws Exception {
        OutboundRules rules = load("""
                enabled: true
                everyone: none
                whitelist:
                  - example.org
                  - {domain: '.*\\.example\\.net', match: regex}
                  - {domain: api.example.com, match: strict}
                auditedPayload:
                  "%s": all
                partner:
                  "%s": {mode: whitelist, description: our CI}
                """.formatted(CERT, PARTNER.toUpperCase().replace("0X", "0x"))).outbound();

        assertThat(rules.enabled()).isTrue();
        assertThat(rules.everyone()).isEqualTo(RuleMode.NONE);
        assertThat(rules.whitelist().patterns()).containsExactly(DomainWhitelist.strict("example.org"),
                DomainWhitelist.regex(".*\\.example\\.net"), DomainWhitelist.strict("api.example.com"));
        assertThat(rules.auditedPayload()).containsEntry(CERT, RuleMode.ALL);
        assertThat(rules.partner()).as("node ids are normalized").containsEntry(PARTNER, RuleMode.WHITELIST);
    }

    @Test
    void keysLeftOutKeepTheStandardRules() throws Exception {
        assertThat(ProvidersFile.load(Files.writeString(dir.resolve("q.yaml"), "providers:\n  - name: q\n")).get(0).outbound())
                .isEqualTo(OutboundPresets.WHITELISTED);
        OutboundRules off = load("enabled: false\n").outbound();
        assertThat(off.enabled()).isFalse();
        assertThat(off.whitelist()).isEqualTo(OutboundPresets.STANDARD_WHITELIST);
        assertThat(load("everyone: all\n").outbound().everyone()).isEqualTo(RuleMode.ALL);
    }

    @Test
    void mistakesNameTheKeyAndTheProvider() {
        assertError("everyone: some\n", "provider 1 of ", ": 'outbound.everyone' must be all, none or whitelist, got 'some'");
        assertError("enabled: yes please\n", "'outbound.enabled' must be true or false");
        assertError("whitelist: github.com\n", "'outbound.whitelist' must be a list");
        assertError("whitelist: [{domain: '(', match: regex}]\n", "the whitelist pattern '(' is not a regular expression");
        assertError("whitelist: [{domain: a.org, match: glob}]\n", "must be strict or regex, got \"glob\"");
        assertError("auditedPayload: {abc: all}\n", "a certificate id is its SHA-256 fingerprint, 64 hex digits");
        assertError("partner: {bob: all}\n", "a requestor node id is 0x and 40 hex digits");
        assertError("partners: {}\n", "unknown key 'outbound.partners'");
    }

    private void assertError(String outbound, String... parts) {
        assertThatThrownBy(() -> load(outbound)).isInstanceOf(UserError.class).satisfies(e -> {
            for (String part : parts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    @Test
    void theDefaultFleetHasEveryKindOfProvider() {
        List<ProviderSpec> fleet = ProviderSpec.defaults(DefaultFleet.SIZE);
        assertThat(fleet).filteredOn(p -> p.outbound().equals(OutboundPresets.OPEN)).extracting(ProviderSpec::name)
                .containsExactly("birch", "elm", "larch");
        assertThat(fleet).filteredOn(p -> p.outbound().equals(OutboundPresets.WHITELISTED)).extracting(ProviderSpec::name)
                .containsExactly("alder", "cedar", "fir", "hazel", "maple");
        assertThat(fleet).filteredOn(p -> !p.outbound().enabled()).extracting(ProviderSpec::name).containsExactly("dogwood", "juniper");
        assertThat(fleet).filteredOn(p -> p.outbound().equals(OutboundPresets.TRUSTED_ONLY)).extracting(ProviderSpec::name)
                .containsExactly("ginkgo", "oak");
        assertThat(OutboundPresets.STANDARD_WHITELIST.matches("127.0.0.1")).as("the offline examples reach this machine").isTrue();
        assertThat(OutboundPresets.STANDARD_WHITELIST.matches("localhost")).isTrue();
        assertThat(OutboundPresets.STANDARD_WHITELIST.matches("pypi.org")).isTrue();
        assertThat(OutboundPresets.STANDARD_WHITELIST.matches("example.com")).isFalse();
    }

    @Test
    void anOfferThatReadsManifestsSaysSo() {
        java.util.Map<String, Object> offer = Offer.publish(ProviderSpec.defaults(1).get(0), dev.golemsandbox.market.ProviderTimeouts.DEFAULTS,
                java.time.Instant.now()).properties();
        assertThat(offer).containsEntry(Offer.PAYLOAD_MANIFEST, true);
        assertThat(List.copyOf((List<?>) offer.get(Offer.RUNTIME_CAPABILITIES))).asList().contains("inet", "manifest-support");
        assertThat(Offer.publish(ProviderSpec.named("plain"), dev.golemsandbox.market.ProviderTimeouts.DEFAULTS, java.time.Instant.now())
                .properties()).doesNotContainKey(Offer.PAYLOAD_MANIFEST);
    }
}
