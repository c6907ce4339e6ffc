package dev.golemsandbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Image tags as requestors write them. */
class ImageTagTest {

    @Test
    void tagDefaultsToLatest() {
        assertThat(ImageTag.parse("golem/alpine").toString()).isEqualTo("golem/alpine:latest");
        assertThat(ImageTag.parse(" golem/node:20-alpine ")).isEqualTo(new ImageTag("golem/node", "20-alpine"));
        assertThat(ImageTag.parse("single").toString()).isEqualTo("single:latest");
        assertThat(ImageTag.parse("a/b/c.d_e-f:V1.2_x").toString()).isEqualTo("a/b/c.d_e-f:V1.2_x");
    }

    @Test
    void invalidTagsSayWhatATagLooksLike() {
        for (String bad : new String[] {"", "Golem/Alpine", "golem/alpine:", "golem//alpine", "/abs:1", "a:b:c", "golem/alpine:-x", "sp ace"}) {
            assertThatThrownBy(() -> ImageTag.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not an image tag: use repository:tag with a lower-case repository such as golem/alpine:latest");
            assertThat(ImageTag.isValid(bad)).as(bad).isFalse();
        }
    }
}
