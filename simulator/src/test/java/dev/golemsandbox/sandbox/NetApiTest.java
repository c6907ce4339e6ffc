package dev.golemsandbox.sandbox;

import static dev.golemsandbox.sandbox.ApiErrorsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Net API as golem-js 3.6 calls it, and every kind of bad input answered as yagna does. */
class NetApiTest {

    private static final String PROVIDER = "0x" + "ab".repeat(20);
    private static final String OTHER = "0x" + "cd".repeat(20);

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    SandboxClient api;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir);
        api = TestSandbox.client(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void golemJsCreatesANetworkAddsNodesAndRemovesThem() {
        SandboxClient.Response created = api.post("/net-api/v1/net", Map.of("ip", "192.168.7.0", "mask", "255.255.255.0"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode net = created.json();
        String id = net.get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(net.get("ip").asText()).isEqualTo("192.168.7.0/24");
        assertThat(net.get("mask").asText()).isEqualTo("255.255.255.0");
        assertThat(net.get("gateway").asText()).isEqualTo("192.168.7.1");

        SandboxClient.Response requestor = api.post("/net-api/v1/net/" + id + "/nodes", Map.of("id", server.requestorId(), "ip", "192.168.7.1"));
        assertThat(requestor.status()).isEqualTo(200);
        assertThat(requestor.body()).isEqualTo("null");
        assertThat(api.post("/net-api/v1/net/" + id + "/nodes", Map.of("id", PROVIDER, "ip", "192.168.7.2")).status()).isEqualTo(200);

        JsonNode nodes = api.get("/net-api/v2/vpn/net/" + id + "/nodes").json();
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(1).get("id").asText()).isEqualTo(PROVIDER);
        assertThat(nodes.get(1).get("ip").asText()).isEqualTo("192.168.7.2");
        assertThat(api.get("/net-api/v1/net/" + id + "/addresses").json().get(0).get("ip").asText()).isEqualTo("192.168.7.1");
        assertThat(api.get("/net-api/v1/net").json()).hasSize(1);
        assertThat(api.get("/net-api/v1/net/" + id).json().get("ip").asText()).isEqualTo("192.168.7.0/24");

        SandboxClient.Response removed = api.delete("/net-api/v1/net/" + id + "/nodes/" + PROVIDER);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body()).isEqualTo("null");
        assertThat(api.get("/net-api/v1/net/" + id + "/nodes").json()).hasSize(1);
        assertThat(api.delete("/net-api/v1/net/" + id + "/nodes/" + OTHER).status()).as("an unknown node").isEqualTo(200);

        SandboxClient.Response deleted = api.delete("/net-api/v1/net/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("null");
        assertError(api.get("/net-api/v1/net/" + id), 404, "network " + id + " not found");
        assertThat(api.get("/net-api/v1/net").json()).isEmpty();
    }

    @Test
    void aCidrIpAnExplicitGatewayAndAnIpInsideTheRangeAreTakenAsYagnaDoes() {
        JsonNode net = api.post("/net-api/v1/net", Map.of("ip", "10.9.8.77/16", "gateway", "10.9.0.254")).json();
        assertThat(net.get("ip").asText()).isEqualTo("10.9.0.0/16");
        assertThat(net.get("mask").asText()).isEqualTo("255.255.0.0");
        assertThat(net.get("gateway").asText()).isEqualTo("10.9.0.254");
    }

    @Test
    void badNetworksAre400() {
        assertError(api.post("/net-api/v1/net", Map.of("ip", "192.168.300.0")), 400, "'192.168.300.0' is not an IPv4 address: 300 is above 255");
        assertError(api.post("/net-api/v1/net", Map.of("ip", "example.com")), 400, "'example.com' is not an IPv4 address");
        assertError(api.post("/net-api/v1/net", Map.of("ip", "192.168.0.0/33")), 400, "no valid prefix length");
        assertError(api.post("/net-api/v1/net", Map.of("ip", "192.168.0.0", "mask", "255.0.255.0")), 400, "mask 255.0.255.0 is not a network mask");
        assertError(api.post("/net-api/v1/net", Map.of("ip", "192.168.0.0/24", "mask", "255.255.0.0")), 400, "disagree");
        assertError(api.post("/net-api/v1/net", Map.of("ip", "192.168.0.0/24", "gateway", "10.0.0.1")), 400, "gateway 10.0.0.1 is outside the network 192.168.0.0/24");
        assertError(api.post("/net-api/v1/net", Map.of("mask", "255.255.255.0")), 400, "request body lacks the field 'ip'");
        assertError(api.postRaw("/net-api/v1/net", "{"), 400, "malformed JSON body");
        assertThat(api.get("/net-api/v1/net").json()).as("nothing half-made").isEmpty();
    }

    @Test
    void badNodesAreRefusedAndLeaveTheNetworkAsItWas() {
        String id = api.post("/net-api/v1/net", Map.of("ip", "192.168.7.0", "mask", "255.255.255.0")).json().get("id").asText();
        String nodes = "/net-api/v1/net/" + id + "/nodes";
        assertThat(api.post(nodes, Map.of("id", PROVIDER, "ip", "192.168.7.2")).status()).isEqualTo(200);

        assertError(api.post(nodes, Map.of("id", OTHER, "ip", "192.168.7.2")), 409, "IP address 192.168.7.2 is taken in network " + id);
        assertThat(api.post(nodes, Map.of("id", PROVIDER, "ip", "192.168.7.2")).status()).as("the same node again").isEqualTo(200);
        assertError(api.post(nodes, Map.of("id", OTHER, "ip", "192.168.8.2")), 400, "IP address 192.168.8.2 is outside network " + id + " (192.168.7.0/24)");
        assertError(api.post(nodes, Map.of("id", "provider-1", "ip", "192.168.7.3")), 400, "node id 'provider-1' is not 0x followed by 40 hex digits");
        assertError(api.post(nodes, Map.of("id", OTHER, "ip", "192.168.7")), 400, "'192.168.7' is not an IPv4 address");
        assertError(api.post("/net-api/v1/net/nope/nodes", Map.of("id", OTHER, "ip", "192.168.7.3")), 404, "network nope not found");
        assertError(api.delete("/net-api/v1/net/nope/nodes/" + OTHER), 404, "network nope not found");
        assertError(api.delete("/net-api/v1/net/nope"), 404, "network nope not found");
        assertError(api.post("/net-api/v1/net/" + id + "/addresses", Map.of("ip", "192.168.7.1")), 409, "already the requestor's");
        assertError(api.post("/net-api/v1/net/" + id + "/addresses", Map.of("ip", "10.0.0.1")), 400, "outside network");

        assertThat(api.get(nodes).json()).hasSize(1);
        assertThat(api.get("/net-api/v1/net/" + id + "/addresses").json()).hasSize(1);
    }

    @Test
    void aTakenNetworkIdIs409() {
        assertThat(api.post("/net-api/v1/net", Map.of("id", "cluster", "ip", "10.0.0.0/24")).status()).isEqualTo(200);
        assertError(api.post("/net-api/v1/net", Map.of("id", "cluster", "ip", "10.1.0.0/24")), 409, "network id cluster is taken");
        assertError(api.post("/net-api/v1/net", Map.of("id", "a/b", "ip", "10.1.0.0/24")), 400, "network id 'a/b' is not");
    }
}
