#include "reply.h"
#include "boot.h"
#include "wire.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#ifndef AGENT_VERSION
#define AGENT_VERSION "dev"
#endif

static int port_fd = -1;

void reply_set_port(int fd)
{
    port_fd = fd;
}

/* Every message starts with the request id (0 for a notification) and its type. */
static struct writer message(uint64_t id, uint8_t type)
{
    struct writer w = { 0 };
    wr_u64(&w, id);
    wr_u8(&w, type);
    return w;
}

static void send_message(struct writer *w)
{
    if (wr_flush(port_fd, w) < 0) {
        console_log("cannot write to the host: %s", strerror(errno));
    }
    wr_free(w);
}

void reply_ok(uint64_t id)
{
    struct writer w = message(id, RESP_OK);
    send_message(&w);
}

void reply_u64(uint64_t id, uint64_t value)
{
    struct writer w = message(id, RESP_OK_U64);
    wr_u64(&w, value);
    send_message(&w);
}

void reply_bytes(uint64_t id, const void *data, size_t len)
{
    struct writer w = message(id, RESP_OK_BYTES);
    wr_bytes(&w, data, len);
    send_message(&w);
}

void reply_error(uint64_t id, int err, const char *text)
{
    int with_text = text != NULL && text[0] != '\0';
    struct writer w = message(id, with_text ? RESP_ERR_TEXT : RESP_ERR);
    wr_u32(&w, (uint32_t) err);
    if (with_text) {
        wr_bytes(&w, text, strlen(text));
    }
    send_message(&w);
}

void notify_output(pid_t pid, int fd)
{
    struct writer w = message(0, NOTIFY_OUTPUT_AVAILABLE);
    wr_u64(&w, (uint64_t) pid);
    wr_u32(&w, (uint32_t) fd);
    send_message(&w);
}

void notify_died(pid_t pid, int status)
{
    uint8_t code;
    uint8_t kind; /* 0 exited, 1 killed, 2 dumped core */
    if (WIFSIGNALED(status)) {
        code = (uint8_t) WTERMSIG(status);
        kind = WCOREDUMP(status) ? 2 : 1;
    } else {
        code = (uint8_t) WEXITSTATUS(status);
        kind = 0;
    }
    struct writer w = message(0, NOTIFY_PROCESS_DIED);
    wr_u64(&w, (uint64_t) pid);
    wr_u8(&w, code);
    wr_u8(&w, kind);
    send_message(&w);
}

void notify_ready(void)
{
    static const char hello[] = "golem-sandbox-agent " AGENT_VERSION;
    struct writer w = message(0, NOTIFY_READY);
    wr_bytes(&w, hello, sizeof(hello) - 1);
    send_message(&w);
}
