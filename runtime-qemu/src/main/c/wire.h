/*
 * The byte-level framing of the guest protocol (see PROTOCOL.md): little-endian integers,
 * BYTES (u64 length + data), ARRAY (u64 count + BYTES), requests parsed from a growing buffer,
 * replies and notifications written whole to the port.
 */
#ifndef GS_WIRE_H
#define GS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Request types. */
enum {
    MSG_QUIT = 1,
    MSG_RUN_PROCESS = 2,
    MSG_KILL_PROCESS = 3,
    MSG_MOUNT_VOLUME = 4,
    MSG_UPLOAD_FILE = 5,
    MSG_QUERY_OUTPUT = 6,
    MSG_PUT_INPUT = 7,
    MSG_SYNC_FS = 8,
    MSG_NET_CTL = 9,
    MSG_NET_HOST = 10,
    MSG_SET_CLOCK = 13,  /* extension */
    MSG_DISK_FULL = 14,  /* extension */
};

/* Reply and notification types. */
enum {
    RESP_OK = 0,
    RESP_OK_U64 = 1,
    RESP_OK_BYTES = 2,
    RESP_ERR = 3,
    NOTIFY_OUTPUT_AVAILABLE = 4,
    NOTIFY_PROCESS_DIED = 5,
    NOTIFY_READY = 11,
    RESP_ERR_TEXT = 12,
};

/* A cursor over one request in the input buffer. Running out of bytes sets `short_read`. */
struct reader {
    const uint8_t *data;
    size_t len;
    size_t pos;
    int short_read;
};

uint8_t rd_u8(struct reader *r);
uint16_t rd_u16(struct reader *r);
uint32_t rd_u32(struct reader *r);
uint64_t rd_u64(struct reader *r);
/* A BYTES field copied into a fresh NUL-terminated string (caller frees); NULL on short read. */
char *rd_bytes(struct reader *r, size_t *out_len);

/* A reply or notification built in memory, then written to the port in one go. */
struct writer {
    uint8_t *data;
    size_t len;
    size_t cap;
};

void wr_u8(struct writer *w, uint8_t v);
void wr_u32(struct writer *w, uint32_t v);
void wr_u64(struct writer *w, uint64_t v);
void wr_bytes(struct writer *w, const void *data, size_t len);
void wr_free(struct writer *w);

/* Writes all of `w` to `fd`, retrying on EINTR/EAGAIN. Returns 0 or -1. */
int wr_flush(int fd, struct writer *w);

#endif
