package dev.golemsandbox.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.market.ProviderTimeouts;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersFileTest {

    @TempDir
    Path dir;

    Path write(String yaml) throws Exception {
        Path file = dir.resolve("providers.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void readsEveryKeyAndDefaultsTheRest() throws Exception {
        List<ProviderSpec> specs = ProvidersFile.load(write("""
                providers:
                  - name: big-node
                    cores: 2
                    threads: 4
                    memGib: 2.5
                    storageGib: 8
                    capacity: 3
                    subnet: devnet
                    pricing: {cpuPerHour: 0.36, envPerHour: 0.072, start: 0.01}
                    paymentPlatforms: [erc20-polygon-glm]
                    properties: {golem.inf.cpu.brand: "Sandbox CPU"}
                  - name: plain
                """));

        ProviderSpec big = specs.get(0);
        assertThat(big.threads()).isEqualTo(4);
        assertThat(big.memGib()).isEqualTo(2.5);
        assertThat(big.capacity()).isEqualTo(3);
        assertThat(big.subnet()).isEqualTo("devnet");
        assertThat(big.pricing().perCpuSecond()).isEqualByComparingTo(new BigDecimal("0.0001"));
        assertThat(big.pricing().perDurationSecond()).isEqualByComparingTo(new BigDecimal("0.00002"));
        assertThat(big.pricing().start()).isEqualByComparingTo(new BigDecimal("0.01"));
        assertThat(big.paymentPlatforms()).containsExactly("erc20-polygon-glm");
        assertThat(big.extraProperties()).containsEntry("golem.inf.cpu.brand", "Sandbox CPU");
        assertThat(specs.get(1)).isEqualTo(ProviderSpec.named("plain"));
    }

    @Test
    void aProviderSetsItsOwnTimeoutsAndTakesTheSandboxsForTheRest() throws Exception {
        ProviderSpec spec = ProvidersFile.load(write("providers:\n  - name: x\n    timeouts: {noActivity: 30, debitNoteAcceptTimeout: 60}\n")).get(0);
        ProviderTimeouts effective = spec.timeouts().over(ProviderTimeouts.DEFAULTS);
        assertThat(effective).isEqualTo(new ProviderTimeouts(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(60)));

        assertThatThrownBy(() -> ProvidersFile.load(write("providers:\n  - name: x\n    timeouts: {idle: 30}\n")))
                .hasMessageContaining("unknown key 'timeouts.idle'");
        assertThatThrownBy(() -> ProvidersFile.load(write("providers:\n  - name: x\n    timeouts: {debitNoteAcceptTimeout: 2}\n")))
                .hasMessageContaining("the debit-note accept timeout must be at least 5 s, got 2.0 s");
        assertThatThrownBy(() -> ProvidersFile.load(write("providers:\n  - name: x\n    timeouts: {noActivity: soon}\n")))
                .hasMessageContaining("'timeouts.noActivity' must be a number of seconds");
    }

    @Test
    void aNodeIdGivenIsAlsoThePaymentAddressUnlessOneIsGiven() throws Exception {
        String id = "0x" + "ab".repeat(20);
        ProviderSpec spec = ProvidersFile.load(write("providers:\n  - name: x\n    nodeId: \"" + id.toUpperCase().replace("0X", "0x") + "\"\n")).get(0);

        assertThat(spec.nodeId()).isEqualTo(id);
        assertThat(spec.paymentAddress()).isEqualTo(id);
    }

    @Test
    void mistakesNameTheFileTheProviderAndTheKey() throws Exception {
        Path file = write("providers:\n  - name: a\n    cpus: 4\n");
        assertThatThrownBy(() -> ProvidersFile.load(file)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("provider 1 of " + file + ": unknown key 'cpus'; known keys: capabilities, capacity, cores,");

        Path twice = write("providers:\n  - name: a\n  - name: a\n");
        assertThatThrownBy(() -> ProvidersFile.load(twice)).hasMessage("provider 2 of " + twice + ": the name 'a' is used twice");

        Path badCapacity = write("providers:\n  - name: a\n    capacity: 0\n");
        assertThatThrownBy(() -> ProvidersFile.load(badCapacity)).hasMessage("provider 1 of " + badCapacity
                + ": capacity of provider a must be at least 1, got 0");

        Path notANumber = write("providers:\n  - name: a\n    memGib: lots\n");
        assertThatThrownBy(() -> ProvidersFile.load(notANumber)).hasMessageEndingWith("'memGib' must be a number, got \"lots\"");

        Path noList = write("nodes: []\n");
        assertThatThrownBy(() -> ProvidersFile.load(noList)).hasMessage("providers file " + noList + " must have a top-level 'providers:' list");

        Path broken = write("providers: [\n");
        assertThatThrownBy(() -> ProvidersFile.load(broken)).isInstanceOf(UserError.class).hasMessageStartingWith("cannot read providers file " + broken);
    }
}
