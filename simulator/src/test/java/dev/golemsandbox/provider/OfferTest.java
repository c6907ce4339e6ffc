package dev.golemsandbox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.market.constraint.ConstraintParser;
import dev.golemsandbox.market.constraint.PropertySet;
import dev.golemsandbox.market.ProviderTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offer of a default provider carries what golem-js 3.6 validates and reads. */
class OfferTest {

    @Test
    void theUsageVectorHasOneCoefficientEachThenTheStartPrice() {
        Map<String, Object> p = Offer.publish(ProviderSpec.named("p"), ProviderTimeouts.DEFAULTS, Instant.now()).properties();

        List<Object> usage = List.copyOf((List<?>) p.get("golem.com.usage.vector"));
        List<?> coeffs = (List<?>) p.get("golem.com.pricing.model.linear.coeffs");
        assertThat(usage).containsExactly("golem.usage.cpu_sec", "golem.usage.duration_sec");
        assertThat(coeffs).hasSize(usage.size() + 1);
        assertThat(p).containsEntry("golem.com.pricing.model", "linear")
                .containsEntry("golem.runtime.name", "vm")
                .containsEntry("golem.com.scheme", "payu")
                .containsEntry("golem.node.debug.subnet", "public")
                .containsEntry("golem.node.id.name", "p")
                .containsEntry("golem.srv.caps.multi-activity", true)
                .containsKey("golem.com.payment.platform.erc20-holesky-tglm.address")
                .containsKey("golem.activity.caps.transfer.protocol")
                .doesNotContainKey(Offer.DEBIT_NOTE_INTERVAL);
    }

    @Test
    void theCpuIsDescribedAsYaProviderDescribesItsHostsAndDemandsCanSelectOnIt() throws Exception {
        Map<String, Object> p = Offer.publish(ProviderSpec.named("p"), ProviderTimeouts.DEFAULTS, Instant.now()).properties();

        assertThat(p).containsEntry("golem.inf.cpu.vendor", "AuthenticAMD")
                .containsEntry("golem.inf.cpu.model", "Stepping 1 Family 15 Model 107")
                .containsEntry("golem.inf.cpu.architecture", "x86_64")
                .containsEntry("golem.inf.cpu.brand", "QEMU Virtual CPU version 2.5+");
        assertThat(((List<?>) p.get("golem.inf.cpu.capabilities")).stream().map(String::valueOf).toList()).contains("sse2", "sse3", "cx16").doesNotContain("avx", "avx2");
        PropertySet offer = PropertySet.of(p);
        assertThat(ConstraintParser.parse("(golem.inf.cpu.capabilities=sse2)").evaluate(offer).holds()).isTrue();
        assertThat(ConstraintParser.parse("(golem.inf.cpu.capabilities=avx2)").evaluate(offer).holds())
                .as("no VM here could run AVX2 code").isFalse();
        assertThat(ConstraintParser.parse("(golem.inf.cpu.vendor=GenuineIntel)").evaluate(offer).holds()).isFalse();
    }

    @Test
    void debitNotesTurnedOnAdvertiseTheInterval() {
        Map<String, Object> p = Offer.publish(ProviderSpec.named("p"), new ProviderTimeouts(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(240), Duration.ofSeconds(60)), Instant.now()).properties();

        assertThat(p).containsEntry(Offer.DEBIT_NOTE_INTERVAL, 30L);
    }

    @Test
    void nodeIdsAreStablePerNameAndDistinct() {
        assertThat(ProviderSpec.named("a").nodeId()).isEqualTo(ProviderSpec.named("a").nodeId()).matches("0x[0-9a-f]{40}");
        assertThat(ProviderSpec.named("a").nodeId()).isNotEqualTo(ProviderSpec.named("b").nodeId());
    }

    @Test
    void extraPropertiesOverrideGeneratedOnes() {
        ProviderSpec d = ProviderSpec.named("p");
        ProviderSpec spec = new ProviderSpec(d.name(), d.nodeId(), 1, 1, 1, 4, 1, d.pricing(), "public", d.paymentPlatforms(),
                d.paymentAddress(), Map.of("golem.inf.cpu.brand", "Custom", "golem.inf.gpu.model", "none"));

        Map<String, Object> p = Offer.publish(spec, ProviderTimeouts.DEFAULTS, Instant.now()).properties();

        assertThat(p).containsEntry("golem.inf.cpu.brand", "Custom").containsEntry("golem.inf.gpu.model", "none");
    }

    @Test
    void aRuntimeWithVpnAdvertisesItAndADemandForVpnMatchesOnlyThen() throws Exception {
        Offer plain = Offer.publish(ProviderSpec.named("p"), ProviderTimeouts.DEFAULTS, Instant.now());
        Offer withVpn = plain.withRuntimeCapability("vpn").withRuntimeCapability("vpn");
        String demand = "(golem.runtime.capabilities=vpn)";

        assertThat(withVpn.properties().get(Offer.RUNTIME_CAPABILITIES)).isEqualTo(List.of("vpn"));
        assertThat(withVpn.offerId()).isEqualTo(plain.offerId());
        assertThat(ConstraintParser.parse(demand).evaluate(PropertySet.of(withVpn.properties())).holds()).isTrue();
        assertThat(ConstraintParser.parse(demand).evaluate(PropertySet.of(plain.properties())).holds()).isFalse();
    }
}
