#define _GNU_SOURCE
#include "fullvolumes.h"
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* The tmpfs holding every overlay's upper and work directories; outside the root, so no process sees it. */
#define COVER_DIR "/mnt/full"
#define COVER_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* The overlays on volume_target(0) .. volume_target(covered - 1). */
static int covered;
static int cover_mounted;

static int make_layer_dirs(int index, char *error, size_t error_len)
{
    const char *names[] = { "", "/upper", "/work" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char dir[64];
        snprintf(dir, sizeof(dir), COVER_DIR "/%d%s", index, names[i]);
        if (mkdir(dir, 0700) < 0) {
            int err = errno;
            snprintf(error, error_len, "cannot make %s: %s", dir, strerror(err));
            return err;
        }
    }
    return 0;
}

/*
 * The lower layer is named through an fd opened before any overlay was mounted: a nested
 * volume's path then leads through its parent's overlay, which shows the parent's directory, not
 * the nested volume. No index, xino, redirects or metacopy: a 9p lower has no file handles, and
 * none of them is needed when nothing is ever copied up.
 */
static int cover(int index, int lower, char *error, size_t error_len)
{
    char options[256];
    snprintf(options, sizeof(options),
             "lowerdir=/proc/self/fd/%d,upperdir=" COVER_DIR "/%d/upper,workdir=" COVER_DIR "/%d/work,"
             "index=off,xino=off,redirect_dir=off,metacopy=off",
             lower, index, index);
    const char *target = volume_target(index);
    if (mount("overlay", target, "overlay", 0, options) < 0) {
        int err = errno;
        snprintf(error, error_len, "cannot cover volume %s with an overlay: %s", target, strerror(err));
        return err;
    }
    return 0;
}

/* With no inode left, no copy-up, new file, directory or whiteout can be made in an upper layer. */
static int use_up_inodes(char *error, size_t error_len)
{
    struct statfs st;
    if (statfs(COVER_DIR, &st) < 0) {
        int err = errno;
        snprintf(error, error_len, "cannot measure " COVER_DIR ": %s", strerror(err));
        return err;
    }
    char options[64];
    snprintf(options, sizeof(options), "nr_inodes=%llu", (unsigned long long) (st.f_files - st.f_ffree));
    if (mount("tmpfs", COVER_DIR, "tmpfs", MS_REMOUNT | COVER_FLAGS, options) < 0) {
        int err = errno;
        snprintf(error, error_len, "cannot fill " COVER_DIR ": %s", strerror(err));
        return err;
    }
    return 0;
}

static int mount_cover_dir(int volumes, char *error, size_t error_len)
{
    if (mkdir(COVER_DIR, 0700) < 0 && errno != EEXIST) {
        int err = errno;
        snprintf(error, error_len, "cannot make " COVER_DIR ": %s", strerror(err));
        return err;
    }
    /* Room for the layer directories and what overlayfs makes in each work directory. */
    char options[64];
    snprintf(options, sizeof(options), "size=4k,nr_inodes=%d,mode=0700", 16 + 8 * volumes);
    if (mount("tmpfs", COVER_DIR, "tmpfs", COVER_FLAGS, options) < 0) {
        int err = errno;
        snprintf(error, error_len, "cannot mount a tmpfs at " COVER_DIR ": %s", strerror(err));
        return err;
    }
    cover_mounted = 1;
    return 0;
}

int volumes_cover(char *error, size_t error_len)
{
    int count = volume_count();
    if (cover_mounted || count == 0) {
        return 0;
    }
    int err = mount_cover_dir(count, error, error_len);
    if (err != 0) {
        return err;
    }
    int *lowers = malloc((size_t) count * sizeof(*lowers));
    if (lowers == NULL) {
        snprintf(error, error_len, "no memory to cover the volumes");
        err = ENOMEM;
    }
    int opened = 0;
    for (; err == 0 && opened < count; opened++) {
        lowers[opened] = open(volume_target(opened), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (lowers[opened] < 0) {
            err = errno;
            snprintf(error, error_len, "cannot open volume %s: %s", volume_target(opened), strerror(err));
        } else {
            err = make_layer_dirs(opened, error, error_len);
        }
    }
    while (err == 0 && covered < count) {
        err = cover(covered, lowers[covered], error, error_len);
        if (err == 0) {
            covered++;
        }
    }
    for (int i = 0; i < opened; i++) {
        if (lowers[i] >= 0) {
            close(lowers[i]);
        }
    }
    free(lowers);
    if (err == 0) {
        err = use_up_inodes(error, error_len);
    }
    if (err != 0) {
        char ignored[600];
        volumes_uncover(ignored, sizeof(ignored));
    }
    return err;
}

static int unmount_busy_too(const char *target)
{
    if (umount2(target, UMOUNT_NOFOLLOW) == 0) {
        return 0;
    }
    if (errno != EBUSY) {
        return -1;
    }
    return umount2(target, UMOUNT_NOFOLLOW | MNT_DETACH);
}

int volumes_uncover(char *error, size_t error_len)
{
    while (covered > 0) {
        const char *target = volume_target(covered - 1);
        if (unmount_busy_too(target) < 0) {
            int err = errno;
            snprintf(error, error_len, "cannot uncover volume %s: %s", target, strerror(err));
            return err;
        }
        covered--;
    }
    if (cover_mounted) {
        if (unmount_busy_too(COVER_DIR) < 0) {
            int err = errno;
            snprintf(error, error_len, "cannot unmount " COVER_DIR ": %s", strerror(err));
            return err;
        }
        cover_mounted = 0;
    }
    return 0;
}
