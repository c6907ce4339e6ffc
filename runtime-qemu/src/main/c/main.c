/*
 * golem-sandbox guest agent: PID 1 of the VM. Boots the image root, then serves the guest
 * protocol (PROTOCOL.md) on a virtio-serial port until told to quit.
 */
#define _GNU_SOURCE
#include "boot.h"
#include "proc.h"
#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AGENT_VERSION
#define AGENT_VERSION "dev"
#endif

#define MAX_POLL 1024
#define MAX_OWNED 4096

static int port_fd = -1;

/* Everything one parsed request allocated, freed once it is handled (or found incomplete). */
struct owned {
    void *items[MAX_OWNED];
    int count;
};

static void *own(struct owned *o, void *item)
{
    if (item != NULL && o->count < MAX_OWNED) {
        o->items[o->count++] = item;
    }
    return item;
}

static void free_owned(struct owned *o)
{
    for (int i = 0; i < o->count; i++) {
        free(o->items[i]);
    }
    o->count = 0;
}

static void send_message(struct writer *w)
{
    if (wr_flush(port_fd, w) < 0) {
        console_log("cannot write to the host: %s", strerror(errno));
    }
    wr_free(w);
}

static void reply_ok(uint64_t id)
{
    struct writer w = { 0 };
    wr_u64(&w, id);
    wr_u8(&w, RESP_OK);
    send_message(&w);
}

static void reply_u64(uint64_t id, uint64_t value)
{
    struct writer w = { 0 };
    wr_u64(&w, id);
    wr_u8(&w, RESP_OK_U64);
    wr_u64(&w, value);
    send_message(&w);
}

static void reply_bytes(uint64_t id, const void *data, size_t len)
{
    struct writer w = { 0 };
    wr_u64(&w, id);
    wr_u8(&w, RESP_OK_BYTES);
    wr_bytes(&w, data, len);
    send_message(&w);
}

static void reply_error(uint64_t id, int err, const char *text)
{
    struct writer w = { 0 };
    wr_u64(&w, id);
    if (text != NULL && text[0] != '\0') {
        wr_u8(&w, RESP_ERR_TEXT);
        wr_u32(&w, (uint32_t) err);
        wr_bytes(&w, text, strlen(text));
    } else {
        wr_u8(&w, RESP_ERR);
        wr_u32(&w, (uint32_t) err);
    }
    send_message(&w);
}

static void notify_output(pid_t pid, int fd)
{
    struct writer w = { 0 };
    wr_u64(&w, 0);
    wr_u8(&w, NOTIFY_OUTPUT_AVAILABLE);
    wr_u64(&w, (uint64_t) pid);
    wr_u32(&w, (uint32_t) fd);
    send_message(&w);
}

static void notify_died(const struct process *p)
{
    uint8_t status;
    uint8_t kind;
    if (WIFSIGNALED(p->status)) {
        status = (uint8_t) WTERMSIG(p->status);
        kind = WCOREDUMP(p->status) ? 2 : 1;
    } else {
        status = (uint8_t) WEXITSTATUS(p->status);
        kind = 0;
    }
    struct writer w = { 0 };
    wr_u64(&w, 0);
    wr_u8(&w, NOTIFY_PROCESS_DIED);
    wr_u64(&w, (uint64_t) p->pid);
    wr_u8(&w, status);
    wr_u8(&w, kind);
    send_message(&w);
}

static void notify_ready(void)
{
    static const char hello[] = "golem-sandbox-agent " AGENT_VERSION;
    struct writer w = { 0 };
    wr_u64(&w, 0);
    wr_u8(&w, NOTIFY_READY);
    wr_bytes(&w, hello, sizeof(hello) - 1);
    send_message(&w);
}

/* An ARRAY of BYTES as a NULL-terminated vector, every piece owned by `o`. */
static char **read_array(struct reader *r, struct owned *o)
{
    uint64_t count = rd_u64(r);
    if (r->short_read || count > r->len) {
        r->short_read = 1;
        return NULL;
    }
    char **items = own(o, calloc(count + 1, sizeof(char *)));
    for (uint64_t i = 0; i < count && !r->short_read; i++) {
        items[i] = own(o, rd_bytes(r, NULL));
    }
    return items;
}

/* Parse results. */
enum { PARSED = 0, INCOMPLETE = -1, MALFORMED = 1 };

