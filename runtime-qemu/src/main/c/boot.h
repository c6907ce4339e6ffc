/*
 * What the agent does as PID 1 before it serves requests, and when it is told to quit: kernel
 * modules, the image root (squashfs under an overlay with a tmpfs upper layer), the system mounts
 * inside that root, the shared directory, and finding its virtio-serial port.
 */
#ifndef GS_BOOT_H
#define GS_BOOT_H

#include <stddef.h>

/* Where the overlay root is assembled; processes are chrooted here. */
#define ROOT_DIR "/mnt/root"
/* The tmpfs under the overlay's upper layer: what the image root's writes fill. */
#define UPPER_DIR "/mnt/rw"

/* Settings read from the kernel command line (gs.*). */
struct boot_config {
    long storage_mib;  /* gs.storage=<MiB>: size cap of the overlay's tmpfs upper layer */
    char port[64];     /* gs.port=<name>: virtio-serial port to serve on */
    char hostname[64]; /* gs.hostname=<name> */
    int probe;         /* gs.probe: say hello and power off at once (the accelerator probe) */
};

/* Prints a line to the console, prefixed with the agent's name. */
void console_log(const char *fmt, ...);

/* Reads gs.* settings from /proc/cmdline, with defaults for those absent. */
void boot_read_config(struct boot_config *config);

/* Mounts /proc, /sys and /dev of the initramfs itself. Returns 0 or -1 (logged). */
int boot_mount_early(void);

/* Loads the modules listed in /modules/order, in that order. Returns 0 or -1 (logged). */
int boot_load_modules(void);

/* Mounts the image under an overlay at ROOT_DIR plus proc/sys/dev/devpts/tmp/shm in it. */
int boot_mount_root(const struct boot_config *config);

/* Opens the virtio-serial port named `name` (waits for it to appear). Returns the fd or -1. */
int boot_open_port(const char *name);

/*
 * Mounts a volume at `path` inside the root. With `subdir`, the 9p share `tag` is mounted once
 * under /mnt/shares/<tag> and its sub-directory `subdir` is bind-mounted at `path`; without it,
 * the share itself is mounted there. Returns 0 or an errno; `error` gets a description.
 */
int volume_mount(const char *tag, const char *path, const char *subdir, char *error, size_t error_len);

/* How many volumes are mounted. */
int volume_count(void);

/* The mount point (ROOT_DIR included) of the volume mounted `index`-th, or NULL past the last. */
const char *volume_target(int index);

/* Syncs, unmounts the volumes and shares, and powers the VM off. Does not return. */
void boot_power_off(void);

#endif
