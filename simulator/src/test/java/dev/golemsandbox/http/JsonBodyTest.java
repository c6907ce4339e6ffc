package dev.golemsandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A request body is a JSON object; anything else is the caller's mistake, answered 400. */
class JsonBodyTest {

    @Test
    void aNumberTooLargeToRepresentIsA400NotA500() {
        assertThatThrownBy(() -> JsonBody.parse("{\"amount\": 1e99999999999999999999999999}"))
                .isInstanceOf(ApiException.BadRequest.class).hasMessageContaining("malformed JSON body")
                .hasMessageContaining("a number cannot be represented");
    }

    @Test
    void anExactDecimalStaysExact() {
        assertThat(JsonBody.parse("{\"amount\": 0.1000000000000000000001}").decimal("amount").toPlainString())
                .isEqualTo("0.1000000000000000000001");
    }
}