static int parse_run(struct reader *r, struct owned *o, struct run_request *req)
{
    memset(req, 0, sizeof(*req));
    for (;;) {
        uint8_t sub = rd_u8(r);
        if (r->short_read) {
            return INCOMPLETE;
        }
        switch (sub) {
        case 0:
            return PARSED;
        case 1:
            req->bin = own(o, rd_bytes(r, NULL));
            break;
        case 2:
            req->argv = read_array(r, o);
            break;
        case 3:
            req->envp = read_array(r, o);
            break;
        case 4:
            req->uid = rd_u32(r);
            req->has_uid = 1;
            break;
        case 5:
            req->gid = rd_u32(r);
            req->has_gid = 1;
            break;
        case 6: {
            uint32_t fd = rd_u32(r);
            uint8_t kind = rd_u8(r);
            if (kind == 0) {
                char *path = own(o, rd_bytes(r, NULL));
                if (fd == 1) {
                    req->stdout_file = path;
                } else if (fd == 2) {
                    req->stderr_file = path;
                }
            } else {
                rd_u64(r); /* pipe size: output is always buffered in full (see OUTPUT_HOLD_BYTES) */
            }
            break;
        }
        case 7:
            req->cwd = own(o, rd_bytes(r, NULL));
            break;
        case 8:
            break; /* entrypoint flag: every process here is started the same way */
        case 9:
            req->user = own(o, rd_bytes(r, NULL));
            break;
        default:
            return MALFORMED;
        }
        if (r->short_read) {
            return INCOMPLETE;
        }
    }
}

static void handle_run(uint64_t id, struct run_request *req)
{
    if (req->bin == NULL) {
        reply_error(id, EINVAL, "no binary to run");
        return;
    }
    char *default_argv[] = { req->bin, NULL };
    char *empty_env[] = { NULL };
    if (req->argv == NULL || req->argv[0] == NULL) {
        req->argv = default_argv;
    }
    if (req->envp == NULL) {
        req->envp = empty_env;
    }
    int err = 0;
    char error[600] = "";
    struct process *p = process_spawn(req, &err, error, sizeof(error));
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

/*
 * Handles one complete request at the front of `data`. Returns the bytes it used, 0 if the
 * request is not all there yet, or -1 if the stream cannot be parsed any further.
 */
static ssize_t handle_request(const uint8_t *data, size_t len)
{
    struct reader r = { .data = data, .len = len };
    struct owned o = { .count = 0 };
    uint64_t id = rd_u64(&r);
    uint8_t type = rd_u8(&r);
    if (r.short_read) {
        return 0;
    }
    int parsed = PARSED;
    uint64_t pid = 0;
    uint32_t sig = SIGKILL;
    uint8_t fd = 1;
    uint64_t query_len = 0;
    char *tag = NULL;
    char *path = NULL;
    char *subdir = NULL;
    struct run_request run;

    if (type == MSG_RUN_PROCESS) {
        parsed = parse_run(&r, &o, &run);
    } else {
        for (;;) {
            uint8_t sub = rd_u8(&r);
            if (r.short_read) {
                parsed = INCOMPLETE;
                break;
            }
            if (sub == 0) {
                break;
            }
            if (type == MSG_KILL_PROCESS && sub == 1) {
                pid = rd_u64(&r);
            } else if (type == MSG_KILL_PROCESS && sub == 2) {
                sig = rd_u32(&r);
            } else if (type == MSG_MOUNT_VOLUME && sub == 1) {
                tag = own(&o, rd_bytes(&r, NULL));
            } else if (type == MSG_MOUNT_VOLUME && sub == 2) {
                path = own(&o, rd_bytes(&r, NULL));
            } else if (type == MSG_MOUNT_VOLUME && sub == 3) {
                subdir = own(&o, rd_bytes(&r, NULL));
            } else if (type == MSG_QUERY_OUTPUT && sub == 1) {
                pid = rd_u64(&r);
            } else if (type == MSG_QUERY_OUTPUT && sub == 2) {
                fd = rd_u8(&r);
            } else if (type == MSG_QUERY_OUTPUT && sub == 3) {
                rd_u64(&r); /* offset: output is consumed in order, so it is implied */
            } else if (type == MSG_QUERY_OUTPUT && sub == 4) {
                query_len = rd_u64(&r);
            } else {
                parsed = MALFORMED;
                break;
            }
            if (r.short_read) {
                parsed = INCOMPLETE;
                break;
            }
        }
    }
    if (parsed == INCOMPLETE) {
        free_owned(&o);
        return 0;
    }
    if (parsed == MALFORMED) {
        free_owned(&o);
        reply_error(id, EPROTO, "unknown field in request");
        return -1;
    }

    switch (type) {
    case MSG_QUIT:
        reply_ok(id);
        boot_power_off();
        break;
    case MSG_RUN_PROCESS:
        handle_run(id, &run);
        break;
    case MSG_KILL_PROCESS:
        handle_kill(id, pid, sig);
        break;
    case MSG_MOUNT_VOLUME: {
        char error[600] = "";
        int err = tag && path ? volume_mount(tag, path, subdir, error, sizeof(error)) : EINVAL;
        if (err == 0) {
            reply_ok(id);
        } else {
            reply_error(id, err, tag && path ? error : "a mount needs a tag and a path");
        }
        break;
    }
    case MSG_QUERY_OUTPUT:
        handle_query(id, pid, fd, query_len);
        break;
    case MSG_SYNC_FS:
        sync();
        reply_ok(id);
        break;
    default:
        reply_error(id, ENOSYS, "request type not implemented");
        break;
    }
    free_owned(&o);
    return (ssize_t) r.pos;
}

/* Reads pipes, announces new output, and reports processes that are done. */
static void pump(struct process *p)
{
    for (int i = 0; i < 2; i++) {
        struct output *o = &p->out[i];
        while (o->fd >= 0 && o->len < OUTPUT_HOLD_BYTES) {
            ssize_t n = output_fill(o);
            if (n < 0) {
                /* Nothing more now. Once the process is gone, a silent pipe is only held
                 * open by its leftover children: its output is complete. */
                if (p->reaped) {
                    close(o->fd);
                    o->fd = -1;
                }
                break;
            }
            if (n == 0 || !p->reaped) {
                break;
            }
        }
        if (o->len > 0 && !o->announced) {
            o->announced = 1;
            notify_output(p->pid, i + 1);
        }
    }
    if (process_finished(p) && !p->died_reported) {
        p->died_reported = 1;
        notify_died(p);
    }
}

static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct process *p = process_find(pid);
        if (p != NULL) {
            p->reaped = 1;
            p->status = status;
        }
    }
}

