package dev.golemsandbox.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundRulesTest {

    static final String REQUESTOR = "0x" + "1".repeat(40);
    static final DomainWhitelist WHITELIST = new DomainWhitelist(List.of(DomainWhitelist.strict("github.com"),
            DomainWhitelist.strict("127.0.0.1"), DomainWhitelist.regex(".*\\.dev\\.golem\\.network")));
    static final String ALL_THREE_FAIL = "Outbound rejected because: Everyone rule didn't match whitelist ; "
            + "Audited-Payload rule requires manifest signature ; Partner rule requires node descriptor ; ";

    static SigningKey signer;
    static SigningKey stranger;

    @BeforeAll
    static void keys(@TempDir Path dir) throws Exception {
        signer = SigningKey.create(dir, "auditor");
        stranger = SigningKey.create(dir, "stranger");
    }

    static OutboundRules everyone(RuleMode mode) {
        return new OutboundRules(true, mode, Map.of(), Map.of(), WHITELIST);
    }

    static Optional<String> judge(OutboundRules rules, Map<String, Object> demand) {
        return rules.refusal(demand, REQUESTOR, Instant.now());
    }

    @Test
    void everyoneAllLetsAnyRequestThrough() {
        assertThat(judge(everyone(RuleMode.ALL), Manifests.demandAskingFor("https://anywhere.example/"))).isEmpty();
        assertThat(judge(everyone(RuleMode.ALL), Manifests.demandAskingForEverything())).isEmpty();
    }

    @Test
    void everyoneWhitelistNeedsEveryHostOnTheList() {
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://github.com/x", "http://127.0.0.1:8080/"))).isEmpty();
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://api.dev.golem.network/"))).isEmpty();
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://github.com/x", "https://evil.example/")))
                .contains(ALL_THREE_FAIL);
    }

    @Test
    void unrestrictedAccessNeverPassesAWhitelist() {
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingForEverything())).contains(ALL_THREE_FAIL);
    }

    @Test
    void aRegexPatternMustMatchTheWholeHost() {
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://x.dev.golem.network.evil.example/")))
                .as("a pattern is anchored at both ends").isPresent();
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://github.com.evil.example/"))).isPresent();
        assertThat(judge(everyone(RuleMode.WHITELIST), Manifests.demandAskingFor("https://GitHub.COM/"))).as("hosts compare without case").isEmpty();
    }

    @Test
    void everyoneNoneIsTheRuleOff() {
        assertThat(judge(everyone(RuleMode.NONE), Manifests.demandAskingFor("https://github.com/")))
                .contains("Outbound rejected because: Everyone rule is disabled ; Audited-Payload rule requires manifest signature ; "
                        + "Partner rule requires node descriptor ; ");
    }

    @Test
    void outboundDisabledRejectsEveryRequest() {
        assertThat(judge(OutboundRules.DISABLED, Manifests.demandAskingFor("https://github.com/"))).contains("outbound is disabled");
        OutboundRules offButOpen = new OutboundRules(false, RuleMode.ALL, Map.of(), Map.of(), WHITELIST);
        assertThat(judge(offButOpen, Manifests.demandAskingForEverything())).contains("outbound is disabled");
    }

    @Test
    void onlyDemandsAskingForOutboundAreChecked() {
        assertThat(judge(OutboundRules.DISABLED, Map.of("golem.srv.comp.task_package", "hash:sha3:ab:http://x/"))).isEmpty();
        assertThat(judge(OutboundRules.DISABLED, Manifests.demand(Manifests.json(null)))).isEmpty();
        assertThat(judge(OutboundRules.DISABLED, Manifests.demand(Manifests.json("{\"urls\": []}")))).isEmpty();
    }

    @Test
    void anInvalidManifestIsRejectedByEveryProvider() {
        Map<String, Object> broken = Map.of(DemandManifest.PAYLOAD, "@@@");
        assertThat(judge(everyone(RuleMode.ALL), broken)).hasValueSatisfying(r -> assertThat(r).startsWith("invalid manifest: it is neither base64 nor JSON"));
        assertThat(judge(OutboundRules.DISABLED, broken)).hasValueSatisfying(r -> assertThat(r).startsWith("invalid manifest:"));
    }

    @Test
    void thePartnerRuleLetsAListedRequestorThrough() {
        OutboundRules partners = new OutboundRules(true, RuleMode.NONE, Map.of(), Map.of(REQUESTOR.toUpperCase().replace("0X", "0x"), RuleMode.ALL), WHITELIST);
        assertThat(judge(partners, Manifests.demandAskingForEverything())).isEmpty();
        assertThat(partners.refusal(Manifests.demandAskingForEverything(), "0x" + "2".repeat(40), Instant.now()))
                .hasValueSatisfying(r -> assertThat(r).contains("Partner rule requires node descriptor"));
        OutboundRules partnerByWhitelist = new OutboundRules(true, RuleMode.NONE, Map.of(), Map.of(REQUESTOR, RuleMode.WHITELIST), WHITELIST);
        assertThat(judge(partnerByWhitelist, Manifests.demandAskingForEverything()))
                .hasValueSatisfying(r -> assertThat(r).contains("Partner rule didn't match whitelist"));
    }

    @Test
    void theAuditedPayloadRuleTrustsManifestsSignedWithAListedCertificate() throws Exception {
        OutboundRules audited = new OutboundRules(true, RuleMode.NONE, Map.of(signer.id(), RuleMode.ALL), Map.of(), WHITELIST);

        assertThat(judge(audited, signed(Manifests.demandAskingForEverything(), signer))).isEmpty();
        String strangerId = stranger.id();
        assertThat(judge(audited, signed(Manifests.demandAskingForEverything(), stranger)))
                .hasValueSatisfying(r -> assertThat(r).contains("Audited-Payload rule whole chain of cert_ids is not trusted: [\"" + strangerId + "\"]"));
    }

    @Test
    void aSignatureThatDoesNotFitTheManifestIsInvalid() throws Exception {
        OutboundRules audited = new OutboundRules(true, RuleMode.NONE, Map.of(signer.id(), RuleMode.ALL), Map.of(), WHITELIST);
        Map<String, Object> demand = signed(Manifests.demandAskingForEverything(), signer);
        Map<String, Object> otherManifest = Manifests.demandAskingFor("https://github.com/");
        demand.put(DemandManifest.PAYLOAD, otherManifest.get(DemandManifest.PAYLOAD));

        assertThat(judge(audited, demand)).hasValueSatisfying(r -> assertThat(r).contains("Audited-Payload rule: Invalid signature. ;"));
        demand.put(DemandManifest.SIGNATURE, "bm90IGEgc2lnbmF0dXJl");
        assertThat(judge(audited, demand)).hasValueSatisfying(r -> assertThat(r).contains("Audited-Payload rule: Invalid signature. ;"));
        demand.put(DemandManifest.CERTIFICATE, "bm90IGEgY2VydA==");
        assertThat(judge(audited, demand)).hasValueSatisfying(r -> assertThat(r).contains("Audited-Payload rule: certificate is not an X.509 certificate"));
    }

    @Test
    void anAuditedRuleInWhitelistModeChecksTheHosts() throws Exception {
        OutboundRules audited = new OutboundRules(true, RuleMode.NONE, Map.of(signer.id(), RuleMode.WHITELIST), Map.of(), WHITELIST);
        assertThat(judge(audited, signed(Manifests.demandAskingFor("https://github.com/"), signer))).isEmpty();
        assertThat(judge(audited, signed(Manifests.demandAskingFor("https://evil.example/"), signer)))
                .hasValueSatisfying(r -> assertThat(r).contains("Audited-Payload rule didn't match whitelist"));
    }

    static Map<String, Object> signed(Map<String, Object> demand, SigningKey key) throws Exception {
        demand.put(DemandManifest.SIGNATURE, key.sign((String) demand.get(DemandManifest.PAYLOAD)));
        demand.put(DemandManifest.SIGNATURE_ALGORITHM, "sha256");
        demand.put(DemandManifest.CERTIFICATE, key.certificateProperty());
        return demand;
    }
}
