package dev.golemsandbox.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * The one Jackson configuration of the runtime and the simulator: unknown properties are
 * ignored (clients and images add their own), decimals stay exact ({@code BigDecimal}, written
 * plainly: GLM amounts and prices), empty objects serialize. Thread-safe; never reconfigure it.
 *
 * <pre>{@code
 * JsonNode tree = JsonMapper.shared().readTree(bytes);
 * byte[] file = JsonMapper.pretty().writeValueAsBytes(index);   // for files people read
 * }</pre>
 */
public final class JsonMapper {

    private static final ObjectMapper SHARED = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private static final ObjectWriter PRETTY = SHARED.writerWithDefaultPrettyPrinter();

    private JsonMapper() {
    }

    public static ObjectMapper shared() {
        return SHARED;
    }

    /**
     * Parses untrusted JSON. With exact decimals, Jackson throws a bare NumberFormatException for a
     * number it cannot represent (e.g. an exponent of fifty digits); this turns it into the parse
     * error every caller already reports.
     */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        try {
            return SHARED.readTree(json);
        } catch (NumberFormatException e) {
            throw new JsonParseException(null, "a number cannot be represented: " + e.getMessage());
        }
    }

    /** The same for bytes (UTF-8 or what Jackson detects). */
    public static JsonNode readTree(byte[] json) throws IOException {
        try {
            return SHARED.readTree(json);
        } catch (NumberFormatException e) {
            throw new JsonParseException(null, "a number cannot be represented: " + e.getMessage());
        }
    }

    /** The shared configuration, indented: for files a person reads or diffs (tag index, recordings). */
    public static ObjectWriter pretty() {
        return PRETTY;
    }
}
