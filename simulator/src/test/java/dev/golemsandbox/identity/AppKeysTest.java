package dev.golemsandbox.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named app keys: lookup, create, drop, what is kept on disk and what a restart sees. */
class AppKeysTest {

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve(AppKeys.FILE_NAME);
    }

    @Test
    void theMainKeyAndTheKeysGivenAtStartAreNamedInOrder() {
        AppKeys keys = AppKeys.open("main-key-123", List.of("try_golem", "another-key"), file());

        assertThat(keys.nameOf("main-key-123")).contains("main");
        assertThat(keys.nameOf("try_golem")).contains("app-key-2");
        assertThat(keys.nameOf("another-key")).contains("app-key-3");
        assertThat(keys.nameOf("try_golem ")).as("no trimming at lookup").isEmpty();
        assertThat(keys.nameOf("unknown-key")).isEmpty();
        assertThat(keys.nameOf(null)).isEmpty();
        assertThat(keys.list()).extracting(AppKeys.NamedKey::name).containsExactly("main", "app-key-2", "app-key-3");
        assertThat(Files.exists(file())).as("keys given at start are not written").isFalse();
    }

    @Test
    void createdKeysAreKeptOwnerOnlyAndComeBackAfterARestart() throws Exception {
        AppKeys keys = AppKeys.open("main-key-123", List.of(), file());
        AppKeys.NamedKey generated = keys.create("ci", null);
        AppKeys.NamedKey given = keys.create("docs", "try_golem");

        assertThat(generated.key()).matches("[0-9a-f]{32}");
        assertThat(given.key()).isEqualTo("try_golem");
        assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        AppKeys restarted = AppKeys.open("main-key-123", List.of(), file());
        assertThat(restarted.nameOf(generated.key())).contains("ci");
        assertThat(restarted.nameOf("try_golem")).contains("docs");
        assertThat(restarted.list()).extracting(AppKeys.NamedKey::kept).containsExactly(false, true, true);
    }

    @Test
    void aDroppedKeyNoLongerMatchesAndStaysDroppedAfterARestart() {
        AppKeys keys = AppKeys.open("main-key-123", List.of(), file());
        keys.create("docs", "try_golem");

        keys.drop("docs");

        assertThat(keys.nameOf("try_golem")).isEmpty();
        assertThat(AppKeys.open("main-key-123", List.of(), file()).nameOf("try_golem")).isEmpty();
    }

    @Test
    void aTakenNameOrKeyAnUnknownNameAndKeysGivenAtStartAreRefusedWithTheRightStatus() {
        AppKeys keys = AppKeys.open("main-key-123", List.of("try_golem"), file());
        keys.create("docs", "docs-key-1");

        assertThatThrownBy(() -> keys.create("docs", null)).isInstanceOf(ApiException.Conflict.class)
                .hasMessage("an app key named 'docs' already exists");
        assertThatThrownBy(() -> keys.create("main", null)).isInstanceOf(ApiException.Conflict.class);
        assertThatThrownBy(() -> keys.create("other", "try_golem")).isInstanceOf(ApiException.Conflict.class)
                .hasMessage("that key is already app key 'app-key-2'");
        assertThatThrownBy(() -> keys.drop("nope")).isInstanceOf(ApiException.NotFound.class)
                .hasMessageContaining("there is no app key named 'nope'");
        assertThatThrownBy(() -> keys.drop("main")).isInstanceOf(ApiException.Conflict.class);
        assertThatThrownBy(() -> keys.drop("app-key-2")).isInstanceOf(ApiException.Conflict.class);
        assertThatThrownBy(() -> keys.create("bad name", null)).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> keys.create("../x", null)).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> keys.create("short", "abc")).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> keys.create("spaced", "with space in it")).isInstanceOf(ApiException.BadRequest.class);
        assertThat(keys.list()).extracting(AppKeys.NamedKey::name).containsExactly("main", "app-key-2", "docs");
    }

    @Test
    void aKeptKeyThatClashesWithOneGivenAtStartIsIgnored() {
        AppKeys.open("main-key-123", List.of(), file()).create("docs", "try_golem");

        AppKeys restarted = AppKeys.open("main-key-123", List.of("try_golem"), file());

        assertThat(restarted.nameOf("try_golem")).contains("app-key-2");
        assertThat(restarted.list()).extracting(AppKeys.NamedKey::name).containsExactly("main", "app-key-2");
    }
}
