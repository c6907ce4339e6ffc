package dev.golemsandbox.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default fleet is as varied as the public testnet, so the demands requestors ordinarily make
 * find providers, and no offer claims a capability the runtime does not have.
 */
class DefaultFleetTest {

    @TempDir
    Path dataDir;

    @Test
    void aDozenProvidersFromOneThreadAndOneGibToEightThreadsAndSixteenGib() {
        List<ProviderSpec> fleet = ProviderSpec.defaults(DefaultFleet.SIZE);
        assertThat(fleet).hasSize(12);
        assertThat(fleet).extracting(ProviderSpec::threads).contains(1, 2, 4, 8).allMatch(t -> t >= 1 && t <= 8);
        assertThat(fleet).extracting(ProviderSpec::memGib).contains(1.0, 16.0);
        assertThat(fleet).extracting(ProviderSpec::storageGib).contains(8.0, 64.0);
        assertThat(new HashSet<>(fleet.stream().map(ProviderSpec::name).toList())).hasSize(12);
        assertThat(new HashSet<>(fleet.stream().map(ProviderSpec::nodeId).toList())).hasSize(12);
        assertThat(new HashSet<>(fleet.stream().map(ProviderSpec::pricing).toList())).as("prices differ").hasSizeGreaterThan(8);
        assertThat(fleet.get(0).threads()).as("the first is the smallest: --providers 1 boots small VMs").isEqualTo(1);
        assertThat(fleet).allMatch(p -> p.capabilities().equals(RuntimeCapabilities.SUPPORTED));
    }

    @Test
    void moreProvidersThanTheFleetRepeatItUnderNewNames() {
        List<ProviderSpec> specs = ProviderSpec.defaults(14);
        assertThat(specs.get(12).name()).isEqualTo("alder-2");
        assertThat(specs.get(13).name()).isEqualTo("birch-2");
        assertThat(specs.get(12).nodeId()).isNotEqualTo(specs.get(0).nodeId());
        assertThat(specs.get(12).threads()).isEqualTo(specs.get(0).threads());
    }

    @Test
    void ordinaryDemandsFindSeveralProvidersAndAskingForVpnFindsNoneOnARuntimeWithoutNetworks() {
        try (SandboxServer server = TestSandbox.start(dataDir)) {
            SandboxClient api = TestSandbox.client(server);
            for (String demand : List.of("(golem.inf.mem.gib>=2)", "(golem.inf.cpu.threads>=4)", "(golem.inf.storage.gib>=16)",
                    "(&(golem.inf.mem.gib>=8)(golem.inf.cpu.threads>=4))")) {
                JsonNode explain = api.post("/_sandbox/market/explain", Map.of("properties", properties(), "constraints", demand)).json();
                assertThat(explain.get("matchingProviders").asInt()).as(demand).isGreaterThanOrEqualTo(3);
            }
            JsonNode vpn = api.post("/_sandbox/market/explain",
                    Map.of("properties", properties(), "constraints", "(golem.runtime.capabilities=vpn)")).json();
            assertThat(vpn.get("matchingProviders").asInt()).as("these providers' runtime joins no network, so none offers vpn").isZero();
            assertThat(vpn.at("/providers/0/summary").asText()).contains("(golem.runtime.capabilities=vpn)");
        }
    }

    @Test
    void aProviderCannotAdvertiseACapabilityTheRuntimeLacks() throws Exception {
        Path file = Files.writeString(dataDir.resolve("p.yaml"), "providers:\n  - name: a\n    capabilities: [start-entrypoint]\n");
        assertThatThrownBy(() -> ProvidersFile.load(file)).isInstanceOf(UserError.class)
                .hasMessage("provider 1 of " + file + ": provider a cannot offer the capability 'start-entrypoint': its runtime supports vpn, inet, manifest-support");
        Path vpn = Files.writeString(dataDir.resolve("v.yaml"), "providers:\n  - name: a\n    capabilities: [vpn]\n");
        assertThat(ProvidersFile.load(vpn).get(0).capabilities()).containsExactly("vpn");
        Path none = Files.writeString(dataDir.resolve("q.yaml"), "providers:\n  - name: a\n    capabilities: []\n");
        assertThat(ProvidersFile.load(none).get(0).capabilities()).isEmpty();
        Path wrong = Files.writeString(dataDir.resolve("r.yaml"), "providers:\n  - name: a\n    capabilities: vpn\n");
        assertThatThrownBy(() -> ProvidersFile.load(wrong)).hasMessageContaining("'capabilities' must be a list");
    }

    private static Map<String, Object> properties() {
        return Map.of("golem.node.debug.subnet", "public", "golem.srv.comp.expiration", System.currentTimeMillis() + 600_000);
    }
}
