/*
 * Who a process runs as: user and group names and numbers looked up in the image's own
 * /etc/passwd and /etc/group (under ROOT_DIR), as Docker's USER does, not the initramfs's.
 */
#ifndef GS_USERS_H
#define GS_USERS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Resolves "user[:group]" (names or numbers) to a uid and gid; without a group, the user's
 * primary group (0 for a number passwd does not list). Returns 0, or -1 with `error` set.
 */
int users_resolve(const char *spec, uint32_t *uid, uint32_t *gid, char *error, size_t error_len);

/* Sets *gid to the primary group passwd gives `uid`; leaves it as it is if there is none. */
void users_primary_group(uint32_t uid, uint32_t *gid);

#endif
