#define _GNU_SOURCE
#include "handlers.h"
#include "boot.h"
#include "diskfull.h"
#include "net.h"
#include "proc.h"
#include "reply.h"
#include "wire.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void handle_run(uint64_t id, struct run_request *run)
{
    if (run->bin == NULL) {
        reply_error(id, EINVAL, "no binary to run");
        return;
    }
    char *default_argv[] = { run->bin, NULL };
    char *empty_env[] = { NULL };
    if (run->argv == NULL || run->argv[0] == NULL) {
        run->argv = default_argv;
    }
    if (run->envp == NULL) {
        run->envp = empty_env;
    }
    int err = 0;
    char error[600] = "";
    struct process *p = process_spawn(run, &err, error, sizeof(error));
    if (p == NULL) {
        reply_error(id, err, error);
        return;
    }
    reply_u64(id, (uint64_t) p->pid);
}

static void handle_kill(uint64_t id, uint64_t pid, uint32_t sig)
{
    struct process *p = process_find((pid_t) pid);
    if (p == NULL) {
        reply_error(id, ESRCH, "no such process");
        return;
    }
    if (!p->reaped) {
        /* The whole session: a shell's children go too. */
        if (kill(-p->pid, (int) sig) < 0) {
            kill(p->pid, (int) sig);
        }
    }
    reply_ok(id);
}

static void handle_mount(uint64_t id, const char *tag, const char *path, const char *subdir)
{
    if (tag == NULL || path == NULL) {
        reply_error(id, EINVAL, "a mount needs a tag and a path");
        return;
    }
    char error[600] = "";
    int err = volume_mount(tag, path, subdir, error, sizeof(error));
    if (err == 0) {
        reply_ok(id);
    } else {
        reply_error(id, err, error);
    }
}

static void handle_query(uint64_t id, uint64_t pid, uint8_t fd, uint64_t len)
{
    struct process *p = process_find((pid_t) pid);
    if (p == NULL || (fd != 1 && fd != 2)) {
        reply_error(id, ESRCH, "no such process or stream");
        return;
    }
    struct output *o = &p->out[fd - 1];
    size_t taken = 0;
    uint8_t *chunk = output_take(o, len ? len : o->len, &taken);
    if (o->len == 0) {
        o->announced = 0;
    }
    reply_bytes(id, chunk, taken);
    free(chunk);
}

static void handle_net(uint64_t id, const struct net_ctl *ctl)
{
    char error[600] = "";
    int err = net_configure(ctl, error, sizeof(error));
    if (err == 0) {
        reply_ok(id);
    } else {
        reply_error(id, err, error);
    }
}

static void handle_hosts(uint64_t id, char *const *entries, int count)
{
    char error[600] = "";
    int err = net_add_hosts(entries, count, error, sizeof(error));
    if (err == 0) {
        reply_ok(id);
    } else {
        reply_error(id, err, error);
    }
}

/* A VM that was paused (kept in reserve) missed the time it stood still: the host sets it. */
static void handle_set_clock(uint64_t id, uint64_t seconds, uint32_t nanos, int has_seconds)
{
    if (!has_seconds || nanos >= 1000000000u) {
        reply_error(id, EINVAL, "a clock needs seconds and nanoseconds below one second");
        return;
    }
    struct timespec now = { .tv_sec = (time_t) seconds, .tv_nsec = (long) nanos };
    if (clock_settime(CLOCK_REALTIME, &now) < 0) {
        reply_error(id, errno, "cannot set the clock");
        return;
    }
    reply_ok(id);
}

/* Fills the RAM-backed file systems and covers the volumes, or gives them room again (the disk-full fault). */
static void handle_disk_full(uint64_t id, int has_full, uint8_t full)
{
    if (!has_full || full > 1) {
        reply_error(id, EINVAL, "disk-full needs FULL: 1 to fill the disk, 0 to give it room");
        return;
    }
    char error[600] = "";
    int err = full ? disk_fill(error, sizeof(error)) : disk_unfill(error, sizeof(error));
    if (err == 0) {
        reply_ok(id);
    } else {
        reply_error(id, err, error);
    }
}

void handle_request(struct request *q)
{
    switch (q->type) {
    case MSG_QUIT:
        reply_ok(q->id);
        boot_power_off();
        break;
    case MSG_RUN_PROCESS:
        handle_run(q->id, &q->run);
        break;
    case MSG_KILL_PROCESS:
        handle_kill(q->id, q->kill.pid, q->kill.signal);
        break;
    case MSG_MOUNT_VOLUME:
        handle_mount(q->id, q->mount.tag, q->mount.path, q->mount.subdir);
        break;
    case MSG_QUERY_OUTPUT:
        handle_query(q->id, q->query.pid, q->query.fd, q->query.len);
        break;
    case MSG_NET_CTL:
        handle_net(q->id, &q->net);
        break;
    case MSG_NET_HOST:
        handle_hosts(q->id, q->hosts.entries, q->hosts.count);
        break;
    case MSG_SYNC_FS:
        sync();
        reply_ok(q->id);
        break;
    case MSG_SET_CLOCK:
        handle_set_clock(q->id, q->clock.seconds, q->clock.nanos, q->clock.has_seconds);
        break;
    case MSG_DISK_FULL:
        handle_disk_full(q->id, q->disk.has_full, q->disk.full);
        break;
    default:
        reply_error(q->id, ENOSYS, "request type not implemented");
        break;
    }
}
