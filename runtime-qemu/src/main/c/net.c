#define _GNU_SOURCE
#include "net.h"
#include "boot.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The MTUs ya-runtime-vm gives its interfaces: frames cross the VPN wrapped, so eth0 stays small. */
#define VPN_MTU 1220
#define INET_MTU 65521

static int parse_ipv4(const char *text, struct sockaddr *out)
{
    struct sockaddr_in *sin = (struct sockaddr_in *) out;
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    if (text == NULL || text[0] == '\0') {
        sin->sin_addr.s_addr = INADDR_ANY;
        return 0;
    }
    return inet_pton(AF_INET, text, &sin->sin_addr) == 1 ? 0 : -1;
}

static int set_flags_up(int fd, const char *name)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        return -1;
    }
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(fd, SIOCSIFFLAGS, &ifr);
}

/* Reads the MAC of interface `name` from sysfs as "xx:xx:xx:xx:xx:xx"; 0 or -1. */
static int read_mac(const char *name, char *mac, size_t mac_len)
{
    char path[64 + IFNAMSIZ];
    snprintf(path, sizeof(path), "/sys/class/net/%s/address", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    ssize_t got = read(fd, mac, mac_len - 1);
    close(fd);
    if (got < 17) {
        return -1;
    }
    mac[17] = '\0';
    return 0;
}

static int rename_interface(int fd, const char *from, const char *to)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, from, strnlen(from, IFNAMSIZ - 1));
    memcpy(ifr.ifr_newname, to, strnlen(to, IFNAMSIZ - 1));
    return ioctl(fd, SIOCSIFNAME, &ifr);
}

void net_name_interfaces(void)
{
    char names[8][IFNAMSIZ];
    int count = 0;
    DIR *dir = opendir("/sys/class/net");
    if (dir == NULL) {
        return;
    }
    for (struct dirent *e; (e = readdir(dir)) != NULL && count < 8; ) {
        if (e->d_name[0] != '.' && strcmp(e->d_name, "lo") != 0 && strlen(e->d_name) < IFNAMSIZ) {
            snprintf(names[count++], IFNAMSIZ, "%s", e->d_name);
        }
    }
    closedir(dir);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return;
    }
    /* Out of the way first, so that the final names are free whatever order the kernel chose. */
    char temp[8][IFNAMSIZ];
    int is_inet[8];
    for (int i = 0; i < count; i++) {
        char mac[32] = "";
        is_inet[i] = read_mac(names[i], mac, sizeof(mac)) == 0 && strcmp(mac, NET_INET_MAC) == 0;
        snprintf(temp[i], IFNAMSIZ, "gsnet%d", i);
        if (rename_interface(fd, names[i], temp[i]) < 0) {
            console_log("cannot rename %s: %s", names[i], strerror(errno));
            snprintf(temp[i], IFNAMSIZ, "%s", names[i]);
        }
    }
    for (int i = 0; i < count; i++) {
        if (rename_interface(fd, temp[i], is_inet[i] ? "eth1" : "eth0") < 0) {
            console_log("cannot name %s: %s", temp[i], strerror(errno));
        }
    }
    close(fd);
}

int net_loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || set_flags_up(fd, "lo") < 0) {
        console_log("cannot bring up the loopback interface: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    close(fd);
    return 0;
}

static int set_address(int fd, const char *name, const struct net_ctl *ctl, char *error, size_t error_len)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (parse_ipv4(ctl->if_addr, &ifr.ifr_addr) < 0 || ctl->if_addr == NULL) {
        snprintf(error, error_len, "not an IPv4 interface address: %s", ctl->if_addr ? ctl->if_addr : "(none)");
        return EINVAL;
    }
    if (ioctl(fd, SIOCSIFADDR, &ifr) < 0) {
        snprintf(error, error_len, "cannot set the address of %s: %s", name, strerror(errno));
        return errno;
    }
    if (ctl->mask != NULL) {
        if (parse_ipv4(ctl->mask, &ifr.ifr_netmask) < 0) {
            snprintf(error, error_len, "not an IPv4 mask: %s", ctl->mask);
            return EINVAL;
        }
        if (ioctl(fd, SIOCSIFNETMASK, &ifr) < 0) {
            snprintf(error, error_len, "cannot set the mask of %s: %s", name, strerror(errno));
            return errno;
        }
    }
    ifr.ifr_mtu = ctl->iface == NET_IF_VPN ? VPN_MTU : INET_MTU;
    if (ioctl(fd, SIOCSIFMTU, &ifr) < 0) {
        snprintf(error, error_len, "cannot set the MTU of %s: %s", name, strerror(errno));
        return errno;
    }
    if (set_flags_up(fd, name) < 0) {
        snprintf(error, error_len, "cannot bring up %s: %s", name, strerror(errno));
        return errno;
    }
    return 0;
}

