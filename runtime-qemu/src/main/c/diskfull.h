/*
 * The disk-full fault inside the VM: the RAM-backed file systems a guest writes to (the tmpfs
 * under the root's overlay, /tmp, /dev/shm) are remounted with their size at what they hold, so
 * any write that needs a new page fails with ENOSPC, and the volumes are covered so that any
 * change to them fails with ENOSPC too (fullvolumes.h); unfilling gives the file systems their
 * sizes back and uncovers the volumes.
 */
#ifndef GS_DISKFULL_H
#define GS_DISKFULL_H

#include <stddef.h>

/* Fills every such file system (those filled already stay so). Returns 0 or an errno, with `error` set. */
int disk_fill(char *error, size_t error_len);

/* Gives every filled file system its size back. Returns 0 or an errno, with `error` set. */
int disk_unfill(char *error, size_t error_len);

#endif
