package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.net.Ipv4;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which destinations a grant opens, as the exe-unit's filter decides from the URLs resolved at deploy. */
class OutboundFilterTest {

    private static final Ipv4 GATEWAY = Ipv4.parse("10.42.42.1");
    private static final Ipv4 EXAMPLE = Ipv4.parse("93.184.216.34");
    private static final Ipv4 HOST_LAN = Ipv4.parse("192.168.1.10");

    private static final Map<String, List<Ipv4>> DNS = Map.of(
            "example.com", List.of(EXAMPLE),
            "localhost", List.of(Ipv4.parse("127.0.0.1")),
            "udp.example", List.of(Ipv4.parse("203.0.113.5")));

    private static OutboundFilter filter(boolean unrestricted, String... urls) {
        return OutboundFilter.of(new OutboundGrant(unrestricted, java.util.Arrays.stream(urls).map(URI::create).toList()), host -> {
            List<Ipv4> found = DNS.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        }, Set.of(HOST_LAN));
    }

    @Test
    void urlsGiveTcpToTheirAddressesOnTheirPortOrTheSchemesDefault() {
        OutboundFilter filter = filter(false, "https://example.com/data", "http://example.com:8080/", "ws://example.com/",
                "udp://udp.example:5353");
        assertThat(filter.tcp(EXAMPLE, 443)).isPresent();
        assertThat(filter.tcp(EXAMPLE, 8080)).isPresent();
        assertThat(filter.tcp(EXAMPLE, 80)).isPresent();
        assertThat(filter.tcp(EXAMPLE, 22)).isEmpty();
        assertThat(filter.udp(EXAMPLE, 443)).as("an https URL gives TCP only").isEmpty();
        assertThat(filter.udp(Ipv4.parse("203.0.113.5"), 5353)).isPresent();
        assertThat(filter.tcp(Ipv4.parse("203.0.113.5"), 5353)).as("a udp URL gives UDP only").isEmpty();
        assertThat(filter.tcp(Ipv4.parse("93.184.216.35"), 443)).isEmpty();
    }

    @Test
    void aGrantedLoopbackAddressIsReachedThroughTheGatewayAndNothingElseOnLoopbackIs() {
        OutboundFilter filter = filter(false, "http://localhost:8000/", "http://127.0.0.1:9000/");
        assertThat(filter.tcp(GATEWAY, 8000)).hasValueSatisfying(t -> {
            assertThat(t.address()).isEqualTo(Ipv4.parse("127.0.0.1"));
            assertThat(t.port()).isEqualTo(8000);
        });
        assertThat(filter.tcp(GATEWAY, 9000)).isPresent();
        assertThat(filter.tcp(GATEWAY, 7465)).as("the sandbox's API port").isEmpty();
        assertThat(filter.tcp(Ipv4.parse("127.0.0.1"), 7465)).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("127.0.0.2"), 8000)).as("only the granted loopback address").isEmpty();
        assertThat(filter.udp(GATEWAY, 8000)).isEmpty();
        assertThat(filter.guestAddressesOf("localhost")).contains(List.of(GATEWAY));
    }

    @Test
    void unrestrictedReachesTheWorldButNotThisMachine() {
        OutboundFilter filter = filter(true);
        assertThat(filter.tcp(EXAMPLE, 22)).isPresent();
        assertThat(filter.udp(EXAMPLE, 123)).isPresent();
        assertThat(filter.tcp(GATEWAY, 7465)).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("127.0.0.1"), 7465)).isEmpty();
        assertThat(filter.tcp(HOST_LAN, 7465)).as("a service of this machine on its LAN address").isEmpty();
        assertThat(filter.tcp(Ipv4.parse("0.0.0.0"), 80)).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("169.254.169.254"), 80)).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("224.0.0.1"), 80)).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("10.42.42.7"), 80)).isEmpty();
        assertThat(filter.guestAddressesOf("example.com")).isEmpty();
    }

    @Test
    void namesAnswerOnlyWhatTheGrantNamesAndAnUnresolvableNameAllowsNothing() {
        OutboundFilter filter = filter(false, "https://EXAMPLE.com./", "https://nowhere.invalid/", "https://203.0.113.9/");
        assertThat(filter.guestAddressesOf("example.com")).contains(List.of(EXAMPLE));
        assertThat(filter.guestAddressesOf("other.com")).isEmpty();
        assertThat(filter.guestAddressesOf("nowhere.invalid")).isEmpty();
        assertThat(filter.tcp(Ipv4.parse("203.0.113.9"), 443)).isPresent();
        assertThat(filter.guestAddressesOf("203.0.113.9")).isEmpty();
    }
}
