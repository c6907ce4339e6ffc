package dev.golemsandbox.market.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintMatchTest {

    /** An offer as the sandbox's default provider publishes it (the properties golem-js reads). */
    static Map<String, Object> offer() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("golem.com.pricing.model", "linear");
        p.put("golem.com.pricing.model.linear.coeffs", List.of(0.0000277, 0.0000055, 0.0));
        p.put("golem.com.usage.vector", List.of("golem.usage.cpu_sec", "golem.usage.duration_sec"));
        p.put("golem.com.payment.platform.erc20-holesky-tglm.address", "0xabc");
        p.put("golem.com.payment.protocol.version", "3");
        p.put("golem.inf.mem.gib", 1.0);
        p.put("golem.inf.storage.gib", 4.0);
        p.put("golem.inf.cpu.cores", 1);
        p.put("golem.inf.cpu.threads", 1);
        p.put("golem.node.debug.subnet", "public");
        p.put("golem.node.id.name", "sandbox-provider-1");
        p.put("golem.runtime.name", "vm");
        p.put("golem.runtime.capabilities", List.of("inet", "start-entrypoint"));
        p.put("golem.activity.caps.transfer.protocol", List.of("gftp", "http", "https"));
        p.put("golem.srv.caps.multi-activity", true);
        return p;
    }

    static Verdict evaluate(String constraint, Map<String, Object> properties) throws Exception {
        return ConstraintParser.parse(constraint).evaluate(PropertySet.of(properties));
    }

    @Test
    void golemJsDefaultDemandMatchesTheDefaultOffer() throws Exception {
        assertThat(evaluate(ConstraintParserTest.GOLEM_JS_DEFAULT, offer()).holds()).isTrue();
    }

    @Test
    void golemJsDecorationsMatchTheDefaultOffer() throws Exception {
        assertThat(evaluate("(golem.com.payment.platform.erc20-holesky-tglm.address=*)", offer()).holds()).isTrue();
        assertThat(evaluate("(golem.com.payment.protocol.version>1)", offer()).holds()).isTrue();
    }

    @Test
    void aDemandForAnotherPaymentNetworkSaysWhichPropertyIsMissing() throws Exception {
        String polygon = ConstraintParserTest.GOLEM_JS_DEFAULT.replace("erc20-holesky-tglm", "erc20-polygon-glm");
        Verdict v = evaluate(polygon, offer());

        assertThat(v.truth()).isEqualTo(Truth.FALSE);
        assertThat(v.clause()).isEqualTo("(golem.com.payment.platform.erc20-polygon-glm.address=*)");
        assertThat(v.reason()).isEqualTo("golem.com.payment.platform.erc20-polygon-glm.address is absent");
    }

    @Test
    void tooLittleMemoryIsANearMissShowingTheValueSeen() throws Exception {
        Verdict v = evaluate(ConstraintParserTest.GOLEM_JS_DEFAULT.replace("golem.inf.mem.gib>=0.5", "golem.inf.mem.gib>=8"), offer());

        assertThat(v.truth()).isEqualTo(Truth.FALSE);
        assertThat(v.clause()).isEqualTo("(golem.inf.mem.gib>=8)");
        assertThat(v.property()).isEqualTo("golem.inf.mem.gib");
        assertThat(v.seen()).isEqualTo(1.0);
        assertThat(v.reason()).isEqualTo("golem.inf.mem.gib is 1.0, not >= 8");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            // numbers
            "(golem.inf.mem.gib>=0.5) => TRUE",
            "(golem.inf.mem.gib>=1) => TRUE",
            "(golem.inf.mem.gib>1) => FALSE",
            "(golem.inf.mem.gib<=1) => TRUE",
            "(golem.inf.mem.gib<1.5) => TRUE",
            "(golem.inf.mem.gib=1) => TRUE",
            "(golem.inf.mem.gib=1.000) => TRUE",
            "(golem.inf.mem.gib<>1) => FALSE",
            "(golem.inf.cpu.threads>=1) => TRUE",
            "(golem.inf.cpu.threads>=2) => FALSE",
            "(golem.inf.mem.gib>=lots) => FALSE",
            // strings, also numeric ones compared as numbers
            "(golem.runtime.name=vm) => TRUE",
            "(golem.runtime.name=wasmtime) => FALSE",
            "(golem.runtime.name<>wasmtime) => TRUE",
            "(golem.node.id.name=sandbox-*) => TRUE",
            "(golem.node.id.name=*-1) => TRUE",
            "(golem.node.id.name=*provider*) => TRUE",
            "(golem.node.id.name=other-*) => FALSE",
            "(golem.node.id.name=*) => TRUE",
            "(golem.com.payment.protocol.version>1) => TRUE",
            "(golem.com.payment.protocol.version>=3) => TRUE",
            "(golem.com.payment.protocol.version>10) => FALSE",
            "(golem.com.payment.protocol.version=3) => TRUE",
            "(golem.node.id.name>sandbox-provider-0) => TRUE",
            // lists: a single literal is membership, a list literal is set equality
            "(golem.runtime.capabilities=inet) => TRUE",
            "(golem.runtime.capabilities=vpn) => FALSE",
            "(golem.activity.caps.transfer.protocol=gftp) => TRUE",
            "(golem.activity.caps.transfer.protocol=[https,gftp,http]) => TRUE",
            "(golem.activity.caps.transfer.protocol=[gftp,http]) => FALSE",
            "(golem.runtime.capabilities=start-*) => TRUE",
            "(golem.runtime.capabilities>a) => FALSE",
            // booleans
            "(golem.srv.caps.multi-activity=true) => TRUE",
            "(golem.srv.caps.multi-activity=false) => FALSE",
            // absent properties are undefined, presence of them false
            "(golem.inf.gpu.model=*) => FALSE",
            "(golem.inf.gpu.model=rtx) => UNDEFINED",
            "(!(golem.inf.gpu.model=rtx)) => UNDEFINED",
            "(!(golem.inf.gpu.model=*)) => TRUE",
            // logic
            "(&) => TRUE",
            "(|) => FALSE",
            "(|(golem.runtime.name=wasmtime)(golem.runtime.name=vm)) => TRUE",
            "(|(golem.runtime.name=wasmtime)(golem.inf.gpu.model=rtx)) => UNDEFINED",
            "(|(golem.runtime.name=wasmtime)(golem.inf.mem.gib>2)) => FALSE",
            "(&(golem.runtime.name=vm)(golem.inf.gpu.model=rtx)) => UNDEFINED",
            "(&(golem.inf.gpu.model=rtx)(golem.runtime.name=wasmtime)) => FALSE",
            "(!(golem.runtime.name=vm)) => FALSE",
            "(!(!(golem.runtime.name=vm))) => TRUE",
    })
    void resolvesAgainstTheOffer(String constraint, Truth expected) throws Exception {
        assertThat(evaluate(constraint, offer()).truth()).isEqualTo(expected);
    }

    @Test
    void nestedPropertyObjectsAreFlattenedIntoDottedNames() throws Exception {
        Map<String, Object> nested = Map.of("golem", Map.of("inf", Map.of("mem", Map.of("gib", 2)), "runtime", Map.of("name", "vm")));

        assertThat(evaluate("(&(golem.inf.mem.gib>=2)(golem.runtime.name=vm))", nested).holds()).isTrue();
    }

    @Test
    void anOrThatFailsListsEveryAlternative() throws Exception {
        Verdict v = evaluate("(|(golem.runtime.name=wasmtime)(golem.inf.mem.gib>2))", offer());

        assertThat(v.reason()).isEqualTo("no alternative holds: (golem.runtime.name=wasmtime): golem.runtime.name is \"vm\", not = wasmtime; "
                + "(golem.inf.mem.gib>2): golem.inf.mem.gib is 1.0, not > 2");
    }

    @Test
    void aNegationThatFailsShowsTheValueThatMadeItFail() throws Exception {
        Verdict v = evaluate("(!(golem.runtime.name=vm))", offer());

        assertThat(v.clause()).isEqualTo("(!(golem.runtime.name=vm))");
        assertThat(v.reason()).isEqualTo("the negated clause (golem.runtime.name=vm) holds (golem.runtime.name is \"vm\")");
    }

    @Test
    void theProviderSideChecksTheDemandPropertiesOfGolemJs() throws Exception {
        Map<String, Object> demand = Map.of(
                "golem.node.debug.subnet", "public",
                "golem.srv.comp.expiration", 1_714_560_000_000L,
                "golem.srv.comp.task_package", "hash:sha3:abcd:http://127.0.0.1:7465/v1/image/download?hash=abcd",
                "golem.com.payment.platform.erc20-holesky-tglm.address", "0x1111111111111111111111111111111111111111",
                "golem.com.payment.protocol.version", "3");
        String offerConstraints = "(&(golem.node.debug.subnet=public)\n\t(golem.srv.comp.expiration>1700000000000))";

        assertThat(evaluate(offerConstraints, demand).holds()).isTrue();
        Verdict wrongSubnet = evaluate(offerConstraints.replace("public", "devnet"), demand);
        assertThat(wrongSubnet.reason()).isEqualTo("golem.node.debug.subnet is \"public\", not = devnet");
    }
}
