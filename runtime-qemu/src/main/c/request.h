/*
 * Decoding one request frame (PROTOCOL.md, "Requests") into a typed struct, apart from acting on
 * it: the event loop decodes, the handlers act.
 */
#ifndef GS_REQUEST_H
#define GS_REQUEST_H

#include "net.h"
#include "proc.h"

#include <stddef.h>
#include <stdint.h>

#define MAX_OWNED 4096
#define MAX_HOSTS 256

/* Everything one decoded request allocated, freed once it is handled (or found incomplete). */
struct owned {
    void *items[MAX_OWNED];
    int count;
};

/* One request with the fields of its type; fields it did not carry keep their defaults. */
struct request {
    uint64_t id;
    uint8_t type;
    struct run_request run;  /* MSG_RUN_PROCESS */
    struct {
        uint64_t pid;
        uint32_t signal;     /* default SIGKILL */
    } kill;                  /* MSG_KILL_PROCESS */
    struct {
        char *tag;
        char *path;
        char *subdir;
    } mount;                 /* MSG_MOUNT_VOLUME */
    struct {
        uint64_t pid;
        uint8_t fd;          /* default 1 */
        uint64_t len;        /* 0 = everything buffered */
    } query;                 /* MSG_QUERY_OUTPUT */
    struct net_ctl net;      /* MSG_NET_CTL */
    struct {
        char *entries[2 * MAX_HOSTS]; /* ip, name, ip, name, ... */
        int count;
    } hosts;                 /* MSG_NET_HOST */
    struct {
        uint64_t seconds;
        uint32_t nanos;
        int has_seconds;
    } clock;                 /* MSG_SET_CLOCK */
    struct {
        uint8_t full;
        int has_full;
    } disk;                  /* MSG_DISK_FULL */
    struct owned owned;      /* the strings and arrays above */
};

enum decode_result {
    DECODED,     /* `request` is filled: handle it, then request_free() */
    INCOMPLETE,  /* not all of it has arrived yet */
    MALFORMED,   /* an unknown field: only `request->id` is known, the rest cannot be read */
};

/*
 * Decodes the request at the front of `data`. On DECODED, *used is how many bytes it took.
 * INCOMPLETE and MALFORMED leave nothing to free.
 */
enum decode_result request_decode(const uint8_t *data, size_t len, struct request *request, size_t *used);

void request_free(struct request *request);

#endif
