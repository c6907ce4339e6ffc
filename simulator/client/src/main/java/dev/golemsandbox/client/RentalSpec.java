package dev.golemsandbox.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What to rent: an image and the least a provider must offer. Immutable; derive variants with the
 * {@code with...} methods.
 *
 * <pre>{@code
 * RentalSpec spec = RentalSpec.imageTag("sandbox/busybox:latest").withProvider("provider-1").withMinMemGib(1);
 * }</pre>
 *
 * @param imageTag    a registry tag such as {@code golem/alpine:latest}, or null when {@code imageHash} is given
 * @param imageHash   a SHA3-224 image hash, or null when {@code imageTag} is given
 * @param imageUrl    where providers download the image; null to ask the registry
 * @param provider    the provider name ({@code golem.node.id.name}) to rent from, or null for any
 * @param minMemGib   least memory, GiB
 * @param minStorageGib least storage, GiB
 * @param minThreads  least CPU threads
 * @param negotiationTimeout how long to wait for a provider to agree
 */
public record RentalSpec(String imageTag, String imageHash, String imageUrl, String provider,
                         double minMemGib, double minStorageGib, int minThreads, Duration negotiationTimeout) {

    public RentalSpec {
        if (imageTag == null && imageHash == null) {
            throw new IllegalArgumentException("an image tag or an image hash is required");
        }
        Objects.requireNonNull(negotiationTimeout, "negotiationTimeout");
    }

    public static RentalSpec imageTag(String tag) {
        return new RentalSpec(tag, null, null, null, 0.5, 1, 1, Duration.ofSeconds(60));
    }

    public static RentalSpec imageHash(String sha3) {
        return new RentalSpec(null, sha3, null, null, 0.5, 1, 1, Duration.ofSeconds(60));
    }

    public RentalSpec withImageUrl(String url) {
        return new RentalSpec(imageTag, imageHash, url, provider, minMemGib, minStorageGib, minThreads, negotiationTimeout);
    }

    public RentalSpec withProvider(String name) {
        return new RentalSpec(imageTag, imageHash, imageUrl, name, minMemGib, minStorageGib, minThreads, negotiationTimeout);
    }

    public RentalSpec withMinMemGib(double gib) {
        return new RentalSpec(imageTag, imageHash, imageUrl, provider, gib, minStorageGib, minThreads, negotiationTimeout);
    }

    public RentalSpec withMinStorageGib(double gib) {
        return new RentalSpec(imageTag, imageHash, imageUrl, provider, minMemGib, gib, minThreads, negotiationTimeout);
    }

    public RentalSpec withMinThreads(int threads) {
        return new RentalSpec(imageTag, imageHash, imageUrl, provider, minMemGib, minStorageGib, threads, negotiationTimeout);
    }

    public RentalSpec withNegotiationTimeout(Duration timeout) {
        return new RentalSpec(imageTag, imageHash, imageUrl, provider, minMemGib, minStorageGib, minThreads, timeout);
    }
}
