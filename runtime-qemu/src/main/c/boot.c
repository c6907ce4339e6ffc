#define _GNU_SOURCE
#include "boot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define IMAGE_DIR "/mnt/image"

#define SHARES_DIR "/mnt/shares"
#define IMAGE_DEVICE "/dev/vda"
#define MAX_MOUNTS 64

/* Volume and share mount points, unmounted in reverse order at power-off. */
static char *mounted[MAX_MOUNTS];
static int mounted_count;
/* The volumes' mount points alone, in the order they were mounted. */
static char *volumes[MAX_MOUNTS];
static int volumes_count;

void console_log(const char *fmt, ...)
{
    char line[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    dprintf(2, "golem-agent: %s\n", line);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void pause_ms(long ms)
{
    struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* mkdir -p; returns 0 or -1 with errno set. */
static int make_dirs(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
        return -1;
    }
    return 0;
}

static int mount_logged(const char *source, const char *target, const char *type,
                        unsigned long flags, const char *options)
{
    if (make_dirs(target) < 0) {
        console_log("cannot create mount point %s: %s", target, strerror(errno));
        return -1;
    }
    if (mount(source, target, type, flags, options) < 0) {
        console_log("cannot mount %s (%s) at %s: %s", source, type, target, strerror(errno));
        return -1;
    }
    return 0;
}

void boot_read_config(struct boot_config *config)
{
    config->storage_mib = 512;
    config->probe = 0;
    snprintf(config->port, sizeof(config->port), "agent0");
    snprintf(config->hostname, sizeof(config->hostname), "golem-sandbox");

    char cmdline[4096] = "";
    int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);
        cmdline[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    char *save = NULL;
    for (char *word = strtok_r(cmdline, " \n", &save); word; word = strtok_r(NULL, " \n", &save)) {
        if (strncmp(word, "gs.storage=", 11) == 0) {
            long v = strtol(word + 11, NULL, 10);
            if (v > 0) {
                config->storage_mib = v;
            }
        } else if (strncmp(word, "gs.port=", 8) == 0) {
            snprintf(config->port, sizeof(config->port), "%s", word + 8);
        } else if (strcmp(word, "gs.probe") == 0) {
            config->probe = 1;
        } else if (strncmp(word, "gs.hostname=", 12) == 0) {
            snprintf(config->hostname, sizeof(config->hostname), "%s", word + 12);
        }
    }
}

int boot_mount_early(void)
{
    int rc = 0;
    rc |= mount_logged("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    rc |= mount_logged("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    rc |= mount_logged("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    return rc;
}

int boot_load_modules(void)
{
    FILE *order = fopen("/modules/order", "re");
    if (order == NULL) {
        console_log("cannot open /modules/order: %s", strerror(errno));
        return -1;
    }
    char name[256];
    int rc = 0;
    while (fgets(name, sizeof(name), order) != NULL) {
        name[strcspn(name, "\n")] = '\0';
        if (name[0] == '\0') {
            continue;
        }
        char path[512];
        snprintf(path, sizeof(path), "/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            console_log("cannot open module %s: %s", path, strerror(errno));
            rc = -1;
            continue;
        }
        if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST) {
            console_log("cannot load module %s: %s", path, strerror(errno));
            rc = -1;
        }
        close(fd);
    }
    fclose(order);
    return rc;
}

static int wait_for_path(const char *path, long timeout_ms)
{
    long deadline = now_ms() + timeout_ms;
    while (access(path, F_OK) < 0) {
        if (now_ms() > deadline) {
            return -1;
        }
        pause_ms(2);
    }
    return 0;
}

int boot_mount_root(const struct boot_config *config)
{
    if (wait_for_path(IMAGE_DEVICE, 5000) < 0) {
        console_log("the image disk %s did not appear", IMAGE_DEVICE);
        return -1;
    }
    if (mount_logged(IMAGE_DEVICE, IMAGE_DIR, "squashfs", MS_RDONLY, NULL) < 0) {
        return -1;
    }
    char options[128];
    snprintf(options, sizeof(options), "size=%ldm,mode=0755", config->storage_mib);
    if (mount_logged("tmpfs", UPPER_DIR, "tmpfs", 0, options) < 0) {
        return -1;
    }
    if (make_dirs(UPPER_DIR "/upper") < 0 || make_dirs(UPPER_DIR "/work") < 0) {
        console_log("cannot prepare the overlay's upper layer: %s", strerror(errno));
        return -1;
    }
    if (mount_logged("overlay", ROOT_DIR, "overlay", 0,
                     "lowerdir=" IMAGE_DIR ",upperdir=" UPPER_DIR "/upper,workdir=" UPPER_DIR "/work") < 0) {
        return -1;
    }
    int rc = 0;
    rc |= mount_logged("proc", ROOT_DIR "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    rc |= mount_logged("sysfs", ROOT_DIR "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    rc |= mount_logged("devtmpfs", ROOT_DIR "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    rc |= mount_logged("devpts", ROOT_DIR "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
    rc |= mount_logged("tmpfs", ROOT_DIR "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    rc |= mount_logged("tmpfs", ROOT_DIR "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    if (sethostname(config->hostname, strlen(config->hostname)) < 0) {
        console_log("cannot set the hostname: %s", strerror(errno));
    }
    return rc;
}

/* Finds /dev/<port> for the virtio-serial port whose name is `name`. */
static int find_port(const char *name, char *dev, size_t dev_len)
{
    DIR *dir = opendir("/sys/class/virtio-ports");
    if (dir == NULL) {
        return -1;
    }
    int found = -1;
    struct dirent *entry;
    while (found < 0 && (entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char path[512];
        char value[128] = "";
        snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", entry->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        ssize_t n = read(fd, value, sizeof(value) - 1);
        close(fd);
        value[n > 0 ? n : 0] = '\0';
        value[strcspn(value, "\n")] = '\0';
        if (strcmp(value, name) == 0) {
            snprintf(dev, dev_len, "/dev/%s", entry->d_name);
            found = 0;
        }
    }
    closedir(dir);
    return found;
}

int boot_open_port(const char *name)
{
    char dev[300];
    long deadline = now_ms() + 5000;
    while (find_port(name, dev, sizeof(dev)) < 0 || access(dev, F_OK) < 0) {
        if (now_ms() > deadline) {
            console_log("no virtio-serial port named %s appeared", name);
            return -1;
        }
        pause_ms(2);
    }
    int fd = open(dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        console_log("cannot open %s: %s", dev, strerror(errno));
    }
    return fd;
}

static int path_is_safe(const char *path)
{
    if (path[0] != '/') {
        return 0;
    }
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2) {
        int starts = p == path || p[-1] == '/';
        int ends = p[2] == '\0' || p[2] == '/';
        if (starts && ends) {
            return 0;
        }
    }
    return 1;
}

static void remember_mount(const char *target)
{
    if (mounted_count < MAX_MOUNTS) {
        mounted[mounted_count++] = strdup(target);
    }
}

static void remember_volume(const char *target)
{
    remember_mount(target);
    if (volumes_count < MAX_MOUNTS) {
        volumes[volumes_count++] = strdup(target);
    }
}

int volume_count(void)
{
    return volumes_count;
}

const char *volume_target(int index)
{
    return index >= 0 && index < volumes_count ? volumes[index] : NULL;
}

static int share_mounted(const char *share_dir)
{
    for (int i = 0; i < mounted_count; i++) {
        if (strcmp(mounted[i], share_dir) == 0) {
            return 1;
        }
    }
    return 0;
}

int volume_mount(const char *tag, const char *path, const char *subdir, char *error, size_t error_len)
{
    if (!path_is_safe(path) || strchr(tag, '/') != NULL || tag[0] == '\0') {
        snprintf(error, error_len, "invalid volume: tag %s, path %s", tag, path);
        return EINVAL;
    }
    if (subdir != NULL) {
        char check[4096];
        snprintf(check, sizeof(check), "/%s", subdir);
        if (!path_is_safe(check)) {
            snprintf(error, error_len, "invalid share sub-directory %s", subdir);
            return EINVAL;
        }
    }
    char target[4096];
    snprintf(target, sizeof(target), "%s%s", ROOT_DIR, path);
    if (make_dirs(target) < 0) {
        int e = errno;
        snprintf(error, error_len, "cannot create %s in the image: %s", path, strerror(e));
        return e;
    }
    const char *options = "trans=virtio,version=9p2000.L,msize=1048576";
    if (subdir == NULL) {
        if (mount(tag, target, "9p", 0, options) < 0) {
            int e = errno;
            snprintf(error, error_len, "cannot mount share %s at %s: %s", tag, path, strerror(e));
            return e;
        }
        remember_volume(target);
        return 0;
    }
    char share_dir[512];
    snprintf(share_dir, sizeof(share_dir), "%s/%s", SHARES_DIR, tag);
    if (!share_mounted(share_dir)) {
        if (make_dirs(share_dir) < 0 || mount(tag, share_dir, "9p", 0, options) < 0) {
            int e = errno;
            snprintf(error, error_len, "cannot mount share %s: %s", tag, strerror(e));
            return e;
        }
        remember_mount(share_dir);
    }
    char source[4096];
    snprintf(source, sizeof(source), "%s/%s", share_dir, subdir);
    if (make_dirs(source) < 0) {
        int e = errno;
        snprintf(error, error_len, "cannot create %s in share %s: %s", subdir, tag, strerror(e));
        return e;
    }
    if (mount(source, target, NULL, MS_BIND, NULL) < 0) {
        int e = errno;
        snprintf(error, error_len, "cannot bind %s of share %s at %s: %s", subdir, tag, path, strerror(e));
        return e;
    }
    remember_volume(target);
    return 0;
}

void boot_power_off(void)
{
    sync();
    for (int i = mounted_count - 1; i >= 0; i--) {
        if (umount2(mounted[i], 0) < 0) {
            umount2(mounted[i], MNT_DETACH);
        }
    }
    sync();
    /* A kernel without ACPI has no way to power off and would halt with QEMU still running:
     * it resets instead, which ends QEMU under -no-reboot. */
    if (access("/sys/firmware/acpi", F_OK) == 0) {
        reboot(RB_POWER_OFF);
    }
    reboot(RB_AUTOBOOT);
    for (;;) {
        pause();
    }
}
