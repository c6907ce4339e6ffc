package dev.golemsandbox.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsEachContentOnceUnderItsSha256() throws Exception {
        BlobStore blobs = BlobStore.beside(dir);
        Path first = Files.writeString(dir.resolve("a.txt"), "hello\n");
        Path second = Files.writeString(dir.resolve("b.txt"), "hello\n");

        ContentHash one = blobs.put(first);
        ContentHash two = blobs.put(second);

        assertThat(one).isEqualTo(two);
        assertThat(one.sha256()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        assertThat(one.size()).isEqualTo(6);
        try (var files = Files.list(dir.resolve("blobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(one.sha256());
        }
        assertThat(Files.readString(blobs.verified(one))).isEqualTo("hello\n");
    }

    @Test
    void aChangedBlobIsRefusedWhenRead() throws Exception {
        BlobStore blobs = BlobStore.beside(dir);
        ContentHash kept = blobs.put(Files.writeString(dir.resolve("a.txt"), "hello\n"));
        Files.writeString(dir.resolve("blobs").resolve(kept.sha256()), "HELLO\n");

        assertThatThrownBy(() -> blobs.verified(kept)).hasMessageContaining("was changed or truncated");
    }

    @Test
    void aMissingBlobIsNoSuchFile() {
        ContentHash absent = new ContentHash("0".repeat(64), 3);

        assertThatThrownBy(() -> BlobStore.beside(dir).verified(absent)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void onlyAHashNamesABlob() {
        assertThat(ContentHash.isSha256("../../etc/passwd")).isFalse();
        assertThat(ContentHash.isSha256("A".repeat(64))).isFalse();
        assertThatThrownBy(() -> new ContentHash("../../etc/passwd", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
