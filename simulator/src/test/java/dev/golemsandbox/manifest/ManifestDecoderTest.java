package dev.golemsandbox.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestDecoderTest {

    @Test
    void readsEveryFieldOfABase64Manifest() {
        AppManifest m = ManifestDecoder.decode(Manifests.base64(Manifests.json(
                "{\"protocols\": [\"https\"], \"urls\": [\"https://github.com/golemfactory\", \"http://127.0.0.1:8080/data\"]}")));

        assertThat(m.version()).isEqualTo("0.1.0");
        assertThat(m.expiresAt()).isAfter(m.createdAt());
        assertThat(m.metadata()).containsEntry("name", "example");
        assertThat(m.payload()).singleElement().satisfies(p -> {
            assertThat(p.hash()).isEqualTo(Manifests.HASH);
            assertThat(p.urls()).containsExactly(URI.create("http://registry.example/download/ab"));
            assertThat(p.platform().flatMap(AppManifest.Platform::arch)).contains("x86_64");
        });
        assertThat(m.taskPackage()).contains("hash:" + Manifests.HASH + ":http://registry.example/download/ab");
        OutboundRequest out = m.outbound().orElseThrow();
        assertThat(out.protocols()).containsExactly("https");
        assertThat(out.unrestricted()).isFalse();
        assertThat(out.urls()).hasSize(2);
        assertThat(out.usableUrls()).as("only the URLs of its protocols are usable").containsExactly(URI.create("https://github.com/golemfactory"));
    }

    @Test
    void takesTheJsonItselfAsTheRealProviderDoes() {
        AppManifest m = ManifestDecoder.decode(Manifests.json("{\"urls\": [\"http://localhost:1234/\"]}"));

        assertThat(m.outbound().orElseThrow().protocols()).as("protocols default as in ya-manifest-utils")
                .containsExactly("http", "https", "ws", "wss");
    }

    @Test
    void unrestrictedAccessListsNoUrl() {
        OutboundRequest out = ManifestDecoder.decode(Manifests.json("{\"unrestricted\": {\"urls\": true}}")).outbound().orElseThrow();

        assertThat(out.unrestricted()).isTrue();
        assertThat(out.urls()).isEmpty();
    }

    @Test
    void aManifestWithoutOutboundUrlsAsksForNoOutboundAccess() {
        assertThat(ManifestDecoder.decode(Manifests.json(null)).outbound()).isEmpty();
        assertThat(ManifestDecoder.decode(Manifests.json("{\"urls\": []}")).outbound()).isEmpty();
        assertThat(ManifestDecoder.decode(Manifests.json("{\"unrestricted\": {\"urls\": false}}")).outbound()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            not base64                 | @@@not-base64@@@                                   | neither base64 nor JSON
            base64 of text             | aGVsbG8gd29ybGQ=                                   | not JSON
            a JSON list                | []                                                 | neither base64 nor JSON
            base64 of a list           | W10=                                               | must be a JSON object
            no version                 | {"createdAt": "2020-01-01T00:00:00Z"}             | 'version' must be a semantic version
            version not semver         | {"version": "1.0"}                                 | 'version' must be a semantic version such as "0.1.0", got "1.0"
            createdAt not a time       | {"version": "0.1.0", "createdAt": "yesterday"}     | 'createdAt' must be an RFC 3339 time
            """)
    void refusesWhatIsNotAManifest(String what, String input, String message) {
        assertThatThrownBy(() -> ManifestDecoder.decode(input)).isInstanceOf(InvalidManifestException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            urls not a list          | {"urls": "https://github.com"}                       | 'compManifest.net.inet.out.urls' must be a list, got "https://github.com"
            a url not a string       | {"urls": [5]}                                         | 'compManifest.net.inet.out.urls' must be a list of URLs, got 5
            a relative url           | {"urls": ["/etc/passwd"]}                             | has "/etc/passwd", which is not an absolute URL
            a url without a host     | {"urls": ["file:///etc/passwd"]}                      | has "file:///etc/passwd", a URL without a host
            a url that does not parse| {"urls": ["http://exa mple.com/"]}                    | which is not a URL
            both urls and everything | {"urls": ["https://a.example"], "unrestricted": {"urls": true}} | lists urls and asks for unrestricted access
            unrestricted not a flag  | {"unrestricted": {"urls": "yes"}}                     | 'compManifest.net.inet.out.unrestricted.urls' must be true or false
            protocols not names      | {"protocols": [1], "urls": ["https://a.example"]}     | must be a list of URL schemes
            """)
    void refusesAnOutboundRequestOfTheWrongShape(String what, String out, String message) {
        assertThatThrownBy(() -> ManifestDecoder.decode(Manifests.json(out)))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining(message);
    }

    @Test
    void refusesPayloadEntriesOfTheWrongShape() {
        String noUrls = Manifests.json(null).replace("\"urls\": [\"http://registry.example/download/ab\"]", "\"urls\": []");
        assertThatThrownBy(() -> ManifestDecoder.decode(noUrls)).hasMessageContaining("'payload[0].urls' lists no URL");
        String badHash = Manifests.json(null).replace(Manifests.HASH, "../../etc");
        assertThatThrownBy(() -> ManifestDecoder.decode(badHash)).hasMessageContaining("'payload[0].hash' must be <algorithm>:<hex digest>");
        String noPayload = Manifests.json(null).replaceFirst(",\\s*\"payload\": \\[.*\\]", "");
        assertThatThrownBy(() -> ManifestDecoder.decode(noPayload)).hasMessageContaining("'payload' is missing");
    }

    @Test
    void boundsWhatAnUntrustedRequestorCanMakeItRead() {
        assertThatThrownBy(() -> ManifestDecoder.decode("A".repeat(ManifestDecoder.MAX_ENCODED_CHARS + 1)))
                .hasMessageContaining("more than the 65536 accepted");
        String many = "{\"urls\": [" + "\"https://a.example\",".repeat(ManifestDecoder.MAX_LIST) + "\"https://b.example\"]}";
        assertThatThrownBy(() -> ManifestDecoder.decode(Manifests.json(many))).hasMessageContaining("more than the 256 accepted");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> ManifestDecoder.decode("{\"version\": " + deep + "}")).isInstanceOf(InvalidManifestException.class);
    }

    @Test
    void aDemandWithoutAManifestHasNone() {
        assertThat(DemandManifest.of(Map.of("golem.srv.comp.task_package", "hash:sha3:ab:http://x/"), Instant.now())).isEmpty();
    }

    @Test
    void anExpiredManifestIsRefused() {
        Map<String, Object> demand = Manifests.demand(Manifests.json(null));
        assertThatThrownBy(() -> DemandManifest.of(demand, Instant.now().plusSeconds(7200)))
                .isInstanceOf(InvalidManifestException.class).hasMessageStartingWith("it expired at ");
    }

    @Test
    void thePayloadPropertyMustBeAString() {
        assertThatThrownBy(() -> DemandManifest.of(Map.of(DemandManifest.PAYLOAD, 42), Instant.now()))
                .hasMessage("golem.srv.comp.payload must be a string (the manifest in base64), got a number");
    }

    @Test
    void aSignedManifestNeedsItsAlgorithmAndCertificate() {
        Map<String, Object> demand = Manifests.demand(Manifests.json(null));
        demand.put(DemandManifest.SIGNATURE, "c2ln");
        assertThatThrownBy(() -> DemandManifest.of(demand, Instant.now()))
                .hasMessage("the manifest is signed but the demand has no golem.srv.comp.payload.sig.algorithm");
    }
}
