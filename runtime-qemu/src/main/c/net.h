/*
 * The guest's network interfaces as ya-runtime-vm's init sets them up: loopback at boot, then on
 * the host's NET_CTL an address (with mask and MTU) or a route on eth0 (VPN) or eth1 (INET), and
 * on NET_HOST lines appended to the image root's /etc/hosts. A default route on eth1 also makes
 * its gateway the image's name server (the host answers DNS there).
 */
#ifndef GS_NET_H
#define GS_NET_H

#include <stddef.h>
#include <stdint.h>

/* NET_CTL's FLAGS bit: set the interface's address (else: add a route). */
#define NET_CTL_ADD_ADDRESS 1

/* Interfaces by NET_CTL's IF: 0 the VPN, 1 the outbound gateway. */
#define NET_IF_VPN 0
#define NET_IF_INET 1

/* The MAC of the outbound card: whichever order the kernel found the cards in, it becomes eth1. */
#define NET_INET_MAC "90:14:0a:2a:2a:02"

/* One NET_CTL request; addresses are dotted-quad text, NULL when not sent. */
struct net_ctl {
    uint16_t flags;
    char *addr;
    char *mask;
    char *gateway;
    char *if_addr;
    uint16_t iface;
};

/* Names the network cards: the one with NET_INET_MAC eth1, the other (the VPN's) eth0. */
void net_name_interfaces(void);

/* Brings the loopback interface up. Returns 0 or -1 (logged). */
int net_loopback_up(void);

/* Acts on one NET_CTL. Returns 0 or an errno; `error` gets a description. */
int net_configure(const struct net_ctl *ctl, char *error, size_t error_len);

/*
 * Appends "<ip>\t<name>" lines to /etc/hosts inside the root (`entries` holds ip, name pairs).
 * Returns 0 or an errno; `error` gets a description.
 */
int net_add_hosts(char *const *entries, int count, char *error, size_t error_len);

#endif
