/*
 * golem-sandbox guest agent: PID 1 of the VM. Boots the image root, then serves the guest
 * protocol (PROTOCOL.md) on a virtio-serial port until told to quit. This file is the event
 * loop: it reaps children, pumps their output and feeds the port's bytes to the decoder
 * (request.c) and the handlers (handlers.c).
 */
#define _GNU_SOURCE
#include "boot.h"
#include "handlers.h"
#include "net.h"
#include "proc.h"
#include "reply.h"
#include "request.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_POLL 1024

static int port_fd = -1;

/*
 * Handles every complete request at the front of `data` and returns the bytes they used. After
 * a malformed request nothing more can be read, so all of `data` counts as used.
 */
static size_t handle_input(const uint8_t *data, size_t len)
{
    struct request request;
    size_t used = 0;
    for (;;) {
        size_t one = 0;
        switch (request_decode(data + used, len - used, &request, &one)) {
        case DECODED:
            handle_request(&request);
            request_free(&request);
            used += one;
            break;
        case INCOMPLETE:
            return used;
        case MALFORMED:
            reply_error(request.id, EPROTO, "unknown field in request");
            return len;
        }
    }
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
        notify_died(p->pid, p->status);
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
                size_t used = handle_input(in, in_len);
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
            reply_set_port(port_fd);
            notify_ready();
        }
        boot_power_off();
    }
    if (boot_mount_root(&config) < 0) {
        boot_power_off();
    }
    net_name_interfaces();
    net_loopback_up();
    port_fd = boot_open_port(config.port);
    if (port_fd < 0) {
        boot_power_off();
    }
    reply_set_port(port_fd);
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
