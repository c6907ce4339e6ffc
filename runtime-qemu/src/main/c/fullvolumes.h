/*
 * The disk-full fault for the volumes: each volume is covered by an overlay whose lower layer is
 * the volume's own 9p mount and whose upper layer is a tmpfs without a free inode, so reads see
 * the volume while any change to it (a new file or directory, a write, a truncation, a rename, a
 * removal) needs a copy-up or a whiteout in that tmpfs and fails with ENOSPC. Nothing reaches the
 * host's directory, and removing the overlays leaves each volume as it was.
 */
#ifndef GS_FULLVOLUMES_H
#define GS_FULLVOLUMES_H

#include <stddef.h>

/* Covers every mounted volume (nothing changes when they are covered already). Returns 0 or an errno, with `error` set. */
int volumes_cover(char *error, size_t error_len);

/*
 * Removes the overlays, newest first; one still in use (a process's working directory or open
 * file) is detached, so it goes once that process lets go. Returns 0 or an errno, with `error` set.
 */
int volumes_uncover(char *error, size_t error_len);

#endif
