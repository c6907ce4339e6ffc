#define _GNU_SOURCE
#include "diskfull.h"
#include "boot.h"
#include "fullvolumes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

/* How often a remount is tried again when the guest wrote more between measuring and remounting. */
#define FILL_ATTEMPTS 20

struct ram_fs {
    const char *path;
    unsigned long flags;     /* the mount's flags, which a remount must repeat */
    unsigned long long size; /* its size in bytes before it was filled; 0 while it is not */
    int pad;                 /* an unnamed file of one page: an empty file system is full too */
};

static struct ram_fs filesystems[] = {
    { UPPER_DIR, 0, 0, -1 },
    { ROOT_DIR "/tmp", MS_NOSUID | MS_NODEV, 0, -1 },
    { ROOT_DIR "/dev/shm", MS_NOSUID | MS_NODEV, 0, -1 },
};

#define FILESYSTEMS (sizeof(filesystems) / sizeof(filesystems[0]))

static int resize(struct ram_fs *fs, unsigned long long bytes)
{
    char options[64];
    snprintf(options, sizeof(options), "size=%llu", bytes);
    return mount("tmpfs", fs->path, "tmpfs", MS_REMOUNT | fs->flags, options);
}

/* A size of 0 means "unlimited" to tmpfs: the page held open keeps what it holds above 0. */
static void hold_a_page(struct ram_fs *fs, long page)
{
    fs->pad = open(fs->path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fs->pad < 0) {
        return;
    }
    char *zeros = calloc(1, (size_t) page);
    if (zeros != NULL) {
        if (write(fs->pad, zeros, (size_t) page) < 0) {
            /* Full already: it holds more than nothing, which is all the page is for. */
        }
        free(zeros);
    }
}

static int fill(struct ram_fs *fs, char *error, size_t error_len)
{
    struct statfs st;
    if (statfs(fs->path, &st) < 0) {
        int err = errno;
        snprintf(error, error_len, "cannot measure %s: %s", fs->path, strerror(err));
        return err;
    }
    unsigned long long before = (unsigned long long) st.f_blocks * (unsigned long long) st.f_bsize;
    hold_a_page(fs, st.f_bsize);
    for (int attempt = 0; attempt < FILL_ATTEMPTS; attempt++) {
        if (statfs(fs->path, &st) < 0) {
            break;
        }
        unsigned long long used = (unsigned long long) (st.f_blocks - st.f_bfree);
        if (resize(fs, (used > 0 ? used : 1) * (unsigned long long) st.f_bsize) == 0) {
            fs->size = before;
            return 0;
        }
        if (errno != EINVAL) {
            break;
        }
    }
    int err = errno != 0 ? errno : EAGAIN;
    if (fs->pad >= 0) {
        close(fs->pad);
        fs->pad = -1;
    }
    snprintf(error, error_len, "cannot fill %s: %s", fs->path, strerror(err));
    return err;
}

int disk_fill(char *error, size_t error_len)
{
    for (size_t i = 0; i < FILESYSTEMS; i++) {
        if (filesystems[i].size == 0) {
            int err = fill(&filesystems[i], error, error_len);
            if (err != 0) {
                return err;
            }
        }
    }
    return volumes_cover(error, error_len);
}

int disk_unfill(char *error, size_t error_len)
{
    int failed = volumes_uncover(error, error_len);
    for (size_t i = 0; i < FILESYSTEMS; i++) {
        struct ram_fs *fs = &filesystems[i];
        if (fs->size == 0) {
            continue;
        }
        if (resize(fs, fs->size) < 0) {
            failed = errno;
            snprintf(error, error_len, "cannot give %s its size back: %s", fs->path, strerror(failed));
            continue;
        }
        fs->size = 0;
        if (fs->pad >= 0) {
            close(fs->pad);
            fs->pad = -1;
        }
    }
    return failed;
}
