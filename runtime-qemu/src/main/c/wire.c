#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int need(struct reader *r, size_t n)
{
    if (r->short_read || r->len - r->pos < n) {
        r->short_read = 1;
        return 0;
    }
    return 1;
}

uint8_t rd_u8(struct reader *r)
{
    if (!need(r, 1)) {
        return 0;
    }
    return r->data[r->pos++];
}

uint16_t rd_u16(struct reader *r)
{
    if (!need(r, 2)) {
        return 0;
    }
    uint16_t v = (uint16_t) (r->data[r->pos] | (r->data[r->pos + 1] << 8));
    r->pos += 2;
    return v;
}

uint32_t rd_u32(struct reader *r)
{
    uint32_t v = 0;
    if (!need(r, 4)) {
        return 0;
    }
    for (int i = 3; i >= 0; i--) {
        v = (v << 8) | r->data[r->pos + i];
    }
    r->pos += 4;
    return v;
}

uint64_t rd_u64(struct reader *r)
{
    uint64_t v = 0;
    if (!need(r, 8)) {
        return 0;
    }
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | r->data[r->pos + i];
    }
    r->pos += 8;
    return v;
}

char *rd_bytes(struct reader *r, size_t *out_len)
{
    uint64_t len = rd_u64(r);
    if (r->short_read || !need(r, len)) {
        return NULL;
    }
    char *s = malloc(len + 1);
    if (s == NULL) {
        r->short_read = 1;
        return NULL;
    }
    memcpy(s, r->data + r->pos, len);
    s[len] = '\0';
    r->pos += len;
    if (out_len != NULL) {
        *out_len = len;
    }
    return s;
}

static void reserve(struct writer *w, size_t extra)
{
    if (w->len + extra <= w->cap) {
        return;
    }
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + extra) {
        cap *= 2;
    }
    uint8_t *grown = realloc(w->data, cap);
    if (grown == NULL) {
        abort();
    }
    w->data = grown;
    w->cap = cap;
}

void wr_u8(struct writer *w, uint8_t v)
{
    reserve(w, 1);
    w->data[w->len++] = v;
}

void wr_u32(struct writer *w, uint32_t v)
{
    reserve(w, 4);
    for (int i = 0; i < 4; i++) {
        w->data[w->len++] = (uint8_t) (v >> (8 * i));
    }
}

void wr_u64(struct writer *w, uint64_t v)
{
    reserve(w, 8);
    for (int i = 0; i < 8; i++) {
        w->data[w->len++] = (uint8_t) (v >> (8 * i));
    }
}

void wr_bytes(struct writer *w, const void *data, size_t len)
{
    wr_u64(w, len);
    reserve(w, len);
    if (len > 0) {
        memcpy(w->data + w->len, data, len);
    }
    w->len += len;
}

void wr_free(struct writer *w)
{
    free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
}

int wr_flush(int fd, struct writer *w)
{
    size_t done = 0;
    while (done < w->len) {
        ssize_t n = write(fd, w->data + done, w->len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                /* The host is not reading right now: wait until the port takes data again. */
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                poll(&p, 1, 1000);
                continue;
            }
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}
