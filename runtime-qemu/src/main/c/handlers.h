/*
 * What the agent does for each decoded request: start, signal and drain processes, mount
 * volumes, sync, set the clock, power off. Every handler sends exactly one reply.
 */
#ifndef GS_HANDLERS_H
#define GS_HANDLERS_H

#include "request.h"

/* Carries out `request` and replies to it. MSG_QUIT does not return. */
void handle_request(struct request *request);

#endif
