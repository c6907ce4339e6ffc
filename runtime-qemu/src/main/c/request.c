#include "request.h"
#include "wire.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

static char *read_string(struct reader *r, struct owned *o)
{
    return own(o, rd_bytes(r, NULL));
}

/*
 * Each reads the body of field `sub` of its request type into `q`. Returns 0 for a field the
 * type does not have.
 */
typedef int field_reader(struct reader *r, uint8_t sub, struct request *q);

static int run_field(struct reader *r, uint8_t sub, struct request *q)
{
    struct run_request *run = &q->run;
    switch (sub) {
    case 1:
        run->bin = read_string(r, &q->owned);
        return 1;
    case 2:
        run->argv = read_array(r, &q->owned);
        return 1;
    case 3:
        run->envp = read_array(r, &q->owned);
        return 1;
    case 4:
        run->uid = rd_u32(r);
        run->has_uid = 1;
        return 1;
    case 5:
        run->gid = rd_u32(r);
        run->has_gid = 1;
        return 1;
    case 6: {
        uint32_t fd = rd_u32(r);
        uint8_t kind = rd_u8(r);
        if (kind == 0) {
            char *path = read_string(r, &q->owned);
            if (fd == 1) {
                run->stdout_file = path;
            } else if (fd == 2) {
                run->stderr_file = path;
            }
        } else {
            rd_u64(r); /* pipe size: output is always buffered in full (see OUTPUT_HOLD_BYTES) */
        }
        return 1;
    }
    case 7:
        run->cwd = read_string(r, &q->owned);
        return 1;
    case 8:
        return 1; /* entrypoint flag: every process here is started the same way */
    case 9:
        run->user = read_string(r, &q->owned);
        return 1;
    default:
        return 0;
    }
}

static int kill_field(struct reader *r, uint8_t sub, struct request *q)
{
    switch (sub) {
    case 1:
        q->kill.pid = rd_u64(r);
        return 1;
    case 2:
        q->kill.signal = rd_u32(r);
        return 1;
    default:
        return 0;
    }
}

static int mount_field(struct reader *r, uint8_t sub, struct request *q)
{
    switch (sub) {
    case 1:
        q->mount.tag = read_string(r, &q->owned);
        return 1;
    case 2:
        q->mount.path = read_string(r, &q->owned);
        return 1;
    case 3:
        q->mount.subdir = read_string(r, &q->owned);
        return 1;
    default:
        return 0;
    }
}

static int query_field(struct reader *r, uint8_t sub, struct request *q)
{
    switch (sub) {
    case 1:
        q->query.pid = rd_u64(r);
        return 1;
    case 2:
        q->query.fd = rd_u8(r);
        return 1;
    case 3:
        rd_u64(r); /* offset: output is consumed in order, so it is implied */
        return 1;
    case 4:
        q->query.len = rd_u64(r);
        return 1;
    default:
        return 0;
    }
}

static int net_field(struct reader *r, uint8_t sub, struct request *q)
{
    switch (sub) {
    case 1:
        q->net.flags = rd_u16(r);
        return 1;
    case 2:
        q->net.addr = read_string(r, &q->owned);
        return 1;
    case 3:
        q->net.mask = read_string(r, &q->owned);
        return 1;
    case 4:
        q->net.gateway = read_string(r, &q->owned);
        return 1;
    case 5:
        q->net.if_addr = read_string(r, &q->owned);
        return 1;
    case 6:
        q->net.iface = rd_u16(r);
        return 1;
    default:
        return 0;
    }
}

static int clock_field(struct reader *r, uint8_t sub, struct request *q)
{
    switch (sub) {
    case 1:
        q->clock.seconds = rd_u64(r);
        q->clock.has_seconds = 1;
        return 1;
    case 2:
        q->clock.nanos = rd_u32(r);
        return 1;
    default:
        return 0;
    }
}

static int disk_field(struct reader *r, uint8_t sub, struct request *q)
{
    if (sub != 1) {
        return 0;
    }
    q->disk.full = rd_u8(r);
    q->disk.has_full = 1;
    return 1;
}

static int host_field(struct reader *r, uint8_t sub, struct request *q)
{
    if (sub != 1) {
        return 0;
    }
    char *ip = read_string(r, &q->owned);
    char *name = read_string(r, &q->owned);
    if (q->hosts.count + 2 > 2 * MAX_HOSTS) {
        return 0;
    }
    q->hosts.entries[q->hosts.count++] = ip;
    q->hosts.entries[q->hosts.count++] = name;
    return 1;
}

/* Quit, sync and the types not implemented: any field is unknown. */
static int no_field(struct reader *r, uint8_t sub, struct request *q)
{
    (void) r;
    (void) sub;
    (void) q;
    return 0;
}

static field_reader *fields_of(uint8_t type)
{
    switch (type) {
    case MSG_RUN_PROCESS:
        return run_field;
    case MSG_KILL_PROCESS:
        return kill_field;
    case MSG_MOUNT_VOLUME:
        return mount_field;
    case MSG_QUERY_OUTPUT:
        return query_field;
    case MSG_NET_CTL:
        return net_field;
    case MSG_NET_HOST:
        return host_field;
    case MSG_SET_CLOCK:
        return clock_field;
    case MSG_DISK_FULL:
        return disk_field;
    default:
        return no_field;
    }
}

enum decode_result request_decode(const uint8_t *data, size_t len, struct request *q, size_t *used)
{
    struct reader r = { .data = data, .len = len };
    /* Not the owned array: it is large and only its first `count` items are ever read. */
    memset(q, 0, offsetof(struct request, owned));
    q->owned.count = 0;
    q->kill.signal = SIGKILL;
    q->query.fd = 1;
    q->id = rd_u64(&r);
    q->type = rd_u8(&r);
    field_reader *field = fields_of(q->type);
    /* Fields until subtype 0; bodies have no length prefix, so an unknown one ends the parse. */
    while (!r.short_read) {
        uint8_t sub = rd_u8(&r);
        if (r.short_read) {
            break;
        }
        if (sub == 0) {
            *used = r.pos;
            return DECODED;
        }
        if (!field(&r, sub, q)) {
            free_owned(&q->owned);
            return MALFORMED;
        }
    }
    free_owned(&q->owned);
    return INCOMPLETE;
}

void request_free(struct request *q)
{
    free_owned(&q->owned);
}
