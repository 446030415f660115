/* SPDX-License-Identifier: ISC */
/*
 * loadgen - connection-rate load generator and timing probe for bench/run.sh.
 *
 * Load:   loadgen -a ADDR -p PORT [-c CONC] [-d SECS] [-n MAX] [-m exec|echo]
 *   CONC threads each loop: socket, connect, then
 *     exec: read until EOF, expect "hello\n";
 *     echo: write "hello\n", shutdown(SHUT_WR), read until EOF, expect it back;
 *   then close.  Stops after SECS seconds or MAX connections in all.
 *   Prints one JSON object: conns, secs, cps, p50_us, p99_us, errors.
 *   Latency is socket() to EOF.  Every socket has 2 s send/receive timeouts.
 *   -S N (IPv6 target): connection k binds source address number k % N, each
 *   in its own /64 of 2001:db8:100::/40 (2001:db8:1XX:YYYY::1); the
 *   namespace must own that prefix (a local route) and allow non-local
 *   binds.  -S 1 binds every connection to the first one, so both rates pay
 *   the same bind.
 *
 * Probe:  loadgen [-P PIDFILE] [-o LOG] [-H PID] [-W N] [-w PORT]
 *                 [-g FILE -s TEXT] [-T MS] [-- CMD ARGS...]
 *   t0 is taken first; then CMD is started (stdout/stderr to LOG, its pid
 *   written to PIDFILE, left running) or SIGHUP is sent to PID; then it polls
 *   every 0.5 ms until all conditions hold: at least N TCP listeners in this
 *   network namespace, counted with sock_diag (-W), a listener on PORT (-w), TEXT in FILE beyond its
 *   size at t0 (-g/-s).  Prints {"ms":...,"ok":true|false}; gives up after
 *   -T MS (default 20000).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES_PER_THREAD (1u << 20)

static struct sockaddr_storage target;
static socklen_t target_len;
static int echo_mode;
static double duration = 3.0;
static long max_conns = 100000000;
static volatile long started;
static long sources;	/* -S: distinct source /64s, 0 none */
static double t_end;

struct worker {
	pthread_t th;
	uint32_t *lat_us;
	size_t n;
	long errors;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bind FD to source number K of the -S range (2001:db8:1XX:YYYY::1). */
static int bind_source(int fd, long k)
{
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	int one = 1;

	src.sin6_addr.s6_addr[0] = 0x20;
	src.sin6_addr.s6_addr[1] = 0x01;
	src.sin6_addr.s6_addr[2] = 0x0d;
	src.sin6_addr.s6_addr[3] = 0xb8;
	src.sin6_addr.s6_addr[4] = (uint8_t)(0x01 + (k >> 24));
	src.sin6_addr.s6_addr[5] = (uint8_t)(k >> 16);
	src.sin6_addr.s6_addr[6] = (uint8_t)(k >> 8);
	src.sin6_addr.s6_addr[7] = (uint8_t)k;
	src.sin6_addr.s6_addr[15] = 1;
	/* the port is chosen at connect, so TIME_WAIT ports are reused */
	setsockopt(fd, IPPROTO_IP, 24 /* IP_BIND_ADDRESS_NO_PORT */, &one,
		   sizeof one);
	return bind(fd, (struct sockaddr *)&src, sizeof src);
}

static int one_conn(long k)
{
	static const char msg[] = "hello\n";
	struct timeval tv = { 2, 0 };
	char buf[256];
	size_t got = 0;
	ssize_t n;
	int fd, ok = 0;

	fd = socket(target.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (sources > 0 && bind_source(fd, k % sources) < 0)
		goto out;
	if (connect(fd, (struct sockaddr *)&target, target_len) < 0)
		goto out;
	if (echo_mode) {
		if (write(fd, msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1))
			goto out;
		shutdown(fd, SHUT_WR);
	}
	while ((n = read(fd, buf + got, sizeof buf - got)) > 0) {
		got += (size_t)n;
		if (got == sizeof buf)
			break;
	}
	if (n < 0)
		goto out;
	ok = got == sizeof msg - 1 && memcmp(buf, msg, got) == 0;
out:
	close(fd);
	return ok ? 0 : -1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	double t0, t1;
	long k;

	for (;;) {
		if ((k = __atomic_fetch_add(&started, 1, __ATOMIC_RELAXED)) >= max_conns)
			break;
		t0 = now();
		if (t0 >= t_end)
			break;
		if (one_conn(k) < 0) {
			w->errors++;
			/* do not spin on a refused port */
			if (w->errors > 1000 && w->n == 0)
				break;
			continue;
		}
		t1 = now();
		if (w->n < MAX_SAMPLES_PER_THREAD)
			w->lat_us[w->n++] = (uint32_t)((t1 - t0) * 1e6);
	}
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int set_target(const char *addr, const char *port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&target;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&target;

	memset(&target, 0, sizeof target);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)atoi(port));
		target_len = sizeof *s4;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)atoi(port));
		target_len = sizeof *s6;
		return 0;
	}
	return -1;
}

