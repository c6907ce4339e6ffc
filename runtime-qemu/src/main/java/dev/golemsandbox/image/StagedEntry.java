package dev.golemsandbox.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What the image says about one path: its type, mode, owner and time. Devices and FIFOs exist only
 * as such a record (the converting user may not create them); everything else also exists on disk
 * in the staging directory.
 */
record StagedEntry(Kind kind, int mode, long uid, long gid, long mtime, int devMajor, int devMinor) {

    enum Kind {
        DIRECTORY, FILE, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO;

        /** Whether the entry lives only in the pseudo definitions, not on disk. */
        boolean virtual() {
            return this == CHAR_DEVICE || this == BLOCK_DEVICE || this == FIFO;
        }
    }

    /** A directory the image implies (a parent no entry described): root-owned, 0755, as Docker makes it. */
    static StagedEntry impliedDirectory(long mtime) {
        return new StagedEntry(Kind.DIRECTORY, 0755, 0, 0, mtime, 0, 0);
    }

    static StagedEntry of(Kind kind, TarArchiveEntry entry) {
        return new StagedEntry(kind, entry.getMode() & 07777, entry.getLongUserId(), entry.getLongGroupId(),
                entry.getLastModifiedTime() == null ? 0 : entry.getLastModifiedTime().toMillis() / 1000,
                entry.getDevMajor(), entry.getDevMinor());
    }
}