static int add_route(int fd, char *name, const struct net_ctl *ctl, char *error, size_t error_len)
{
    struct rtentry rt;
    memset(&rt, 0, sizeof(rt));
    if (parse_ipv4(ctl->addr, &rt.rt_dst) < 0 || parse_ipv4(ctl->mask, &rt.rt_genmask) < 0
            || parse_ipv4(ctl->gateway, &rt.rt_gateway) < 0) {
        snprintf(error, error_len, "a route needs IPv4 addresses: %s/%s via %s",
                 ctl->addr ? ctl->addr : "", ctl->mask ? ctl->mask : "", ctl->gateway ? ctl->gateway : "");
        return EINVAL;
    }
    rt.rt_flags = RTF_UP | (ctl->gateway != NULL && ctl->gateway[0] != '\0' ? RTF_GATEWAY : 0);
    rt.rt_metric = 101 + 1; /* the ioctl stores metric - 1 */
    rt.rt_dev = name;
    if (ioctl(fd, SIOCADDRT, &rt) < 0 && errno != EEXIST) {
        snprintf(error, error_len, "cannot add the route via %s on %s: %s",
                 ctl->gateway ? ctl->gateway : "", name, strerror(errno));
        return errno;
    }
    return 0;
}

/* Runs `write_file` in a child chrooted into the image root: the image's links lead nowhere else. */
static int in_image_root(int (*write_file)(const void *), const void *arg)
{
    pid_t child = fork();
    if (child < 0) {
        return errno;
    }
    if (child == 0) {
        if (chroot(ROOT_DIR) < 0 || chdir("/") < 0) {
            _exit(1);
        }
        mkdir("/etc", 0755);
        _exit(write_file(arg));
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EIO;
}

static int write_resolv_conf(const void *arg)
{
    const char *nameserver = arg;
    /* The image's own resolv.conf may be a link (to a resolver it does not run): replace it. */
    int fd = open("/etc/resolv.conf", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ELOOP && unlink("/etc/resolv.conf") == 0) {
        fd = open("/etc/resolv.conf", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        return 2;
    }
    dprintf(fd, "nameserver %s\n", nameserver);
    return close(fd) < 0 ? 3 : 0;
}

static int set_nameserver(const char *gateway, char *error, size_t error_len)
{
    struct sockaddr probe;
    if (parse_ipv4(gateway, &probe) < 0) {
        snprintf(error, error_len, "not an IPv4 name server: %s", gateway);
        return EINVAL;
    }
    int err = in_image_root(write_resolv_conf, gateway);
    if (err != 0) {
        snprintf(error, error_len, "cannot write /etc/resolv.conf in the image root");
    }
    return err;
}

int net_configure(const struct net_ctl *ctl, char *error, size_t error_len)
{
    char name[IFNAMSIZ];
    if (ctl->iface != NET_IF_VPN && ctl->iface != NET_IF_INET) {
        snprintf(error, error_len, "no interface %u", ctl->iface);
        return ENODEV;
    }
    snprintf(name, sizeof(name), "eth%u", ctl->iface);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(error, error_len, "no socket for interface control: %s", strerror(errno));
        return errno;
    }
    int err = (ctl->flags & NET_CTL_ADD_ADDRESS) ? set_address(fd, name, ctl, error, error_len)
                                                : add_route(fd, name, ctl, error, error_len);
    close(fd);
    int default_route = !(ctl->flags & NET_CTL_ADD_ADDRESS) && (ctl->addr == NULL || ctl->addr[0] == '\0');
    if (err == 0 && ctl->iface == NET_IF_INET && default_route && ctl->gateway != NULL && ctl->gateway[0] != '\0') {
        err = set_nameserver(ctl->gateway, error, error_len);
    }
    return err;
}

/* A host entry is written verbatim into a line: it may not break the file's format. */
static int is_plain(const char *text)
{
    if (text == NULL || text[0] == '\0' || strlen(text) > 253) {
        return 0;
    }
    for (const char *c = text; *c; c++) {
        if (*c <= ' ' || *c == '#' || *c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

struct host_lines {
    char *const *entries;
    int count;
};

static int append_hosts(const void *arg)
{
    const struct host_lines *lines = arg;
    int fd = open("/etc/hosts", O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        return 2;
    }
    for (int i = 0; i + 1 < lines->count; i += 2) {
        dprintf(fd, "%s\t%s\n", lines->entries[i], lines->entries[i + 1]);
    }
    return close(fd) < 0 ? 3 : 0;
}

int net_add_hosts(char *const *entries, int count, char *error, size_t error_len)
{
    for (int i = 0; i + 1 < count; i += 2) {
        struct sockaddr probe;
        if (parse_ipv4(entries[i], &probe) < 0 || !is_plain(entries[i + 1])) {
            snprintf(error, error_len, "not a host entry: %s %s", entries[i] ? entries[i] : "", entries[i + 1] ? entries[i + 1] : "");
            return EINVAL;
        }
    }
    struct host_lines lines = { entries, count };
    if (in_image_root(append_hosts, &lines) != 0) {
        snprintf(error, error_len, "cannot append to /etc/hosts in the image root");
        return EIO;
    }
    return 0;
}
