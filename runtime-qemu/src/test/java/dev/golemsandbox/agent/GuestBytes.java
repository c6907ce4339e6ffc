package dev.golemsandbox.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/** Builds what a guest agent (honest or not) writes to its port, for decoder tests. */
final class GuestBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    GuestBytes u8(int value) {
        out.write(value);
        return this;
    }

    GuestBytes u32(long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    GuestBytes u64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    GuestBytes bytes(byte[] data) {
        u64(data.length);
        out.writeBytes(data);
        return this;
    }

    GuestBytes text(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    GuestBytes ready() {
        return u64(0).u8(11).text("golem-sandbox-agent test");
    }

    GuestBytes pid(long id, long pid) {
        return u64(id).u8(1).u64(pid);
    }

    GuestBytes outputAvailable(long pid, int fd) {
        return u64(0).u8(4).u64(pid).u32(fd);
    }

    GuestBytes died(long pid, int status) {
        return u64(0).u8(5).u64(pid).u8(status).u8(0);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    ReadableByteChannel channel() {
        return Channels.newChannel(new ByteArrayInputStream(toByteArray()));
    }
}
