package dev.golemsandbox.manifest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A computation manifest as a requestor puts it in its demand ({@code golem.srv.comp.payload}):
 * what it runs ({@code payload}) and what it may do ({@code compManifest}: commands, outbound
 * access). Made by {@link ManifestDecoder}, which has checked every field.
 *
 * @param version      semantic version of the manifest format, e.g. {@code 0.1.0}
 * @param createdAt    when it was written
 * @param expiresAt    after this it is refused
 * @param metadata     free-form description ({@code name}, {@code version}, ...); empty if absent
 * @param payload      the images it may run, each by hash with where to get it
 * @param compManifest what the computation may do; empty: the defaults (no outbound access)
 */
public record AppManifest(String version, Instant createdAt, Instant expiresAt, Map<String, Object> metadata,
                          List<Payload> payload, Optional<CompManifest> compManifest) {

    public AppManifest {
        metadata = Map.copyOf(metadata);
        payload = List.copyOf(payload);
    }

    /** The outbound access the manifest asks for: URLs or unrestricted; empty if it asks for none. */
    public Optional<OutboundRequest> outbound() {
        return compManifest.flatMap(CompManifest::outbound).filter(OutboundRequest::requested);
    }

    /**
     * The image an exe-unit runs for this manifest, as a task package ({@code hash:sha3:<hex>:<url>}):
     * the first payload for x86_64 Linux (or any platform) with its first URL; empty if none fits.
     */
    public Optional<String> taskPackage() {
        return payload.stream().filter(Payload::runsHere).findFirst()
                .map(p -> "hash:" + p.hash() + ":" + p.urls().get(0));
    }

    /**
     * One image the manifest may run.
     *
     * @param platform the architecture and OS it is for; empty: any
     * @param urls     where it can be downloaded (at least one)
     * @param hash     {@code sha3:<hex>} (or another algorithm's prefix)
     */
    public record Payload(Optional<Platform> platform, List<URI> urls, String hash) {
        public Payload {
            urls = List.copyOf(urls);
        }

        /** Whether a provider's x86_64 Linux VM runs it. */
        boolean runsHere() {
            return platform.map(p -> p.arch().map("x86_64"::equals).orElse(true) && p.os().map("linux"::equals).orElse(true)).orElse(true);
        }
    }

    /** {@code payload[].platform}: both optional, e.g. {@code x86_64} and {@code linux}. */
    public record Platform(Optional<String> arch, Optional<String> os) {
    }

    /**
     * {@code compManifest}: its format version, the commands it may run, the outbound access it asks for.
     *
     * @param script   {@code script.commands} and {@code script.match}; empty: any command
     * @param outbound {@code net.inet.out}; empty: none asked for
     */
    public record CompManifest(String version, Optional<Script> script, Optional<OutboundRequest> outbound) {
    }

    /** {@code compManifest.script}: the commands the computation may run and how they are matched ({@code strict} or {@code regex}). */
    public record Script(List<String> commands, String match) {
        public Script {
            commands = List.copyOf(commands);
        }
    }
}
