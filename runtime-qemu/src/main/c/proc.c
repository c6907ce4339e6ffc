#define _GNU_SOURCE
#include "proc.h"
#include "boot.h"
#include "users.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEEP_FINISHED 256

static struct process *processes;

struct process *process_list(void)
{
    return processes;
}

struct process *process_find(pid_t pid)
{
    for (struct process *p = processes; p; p = p->next) {
        if (p->pid == pid) {
            return p;
        }
    }
    return NULL;
}

static int redirect_to_file(const char *path, int target)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return -1;
    }
    int rc = dup2(fd, target);
    close(fd);
    return rc < 0 ? -1 : 0;
}

/*
 * In the child: set up and exec. Any failure is written to `report` as errno and a message. It
 * runs in the agent's memory until it execs (vfork), so it makes system calls and formats its
 * message on its own stack, and calls nothing that allocates.
 */
static void child_exec(const struct run_request *r, int pipes[2][2], int report, uint32_t uid, uint32_t gid,
                       int set_user)
{
    const char *step = "";
    /* Dispositions first, then the mask: no signal may reach a handler while this child still
     * runs in the agent's memory (vfork). The agent has no handlers, but a child never relies on it. */
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
        dup2(null_fd, 0);
    }
    dup2(pipes[0][1], 1);
    dup2(pipes[1][1], 2);
    step = "chroot into the image";
    if (chroot(ROOT_DIR) < 0) {
        goto fail;
    }
    step = "open the output file";
    if ((r->stdout_file && redirect_to_file(r->stdout_file, 1) < 0)
        || (r->stderr_file && redirect_to_file(r->stderr_file, 2) < 0)) {
        goto fail;
    }
    step = "change to the working directory";
    if (chdir(r->cwd ? r->cwd : "/") < 0) {
        goto fail;
    }
    if (set_user) {
        step = "switch user";
        if (setgroups(1, &gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
            goto fail;
        }
    }
    step = "execute";
    execve(r->bin, r->argv, r->envp);
fail:;
    int e = errno;
    char message[512];
    int n = snprintf(message, sizeof(message), "cannot %s (%s): %s", step,
                     strcmp(step, "execute") == 0 ? r->bin : (r->cwd ? r->cwd : "/"), strerror(e));
    if (write(report, &e, sizeof(e)) == sizeof(e)) {
        if (write(report, message, (size_t) n) < 0) {
            _exit(127);
        }
    }
    _exit(127);
}

struct process *process_spawn(const struct run_request *r, int *err, char *error, size_t error_len)
{
    uint32_t uid = r->uid;
    uint32_t gid = r->has_gid ? r->gid : 0;
    int set_user = r->has_uid || r->has_gid || r->user != NULL;
    if (r->user != NULL && users_resolve(r->user, &uid, &gid, error, error_len) < 0) {
        *err = ENOENT;
        return NULL;
    }
    if (r->user == NULL && r->has_uid && !r->has_gid) {
        users_primary_group(uid, &gid);
    }
    int pipes[2][2] = { { -1, -1 }, { -1, -1 } };
    int report[2] = { -1, -1 };
    if (pipe2(pipes[0], O_CLOEXEC) < 0 || pipe2(pipes[1], O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
        *err = errno;
        snprintf(error, error_len, "cannot create pipes: %s", strerror(errno));
        goto close_all;
    }
    /* vfork, not fork: under TCG, copying the agent's page tables and taking the copy-on-write
     * faults afterwards is a large part of starting a short command. The agent waits for the exec
     * anyway (the report pipe), so being suspended until then costs nothing. */
    pid_t pid = vfork();
    if (pid < 0) {
        *err = errno;
        snprintf(error, error_len, "cannot fork: %s", strerror(errno));
        goto close_all;
    }
    if (pid == 0) {
        close(report[0]);
        child_exec(r, pipes, report[1], uid, gid, set_user);
    }
    close(report[1]);
    report[1] = -1;
    close(pipes[0][1]);
    close(pipes[1][1]);
    pipes[0][1] = pipes[1][1] = -1;
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_errno, sizeof(child_errno));
    } while (n < 0 && errno == EINTR);
    if (n == sizeof(child_errno)) {
        ssize_t m = read(report[0], error, error_len - 1);
        error[m > 0 ? m : 0] = '\0';
        *err = child_errno;
        /* The child exits at once; SIGCHLD reaps it and finds no process entry. */
        close(pipes[0][0]);
        close(pipes[1][0]);
        close(report[0]);
        return NULL;
    }
    close(report[0]);
    struct process *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        abort();
    }
    p->pid = pid;
    for (int i = 0; i < 2; i++) {
        p->out[i].fd = pipes[i][0];
        fcntl(p->out[i].fd, F_SETFL, O_NONBLOCK);
    }
    p->next = processes;
    processes = p;
    return p;

close_all:
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            if (pipes[i][j] >= 0) {
                close(pipes[i][j]);
            }
        }
        if (report[i] >= 0) {
            close(report[i]);
        }
    }
    return NULL;
}

ssize_t output_fill(struct output *o)
{
    if (o->fd < 0) {
        return 0;
    }
    if (o->cap - o->len < 65536) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        while (cap - o->len < 65536) {
            cap *= 2;
        }
        uint8_t *grown = realloc(o->data, cap);
        if (grown == NULL) {
            return -1;
        }
        o->data = grown;
        o->cap = cap;
    }
    ssize_t n;
    do {
        n = read(o->fd, o->data + o->len, o->cap - o->len);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        close(o->fd);
        o->fd = -1;
        return 0;
    }
    if (n < 0) {
        return -1;
    }
    o->len += (size_t) n;
    return n;
}

uint8_t *output_take(struct output *o, size_t max, size_t *taken)
{
    size_t n = o->len < max ? o->len : max;
    uint8_t *chunk = malloc(n ? n : 1);
    if (chunk == NULL) {
        abort();
    }
    memcpy(chunk, o->data, n);
    memmove(o->data, o->data + n, o->len - n);
    o->len -= n;
    if (o->len == 0 && o->cap > (1u << 20)) {
        free(o->data);
        o->data = NULL;
        o->cap = 0;
    }
    *taken = n;
    return chunk;
}

int process_finished(const struct process *p)
{
    return p->reaped && p->out[0].fd < 0 && p->out[1].fd < 0;
}

void process_forget_old(void)
{
    int kept = 0;
    for (struct process **link = &processes; *link;) {
        struct process *p = *link;
        int drained = p->out[0].len == 0 && p->out[1].len == 0;
        if (p->died_reported && drained && ++kept > KEEP_FINISHED) {
            *link = p->next;
            free(p->out[0].data);
            free(p->out[1].data);
            free(p);
        } else {
            link = &p->next;
        }
    }
}