static int run_load(const char *addr, const char *port, int conc)
{
	struct worker *w;
	uint32_t *all;
	size_t total = 0, k;
	long errors = 0;
	double t0, secs;
	int i;

	if (set_target(addr, port) < 0) {
		fprintf(stderr, "loadgen: bad address %s\n", addr);
		return 2;
	}
	w = calloc((size_t)conc, sizeof *w);
	for (i = 0; i < conc; i++) {
		w[i].lat_us = malloc(MAX_SAMPLES_PER_THREAD * sizeof(uint32_t));
		if (!w[i].lat_us) {
			perror("malloc");
			return 2;
		}
	}
	t0 = now();
	t_end = t0 + duration;
	for (i = 0; i < conc; i++)
		pthread_create(&w[i].th, NULL, work, &w[i]);
	for (i = 0; i < conc; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].n;
		errors += w[i].errors;
	}
	secs = now() - t0;
	all = malloc((total + 1) * sizeof *all);
	for (i = 0, k = 0; i < conc; i++) {
		memcpy(all + k, w[i].lat_us, w[i].n * sizeof *all);
		k += w[i].n;
	}
	qsort(all, total, sizeof *all, cmp_u32);
	printf("{\"conns\":%zu,\"secs\":%.3f,\"cps\":%.1f,\"p50_us\":%u,"
	       "\"p99_us\":%u,\"errors\":%ld}\n",
	       total, secs, secs > 0 ? (double)total / secs : 0.0,
	       total ? all[total / 2] : 0,
	       total ? all[total * 99 / 100] : 0, errors);
	return 0;
}

/* TCP listeners in this namespace; with port > 0, only those on it.  Asks
 * the kernel through sock_diag for LISTEN sockets only: /proc/net/tcp
 * would also list the tens of thousands of TIME_WAIT sockets a load run
 * leaves behind, and reading it then takes a quarter of a second. */
static int count_listeners(int port)
{
	static const int families[] = { AF_INET, AF_INET6 };
	char buf[32768];
	int n = 0;
	size_t f;

	for (f = 0; f < 2; f++) {
		struct {
			struct nlmsghdr nlh;
			struct inet_diag_req_v2 req;
		} msg;
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		int done = 0;

		if (fd < 0)
			return -1;
		memset(&msg, 0, sizeof msg);
		msg.nlh.nlmsg_len = sizeof msg;
		msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		msg.req.sdiag_family = (unsigned char)families[f];
		msg.req.sdiag_protocol = IPPROTO_TCP;
		msg.req.idiag_states = 1u << 10; /* TCP_LISTEN */
		if (sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
			close(fd);
			return -1;
		}
		while (!done) {
			ssize_t len = recv(fd, buf, sizeof buf, 0);
			struct nlmsghdr *h = (struct nlmsghdr *)buf;
			if (len <= 0)
				break;
			for (; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
				struct inet_diag_msg *d;
				if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
					done = 1;
					break;
				}
				d = NLMSG_DATA(h);
				if (port <= 0 || ntohs(d->id.idiag_sport) == port)
					n++;
			}
		}
		close(fd);
	}
	return n;
}

static int file_has(const char *path, off_t from, const char *text)
{
	static char buf[1 << 20];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), found;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof buf - 1, from);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	found = strstr(buf, text) != NULL;
	return found;
}

static int run_probe(char **cmd, const char *pidfile, const char *logfile,
		     pid_t hup, int want_n, int want_port, const char *gfile,
		     const char *text, long timeout_ms)
{
	struct timespec nap = { 0, 500000 };
	off_t gfrom = 0;
	struct stat st;
	double t0;
	int ok = 0;

	if (gfile && stat(gfile, &st) == 0)
		gfrom = st.st_size;
	t0 = now();
	if (cmd && cmd[0]) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			int fd = open(logfile ? logfile : "/dev/null",
				      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
			int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			if (nul >= 0)
				dup2(nul, 0);
			setsid();
			execvp(cmd[0], cmd);
			_exit(127);
		}
		if (pidfile) {
			FILE *fp = fopen(pidfile, "w");
			if (fp) {
				fprintf(fp, "%ld\n", (long)pid);
				fclose(fp);
			}
		}
	}
	if (hup > 0 && kill(hup, SIGHUP) < 0) {
		perror("kill");
		return 2;
	}
	while ((now() - t0) * 1000 < (double)timeout_ms) {
		if ((want_n <= 0 || count_listeners(0) >= want_n) &&
		    (want_port <= 0 || count_listeners(want_port) > 0) &&
		    (!gfile || !text || file_has(gfile, gfrom, text))) {
			ok = 1;
			break;
		}
		nanosleep(&nap, NULL);
	}
	printf("{\"ms\":%.2f,\"ok\":%s}\n", (now() - t0) * 1000,
	       ok ? "true" : "false");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *addr = NULL, *port = NULL, *pidfile = NULL, *logfile = NULL;
	const char *gfile = NULL, *text = NULL;
	int conc = 1, opt, want_n = 0, want_port = 0;
	long timeout_ms = 20000;
	pid_t hup = 0;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "+a:p:c:d:n:m:P:o:H:W:w:g:s:T:S:")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'p': port = optarg; break;
		case 'c': conc = atoi(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'n': max_conns = atol(optarg); break;
		case 'm': echo_mode = strcmp(optarg, "echo") == 0; break;
		case 'P': pidfile = optarg; break;
		case 'o': logfile = optarg; break;
		case 'H': hup = (pid_t)atol(optarg); break;
		case 'W': want_n = atoi(optarg); break;
		case 'w': want_port = atoi(optarg); break;
		case 'g': gfile = optarg; break;
		case 's': text = optarg; break;
		case 'T': timeout_ms = atol(optarg); break;
		case 'S': sources = atol(optarg); break;
		default:
			fprintf(stderr, "usage: see the comment at the top of loadgen.c\n");
			return 2;
		}
	}
	if (conc < 1 || conc > 1024 || duration <= 0 || duration > 600) {
		fprintf(stderr, "loadgen: concurrency 1-1024, duration 0-600 s\n");
		return 2;
	}
	if (addr && port)
		return run_load(addr, port, conc);
	return run_probe(argv + optind, pidfile, logfile, hup, want_n, want_port,
			 gfile, text, timeout_ms);
}