static void serve(int signal_fd)
{
    uint8_t *in = NULL;
    size_t in_len = 0;
    size_t in_cap = 0;
    struct pollfd fds[MAX_POLL];
    struct process *polled[MAX_POLL];

    for (;;) {
        int n = 0;
        fds[n].fd = port_fd;
        fds[n].events = POLLIN;
        polled[n++] = NULL;
        fds[n].fd = signal_fd;
        fds[n].events = POLLIN;
        polled[n++] = NULL;
        for (struct process *p = process_list(); p && n < MAX_POLL - 1; p = p->next) {
            for (int i = 0; i < 2; i++) {
                if (p->out[i].fd >= 0 && p->out[i].len < OUTPUT_HOLD_BYTES && n < MAX_POLL) {
                    fds[n].fd = p->out[i].fd;
                    fds[n].events = POLLIN;
                    polled[n++] = p;
                }
            }
        }
        if (poll(fds, (nfds_t) n, -1) < 0) {
            if (errno != EINTR) {
                console_log("poll failed: %s", strerror(errno));
            }
            continue;
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
            }
            reap();
        }
        for (int i = 2; i < n; i++) {
            if (fds[i].revents) {
                pump(polled[i]);
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            if (in_cap - in_len < 65536) {
                in_cap = in_cap ? in_cap * 2 : 131072;
                in = realloc(in, in_cap);
                if (in == NULL) {
                    abort();
                }
            }
            ssize_t got = read(port_fd, in + in_len, in_cap - in_len);
            if (got > 0) {
                in_len += (size_t) got;
                size_t used = 0;
                for (;;) {
                    ssize_t one = handle_request(in + used, in_len - used);
                    if (one < 0) {
                        used = in_len;
                        break;
                    }
                    if (one == 0) {
                        break;
                    }
                    used += (size_t) one;
                }
                memmove(in, in + used, in_len - used);
                in_len -= used;
            } else if (got == 0 || (fds[0].revents & POLLHUP)) {
                /* The host end is not connected: wait for it instead of spinning. */
                poll(NULL, 0, 20);
            }
        }
        for (struct process *p = process_list(); p; p = p->next) {
            if (p->reaped || (p->out[0].len > 0 && !p->out[0].announced)
                || (p->out[1].len > 0 && !p->out[1].announced)) {
                pump(p);
            }
        }
        process_forget_old();
    }
}

int main(void)
{
    struct boot_config config;
    if (getpid() != 1) {
        console_log("must run as PID 1 of the VM");
        return 1;
    }
    if (boot_mount_early() < 0 || boot_load_modules() < 0) {
        boot_power_off();
    }
    boot_read_config(&config);
    if (config.probe) {
        port_fd = boot_open_port(config.port);
        if (port_fd >= 0) {
            notify_ready();
        }
        boot_power_off();
    }
    if (boot_mount_root(&config) < 0) {
        boot_power_off();
    }
    port_fd = boot_open_port(config.port);
    if (port_fd < 0) {
        boot_power_off();
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGPIPE);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sigdelset(&mask, SIGPIPE);
    int signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd < 0) {
        console_log("cannot watch for child processes: %s", strerror(errno));
        boot_power_off();
    }
    notify_ready();
    serve(signal_fd);
    return 0;
}
