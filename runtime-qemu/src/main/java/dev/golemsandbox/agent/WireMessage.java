package dev.golemsandbox.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes one request of the guest protocol: {@code u64 id, u8 type}, then fields as
 * {@code u8 subtype + body}, ended by subtype 0. Integers are little-endian.
 */
final class WireMessage {

    static final int QUIT = 1;
    static final int RUN_PROCESS = 2;
    static final int KILL_PROCESS = 3;
    static final int MOUNT_VOLUME = 4;
    static final int QUERY_OUTPUT = 6;
    static final int SYNC_FS = 8;
    static final int NET_CTL = 9;
    static final int NET_HOST = 10;
    static final int SET_CLOCK = 13;
    static final int DISK_FULL = 14;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    WireMessage(long id, int type) {
        u64(id);
        out.write(type);
    }

    WireMessage field(int subtype) {
        out.write(subtype);
        return this;
    }

    WireMessage u8(int value) {
        out.write(value);
        return this;
    }

    WireMessage u16(int value) {
        out.write(value);
        out.write(value >>> 8);
        return this;
    }

    WireMessage u32(long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    WireMessage u64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    WireMessage bytes(String value) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        u64(data.length);
        out.writeBytes(data);
        return this;
    }

    WireMessage array(List<String> values) {
        u64(values.size());
        values.forEach(this::bytes);
        return this;
    }

    byte[] end() {
        out.write(0);
        return out.toByteArray();
    }

    static String typeName(int type) {
        return switch (type) {
            case QUIT -> "QUIT";
            case RUN_PROCESS -> "RUN_PROCESS";
            case KILL_PROCESS -> "KILL_PROCESS";
            case MOUNT_VOLUME -> "MOUNT_VOLUME";
            case QUERY_OUTPUT -> "QUERY_OUTPUT";
            case SYNC_FS -> "SYNC_FS";
            case NET_CTL -> "NET_CTL";
            case NET_HOST -> "NET_HOST";
            case SET_CLOCK -> "SET_CLOCK";
            case DISK_FULL -> "DISK_FULL";
            default -> "request " + type;
        };
    }
}
