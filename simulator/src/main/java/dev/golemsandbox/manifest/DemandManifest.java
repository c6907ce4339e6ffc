package dev.golemsandbox.manifest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifest of a demand, read from its properties: {@code golem.srv.comp.payload} and, if the
 * requestor signed it, {@code .sig}, {@code .sig.algorithm} and {@code golem.srv.comp.payload.cert}.
 *
 * <pre>{@code
 * Optional<DemandManifest> manifest = DemandManifest.of(demandProperties, Instant.now());
 * }</pre>
 *
 * @param encoded   the payload property as sent (what a signature covers)
 * @param manifest  the manifest decoded
 * @param signature its signature; empty if unsigned
 */
public record DemandManifest(String encoded, AppManifest manifest, Optional<ManifestSignature> signature) {

    public static final String PAYLOAD = "golem.srv.comp.payload";
    public static final String SIGNATURE = "golem.srv.comp.payload.sig";
    public static final String SIGNATURE_ALGORITHM = "golem.srv.comp.payload.sig.algorithm";
    public static final String CERTIFICATE = "golem.srv.comp.payload.cert";

    /**
     * The manifest of a demand with these (flat) properties, checked as of {@code now}; empty if it has none.
     *
     * @throws InvalidManifestException if the manifest or its signature properties cannot be used, or it has expired
     */
    public static Optional<DemandManifest> of(Map<String, Object> properties, Instant now) {
        Object payload = properties.get(PAYLOAD);
        if (payload == null) {
            return Optional.empty();
        }
        if (!(payload instanceof String encoded)) {
            throw new InvalidManifestException(PAYLOAD + " must be a string (the manifest in base64), got a " + typeOf(payload));
        }
        AppManifest manifest = ManifestDecoder.decode(encoded);
        if (!manifest.expiresAt().isAfter(now)) {
            throw new InvalidManifestException("it expired at " + manifest.expiresAt() + " (expiresAt)");
        }
        Optional<ManifestSignature> signature = Optional.empty();
        if (properties.containsKey(SIGNATURE)) {
            signature = Optional.of(new ManifestSignature(text(properties, SIGNATURE), text(properties, SIGNATURE_ALGORITHM),
                    text(properties, CERTIFICATE)));
        }
        return Optional.of(new DemandManifest(encoded, manifest, signature));
    }

    /**
     * The manifest of a demand its provider has agreed to, read again without judging it (the
     * provider did that in the negotiation; it may have expired since); empty if the demand has
     * none or one that does not decode.
     */
    public static Optional<AppManifest> agreed(Map<String, Object> properties) {
        if (!(properties.get(PAYLOAD) instanceof String encoded)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestDecoder.decode(encoded));
        } catch (InvalidManifestException e) {
            return Optional.empty();
        }
    }

    private static String text(Map<String, Object> properties, String key) {
        Object v = properties.get(key);
        if (v == null) {
            throw new InvalidManifestException("the manifest is signed but the demand has no " + key);
        }
        if (!(v instanceof String s)) {
            throw new InvalidManifestException(key + " must be a string, got a " + typeOf(v));
        }
        return s;
    }

    private static String typeOf(Object v) {
        return v instanceof Number ? "number" : v instanceof Boolean ? "boolean" : v instanceof List ? "list"
                : v instanceof Map ? "map" : v.getClass().getSimpleName();
    }
}
