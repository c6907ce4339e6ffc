#include "users.h"
#include "boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_number(const char *s, uint32_t *out)
{
    if (*s == '\0') {
        return 0;
    }
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end != '\0') {
        return 0;
    }
    *out = (uint32_t) v;
    return 1;
}

/*
 * Looks `key` up in a colon-separated file of the image (/etc/passwd or /etc/group): by name in
 * field 0, or by number in field 2 when `by_id` is set. Fills the id (field 2) and, for passwd,
 * the primary group (field 3). Returns 1 when found.
 */
static int lookup_entry(const char *file, const char *key, int by_id, uint32_t *id, uint32_t *group)
{
    char path[256];
    snprintf(path, sizeof(path), "%s%s", ROOT_DIR, file);
    FILE *in = fopen(path, "re");
    if (in == NULL) {
        return 0;
    }
    char line[1024];
    int found = 0;
    while (!found && fgets(line, sizeof(line), in) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *fields[4] = { 0 };
        char *cursor = line;
        for (int i = 0; i < 4 && cursor; i++) {
            fields[i] = cursor;
            cursor = strchr(cursor, ':');
            if (cursor) {
                *cursor++ = '\0';
            }
        }
        if (fields[2] == NULL) {
            continue;
        }
        if (by_id ? strcmp(fields[2], key) == 0 : strcmp(fields[0], key) == 0) {
            uint32_t value;
            if (!parse_number(fields[2], &value)) {
                continue;
            }
            *id = value;
            if (group != NULL && fields[3] != NULL) {
                parse_number(fields[3], group);
            }
            found = 1;
        }
    }
    fclose(in);
    return found;
}

int users_resolve(const char *spec, uint32_t *uid, uint32_t *gid, char *error, size_t error_len)
{
    char user[256];
    snprintf(user, sizeof(user), "%s", spec);
    char *group = strchr(user, ':');
    if (group) {
        *group++ = '\0';
    }
    uint32_t primary = 0;
    if (parse_number(user, uid)) {
        lookup_entry("/etc/passwd", user, 1, uid, &primary);
    } else if (!lookup_entry("/etc/passwd", user, 0, uid, &primary)) {
        snprintf(error, error_len, "user %s not found in the image's /etc/passwd", user);
        return -1;
    }
    *gid = primary;
    if (group && *group) {
        if (!parse_number(group, gid) && !lookup_entry("/etc/group", group, 0, gid, NULL)) {
            snprintf(error, error_len, "group %s not found in the image's /etc/group", group);
            return -1;
        }
    }
    return 0;
}

void users_primary_group(uint32_t uid, uint32_t *gid)
{
    char key[16];
    snprintf(key, sizeof(key), "%u", uid);
    uint32_t same_uid;
    lookup_entry("/etc/passwd", key, 1, &same_uid, gid);
}
