package dev.golemsandbox.activity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;

/**
 * Binary output as a provider renders it, an array of byte values ({@code [104,105,10]}), kept
 * as the bytes themselves until it is written: a JSON node per byte would cost some twenty
 * times the output's size for as long as the batch is kept.
 */
final class OutputBytes implements JsonSerializable {

    private final byte[] bytes;

    private OutputBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A JSON value that writes {@code bytes} as an array of numbers 0-255. */
    static POJONode of(byte[] bytes) {
        return new POJONode(new OutputBytes(bytes));
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeStartArray(bytes, bytes.length);
        for (byte b : bytes) {
            gen.writeNumber(b & 0xff);
        }
        gen.writeEndArray();
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
        serialize(gen, serializers);
    }
}
