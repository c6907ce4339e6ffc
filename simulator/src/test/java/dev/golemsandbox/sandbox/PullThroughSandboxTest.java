package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.store.StoredImage;
import dev.golemsandbox.testing.SharedFixtures;
import dev.golemsandbox.testing.TestRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole sandboxes on loopback: the second has the first as its upstream registry, so a
 * requestor of the second rents an image only the first holds (the gvmkit-build fixture), which
 * the second pulls, verifies, keeps, and boots in a real VM.
 */
class PullThroughSandboxTest {

    private static final String TAG = "upstream/alpine:1";

    @TempDir
    static Path home;

    static Sandbox upstream;
    static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        upstream = Sandbox.start(SandboxConfig.defaults(TestRuntime.home(home.resolve("upstream"))).withPort(0)
                .withUpstreamRegistry("none"), line -> System.out.println("[upstream] " + line));
        StoredImage fixture = upstream.images().put(SharedFixtures.alpineGvmi(), SharedFixtures.ALPINE_SHA3);
        upstream.images().tag(TAG, fixture.sha3());
        sandbox = Sandbox.start(SandboxConfig.defaults(TestRuntime.home(home.resolve("sandbox"))).withPort(0)
                .withUpstreamRegistry(upstream.baseUrl()), line -> System.out.println("[sandbox] " + line));
        sandbox.awaitReady(Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void anImageOnlyTheUpstreamHoldsIsPulledKeptAndBooted() throws Exception {
        assertThat(sandbox.images().byHash(SharedFixtures.ALPINE_SHA3)).isEmpty();

        try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey());
             Rental rental = requestor.rent(RentalSpec.imageTag(TAG));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            CommandResult hello = activity.shell("cat /golem/work/hello.txt");
            assertThat(hello.stdout()).isEqualTo(SharedFixtures.ALPINE_HELLO + "\n");
        }

        StoredImage pulled = sandbox.images().tagged(TAG).orElseThrow();
        assertThat(pulled.sha3()).isEqualTo(SharedFixtures.ALPINE_SHA3);
        assertThat(pulled.origin()).isEqualTo("pulled from " + upstream.baseUrl());
    }
}
