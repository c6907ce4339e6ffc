/*
 * Processes the agent started: how they are spawned (chrooted into the image root, as a given
 * user), their stdout/stderr buffers, and when they count as finished.
 */
#ifndef GS_PROC_H
#define GS_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Output held in the guest until the host queries it. Past this the agent stops reading the
 * pipe, so a chatty process waits for the host instead of losing output.
 */
#define OUTPUT_HOLD_BYTES (4u << 20)

struct output {
    int fd;            /* read end of the pipe, -1 once closed */
    uint8_t *data;
    size_t len;
    size_t cap;
    int announced;     /* NOTIFY_OUTPUT_AVAILABLE sent and not yet drained to empty */
};

struct process {
    pid_t pid;
    struct output out[2];  /* [0] = stdout (fd 1), [1] = stderr (fd 2) */
    int reaped;
    int status;            /* waitpid status once reaped */
    int died_reported;
    struct process *next;
};

/* What RUN_PROCESS asked for. Strings and arrays are owned by the caller. */
struct run_request {
    char *bin;
    char **argv;
    char **envp;
    char *cwd;
    char *user;     /* "name[:group]" or numeric, resolved in the image's /etc/passwd and /etc/group */
    int has_uid;
    uint32_t uid;
    int has_gid;
    uint32_t gid;
    char *stdout_file;  /* RFD kind FILE: redirect the stream to this path in the image */
    char *stderr_file;
};

/* Starts a process. Returns it, or NULL with `error` describing why and *err an errno. */
struct process *process_spawn(const struct run_request *request, int *err, char *error, size_t error_len);

struct process *process_find(pid_t pid);

/* The list head, for the event loop's poll set. */
struct process *process_list(void);

/* Removes a finished, reported and fully drained process once too many are kept. */
void process_forget_old(void);

/* Appends up to what the pipe has to the buffer. Returns bytes read, 0 on EOF, -1 if nothing now. */
ssize_t output_fill(struct output *o);

/* Removes and returns up to `max` bytes from the front of the buffer (caller frees). */
uint8_t *output_take(struct output *o, size_t max, size_t *taken);

/* Whether the process exited and both pipes are at their end. */
int process_finished(const struct process *p);

#endif
