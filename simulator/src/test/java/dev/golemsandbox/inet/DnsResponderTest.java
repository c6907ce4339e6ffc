package dev.golemsandbox.inet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.net.Ipv4;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gateway's DNS answers: A records for granted names, NXDOMAIN for the rest, silence for garbage. */
class DnsResponderTest {

    private final DnsResponder dns = new DnsResponder(name -> name.equals("files.example")
            ? Optional.of(List.of(Ipv4.parse("10.42.42.1"))) : Optional.empty());

    static byte[] query(int id, String name, int type) {
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            q.put((byte) label.length()).put(label.getBytes());
        }
        q.put((byte) 0).putShort((short) type).putShort((short) 1);
        byte[] bytes = new byte[q.position()];
        q.flip().get(bytes);
        return bytes;
    }

    private Optional<byte[]> ask(byte[] query) {
        return dns.answer(ByteBuffer.wrap(query), query.length);
    }

    @Test
    void aGrantedNameGetsItsAddress() {
        byte[] answer = ask(query(0x1234, "FILES.example", 1)).orElseThrow();
        ByteBuffer a = ByteBuffer.wrap(answer);
        assertThat(a.getShort(0)).isEqualTo((short) 0x1234);
        assertThat(a.getShort(2) & 0x800f).as("a response, NOERROR").isEqualTo(0x8000);
        assertThat(a.getShort(6)).as("one answer").isEqualTo((short) 1);
        assertThat(a.getInt(answer.length - 4)).isEqualTo(Ipv4.parse("10.42.42.1").value());
    }

    @Test
    void anotherNameIsNxdomainAndAnotherTypeOfAGrantedNameHasNoRecords() {
        ByteBuffer other = ByteBuffer.wrap(ask(query(7, "elsewhere.example", 1)).orElseThrow());
        assertThat(other.getShort(2) & 0xf).isEqualTo(3);
        assertThat(other.getShort(6)).isZero();
        ByteBuffer aaaa = ByteBuffer.wrap(ask(query(8, "files.example", 28)).orElseThrow());
        assertThat(aaaa.getShort(2) & 0xf).isZero();
        assertThat(aaaa.getShort(6)).isZero();
    }

    @Test
    void malformedQueriesGetNoAnswerAndNeverThrow() {
        byte[] good = query(9, "files.example", 1);
        for (int cut = 0; cut < good.length - 1; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            assertThat(ask(truncated)).as("cut at " + cut).isEmpty();
        }
        byte[] pointer = good.clone();
        pointer[12] = (byte) 0xc0; // a compression pointer in the question
        assertThat(ask(pointer)).isEmpty();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            ask(noise); // no exception: answered or dropped
        }
    }
}
