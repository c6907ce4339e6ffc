package dev.golemsandbox.manifest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Manifests as requestors write them, for the tests of this package. */
final class Manifests {

    static final String HASH = "sha3:" + "ab".repeat(28);

    private Manifests() {
    }

    /** A manifest valid for an hour whose {@code compManifest.net.inet.out} is {@code out} (JSON), or none if null. */
    static String json(String out) {
        String comp = out == null ? "" : """
                , "compManifest": {"version": "0.1.0", "net": {"inet": {"out": %s}}}""".formatted(out);
        return """
                {"version": "0.1.0", "createdAt": "%s", "expiresAt": "%s",
                 "metadata": {"name": "example", "version": "1.0.0"},
                 "payload": [{"platform": {"arch": "x86_64", "os": "linux"}, "urls": ["http://registry.example/download/ab"], "hash": "%s"}]%s}
                """.formatted(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), HASH, comp);
    }

    static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Demand properties carrying {@code json} in base64, as golem-js sends {@code workload.manifest}. */
    static Map<String, Object> demand(String json) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DemandManifest.PAYLOAD, base64(json));
        return properties;
    }

    static Map<String, Object> demandAskingFor(String... urls) {
        StringBuilder list = new StringBuilder();
        for (String url : urls) {
            list.append(list.isEmpty() ? "" : ", ").append('"').append(url).append('"');
        }
        return demand(json("{\"protocols\": [\"http\", \"https\"], \"urls\": [" + list + "]}"));
    }

    static Map<String, Object> demandAskingForEverything() {
        return demand(json("{\"unrestricted\": {\"urls\": true}}"));
    }
}
