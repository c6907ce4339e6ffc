package dev.golemsandbox.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import dev.golemsandbox.manifest.AppManifest;
import dev.golemsandbox.manifest.DemandManifest;
import dev.golemsandbox.manifest.InvalidManifestException;
import dev.golemsandbox.market.Market;
import dev.golemsandbox.market.ProviderMatch;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /_sandbox/manifest/check}: a computation manifest judged before any demand carries
 * it. yagna takes any demand and leaves the manifest to the providers, whose rejections the
 * requestor reads one counter-proposal at a time; this answers at once whether the manifest
 * decodes (400 with what is wrong if not) and which providers' outbound rules accept it.
 *
 * <pre>{@code
 * POST /_sandbox/manifest/check  {"manifest": "<base64>" or {...}, "signature": ..., "signatureAlgorithm": "sha256", "certificate": ...}
 * 200 {"taskPackage": "hash:sha3:...", "outbound": {"protocols": [...], "urls": [...], "unrestricted": false},
 *      "acceptingProviders": 9, "providers": [{"provider": "alder", "accepts": true}, {"provider": "dogwood", "accepts": false, "reason": "outbound is disabled"}]}
 * }</pre>
 */
final class ManifestCheckApi implements ApiComponent {

    private final Market market;

    ManifestCheckApi(Market market) {
        this.market = market;
    }

    @Override
    public String name() {
        return "manifest";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.post("/_sandbox/manifest/check", this::check);
    }

    private void check(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        Map<String, Object> properties = demandProperties(body);
        AppManifest manifest;
        try {
            manifest = DemandManifest.of(properties, Instant.now()).orElseThrow().manifest();
        } catch (InvalidManifestException e) {
            throw new ApiException.BadRequest("invalid manifest: " + e.getMessage());
        }
        properties.put("golem.srv.comp.expiration", System.currentTimeMillis() + 3_600_000L);
        List<ProviderMatch> judged = market.explain(properties, "(&)");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("taskPackage", manifest.taskPackage().orElse(null));
        answer.put("outbound", manifest.outbound().orElse(null));
        answer.put("acceptingProviders", judged.stream().filter(m -> m.refusal() == null).count());
        answer.put("providers", judged.stream().map(m -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("provider", m.provider());
            one.put("accepts", m.refusal() == null);
            if (m.refusal() != null) {
                one.put("reason", m.refusal());
            }
            return one;
        }).toList());
        Json.ok(ctx, answer);
    }

    /** The demand properties golem-js would send for this body: the manifest in base64 and its signature. */
    private static Map<String, Object> demandProperties(JsonBody body) {
        JsonNode manifest = body.node().get("manifest");
        String encoded;
        if (manifest != null && manifest.isTextual()) {
            encoded = manifest.asText();
        } else if (manifest != null && manifest.isObject()) {
            encoded = Base64.getEncoder().encodeToString(manifest.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            throw new ApiException.BadRequest("'manifest' must be the manifest in base64 (as golem-js's workload.manifest) or its JSON object");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(DemandManifest.PAYLOAD, encoded);
        putIfPresent(properties, DemandManifest.SIGNATURE, body.optionalString("signature"));
        putIfPresent(properties, DemandManifest.SIGNATURE_ALGORITHM, body.optionalString("signatureAlgorithm"));
        putIfPresent(properties, DemandManifest.CERTIFICATE, body.optionalString("certificate"));
        return properties;
    }

    private static void putIfPresent(Map<String, Object> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
