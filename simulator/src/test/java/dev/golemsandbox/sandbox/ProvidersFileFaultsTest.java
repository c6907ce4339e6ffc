package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.fault.FaultBook;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.provider.ProvidersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults written under a provider in the providers file are in force from the start, for that provider only. */
class ProvidersFileFaultsTest {

    @TempDir
    Path dir;

    @Test
    void aProvidersFaultsAreListedFromTheStartAndNameIt() throws Exception {
        Path file = Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  - name: flaky
                    faults:
                      - {fault: crash-vm, atCommand: run, times: 1}
                      - {fault: slow-exec, latencyMs: 250}
                  - name: steady
                """);
        try (SandboxServer server = start(ProvidersFile.load(file))) {
            JsonNode faults = TestSandbox.client(server).get("/_sandbox/faults").json();
            assertThat(faults).hasSize(2);
            assertThat(faults.findValuesAsText("provider")).containsOnly("flaky");
            assertThat(faults.findValuesAsText("fault")).containsExactly("crash-vm", "slow-exec");
            assertThat(faults.get(1).get("latencyMs").asInt()).isEqualTo(250);
        }
    }

    @Test
    void theTransferAndDiskFaultsAreTakenFromTheFileWithTheirParameters() throws Exception {
        Path file = Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  - name: flaky
                    faults:
                      - {fault: fail-transfer, afterBytes: 4096, times: 2}
                      - {fault: disk-full}
                """);
        try (SandboxServer server = start(ProvidersFile.load(file))) {
            JsonNode faults = TestSandbox.client(server).get("/_sandbox/faults").json();
            assertThat(faults.findValuesAsText("fault")).containsExactly("fail-transfer", "disk-full");
            assertThat(faults.get(0).get("afterBytes").asLong()).isEqualTo(4096);
            assertThat(faults.get(0).get("times").asInt()).isEqualTo(2);
        }

        Path negative = Files.writeString(dir.resolve("negative.yaml"), """
                providers:
                  - name: flaky
                    faults:
                      - {fault: fail-transfer, afterBytes: -1}
                """);
        List<ProviderSpec> providers = ProvidersFile.load(negative);
        assertThatThrownBy(() -> start(providers)).isInstanceOf(UserError.class)
                .hasMessageContaining("provider flaky's fault").hasMessageContaining("\"afterBytes\" is a whole number from 0");
    }

    @Test
    void aBadFaultInTheFileStopsTheStartWithTheProviderAndTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  - name: flaky
                    faults:
                      - {fault: meteor}
                """);
        List<ProviderSpec> providers = ProvidersFile.load(file);
        assertThatThrownBy(() -> start(providers)).isInstanceOf(UserError.class)
                .hasMessageContaining("provider flaky's fault").hasMessageContaining("unknown fault \"meteor\"");

        Path other = Files.writeString(dir.resolve("other.yaml"), """
                providers:
                  - name: flaky
                    faults:
                      - {fault: slow-exec, latencyMs: 5, provider: steady}
                """);
        assertThatThrownBy(() -> ProvidersFile.load(other)).isInstanceOf(UserError.class)
                .hasMessageContaining("a fault under provider flaky names provider \"steady\"");
    }

    private SandboxServer start(List<ProviderSpec> providers) {
        SandboxConfig config = SandboxConfig.defaults(new SandboxHome(dir.resolve("data"))).withPort(0).withProviders(providers);
        return SandboxServer.builder(config)
                .runtimes(spec -> new VmlessRuntime())
                .faults(new FaultBook(providers.stream().map(ProviderSpec::name).collect(Collectors.toSet())))
                .start();
    }
}
