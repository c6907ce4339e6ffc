/*
 * Encoding the agent's messages to the host (PROTOCOL.md, "Framing"): replies to a request id
 * and the notifications (id 0), each written whole to the port.
 */
#ifndef GS_REPLY_H
#define GS_REPLY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The port every reply and notification goes to; set once it is open. */
void reply_set_port(int fd);

void reply_ok(uint64_t id);
void reply_u64(uint64_t id, uint64_t value);
void reply_bytes(uint64_t id, const void *data, size_t len);

/* RESP_ERR_TEXT with `text`, or plain RESP_ERR when there is none. */
void reply_error(uint64_t id, int err, const char *text);

/* Stream `fd` (1 or 2) of `pid` has output to query. */
void notify_output(pid_t pid, int fd);

/* `pid` is done; `status` is its waitpid status. */
void notify_died(pid_t pid, int status);

/* The agent serves requests now (or, in the probe, merely runs). */
void notify_ready(void);

#endif
