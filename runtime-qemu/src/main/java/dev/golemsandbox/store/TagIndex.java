package dev.golemsandbox.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tag index of the store, {@code tags.json}: {@code {"repo:tag": "<sha3>"}}. Readers read the
 * file as it is (it is always replaced whole, atomically); writers change it under a lock held
 * across processes (a file lock) and threads (a JVM lock, since a file lock is per process), so
 * two writers never lose each other's change.
 */
final class TagIndex {

    private static final ObjectMapper JSON = JsonMapper.shared();
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;

    TagIndex(Path file, Path lockFile) {
        this.file = file;
        this.lockFile = lockFile;
    }

    /** A change made while the index is locked. */
    interface Change<T> {
        T apply(TreeMap<String, String> tags) throws ImageStoreException, IOException;
    }

    /** Work done while the store is locked. */
    interface LockedWork<T> {
        T run() throws ImageStoreException, IOException;
    }

    /** The tags as last written. */
    TreeMap<String, String> read() throws IOException {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); remove it to start with no tags", e);
        }
    }

    /** Reads, changes and writes back the tags, all under the lock. */
    <T> T update(Change<T> change) throws ImageStoreException, IOException {
        return locked(() -> {
            TreeMap<String, String> tags = read();
            TreeMap<String, String> before = new TreeMap<>(tags);
            T result = change.apply(tags);
            if (!tags.equals(before)) {
                AtomicFile.write(file, JsonMapper.pretty().writeValueAsBytes(tags));
            }
            return result;
        });
    }

    /** Runs {@code action} holding the store's lock (also for blob removals that must not race tagging). */
    <T> T locked(LockedWork<T> work) throws ImageStoreException, IOException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        jvmLock.lock();
        try {
            if (jvmLock.getHoldCount() > 1) {
                return work.run();  // nested in this thread's own locked work: the file lock is held already
            }
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return work.run();
                } finally {
                    lock.release();
                }
            }
        } finally {
            jvmLock.unlock();
        }
    }
}
