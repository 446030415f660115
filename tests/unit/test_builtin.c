/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the builtins: the pure helpers, then TCP sessions on a real
 * event loop (socketpairs and loopback TCP) and UDP answers on loopback,
 * with the child table wrapped.
 */
// WRAP: reap_add reap_remove
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define TEST_GUARD_SECONDS 20 /* a hung loop kills the test with SIGALRM */

/* What the wrapped child table saw. */
static struct {
	int tw_added;		/* reap_add calls */
	int tw_removed;		/* reap_remove calls */
	pid_t tw_pid;		/* pid of the last reap_add */
	int tw_counted;		/* counted argument of the last reap_add */
	char tw_status[64];	/* status of the last reap_remove */
} tw;

/* reap_add stand-in: a bare child entry, nothing counted. */
struct child *
__wrap_reap_add(struct superd *sd, pid_t pid, struct service *sv,
    const struct sockaddr_storage *peer, int counted)
{
	struct child *ch = calloc(1, sizeof(*ch));

	(void)sd;
	assert_non_null(ch);
	ch->ch_pid = pid;
	ch->ch_sv = sv;
	if (peer != NULL)
		ch->ch_peer = *peer;
	tw.tw_added++;
	tw.tw_pid = pid;
	tw.tw_counted = counted;
	return ch;
}

/* reap_remove stand-in: record the status, free, and stop the loop. */
void
__wrap_reap_remove(struct superd *sd, struct child *ch, int ok,
    const char *status)
{
	tw.tw_removed++;
	snprintf(tw.tw_status, sizeof(tw.tw_status), "%s", status);
	/* A session that ran its course is logged as a success. */
	assert_int_equal(ok, strcmp(status, "reason=eof") == 0 ||
	    strcmp(status, "reason=done") == 0);
	assert_null(ch->ch_done);
	free(ch);
	event_base_loopbreak(sd->sd_base);
}

/* A daemon context with a fresh event loop and a service of builtin KIND. */
static void
test_setup(struct superd *sd, struct service **sv, enum builtin_kind kind)
{
	memset(sd, 0, sizeof(*sd));
	memset(&tw, 0, sizeof(tw));
	sd->sd_base = event_base_new();
	assert_non_null(sd->sd_base);
	*sv = service_new(builtin_name(kind), "test", 1);
	assert_non_null(*sv);
	service_conf_edit(*sv)->sc_builtin = kind;
	(*sv)->sv_sd = sd;
	alarm(TEST_GUARD_SECONDS);
}

/* Undo test_setup. */
static void
test_teardown(struct superd *sd, struct service *sv)
{
	alarm(0);
	service_unref(sv);
	event_base_free(sd->sd_base);
}

/* 127.0.0.1:PORT as a peer address. */
static struct sockaddr_storage
test_peer4(const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
	return ss;
}

/* [ADDR]:PORT as a peer address. */
static struct sockaddr_storage
test_peer6(const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, addr, &sin6->sin6_addr), 1);
	return ss;
}

/* Start a session of SV on one end of a socketpair; the other end is ours. */
static int
test_session_pair(struct superd *sd, struct service *sv)
{
	struct sockaddr_storage peer = test_peer4("127.0.0.1", 40000);
	int sp[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	assert_int_equal(fcntl(sp[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(builtin_stream(sd, sv, sp[0], &peer), 0);
	assert_int_equal(tw.tw_added, 1);
	assert_int_equal(tw.tw_pid, 0);
	assert_int_equal(tw.tw_counted, 1);
	return sp[1];
}

/* Run the loop until N sessions have ended and their sockets are closed. */
static void
test_run_until_removed(struct superd *sd, int n)
{
	while (tw.tw_removed < n)
		assert_int_not_equal(event_base_loop(sd->sd_base, EVLOOP_ONCE),
		    -1);
	/* libevent finalizes a freed bufferevent (and closes) a turn later. */
	assert_int_not_equal(event_base_loop(sd->sd_base, EVLOOP_NONBLOCK), -1);
}

/* Read from FD until EOF into BUF; the byte count. */
static size_t
test_read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	return got;
}

/* Read exactly LEN bytes from the blocking FD, running nothing else. */
static void
test_read_exact(struct superd *sd, int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		event_base_loop(sd->sd_base, EVLOOP_NONBLOCK);
		n = recv(fd, buf + got, len - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
		else
			assert_true(n == -1 && errno == EAGAIN);
	}
}

static void
test_builtin_find_and_name_round_trip(void **state)
{
	enum builtin_kind k;

	(void)state;
	for (k = BUILTIN_ECHO; k <= BUILTIN_TIME; k++) {
		assert_non_null(builtin_name(k));
		assert_int_equal(builtin_name_find(builtin_name(k)), k);
	}
	assert_string_equal(builtin_name(BUILTIN_CHARGEN), "chargen");
	assert_int_equal(builtin_name_find("daytime"), BUILTIN_DAYTIME);
	assert_int_equal(builtin_name_find("sink"), BUILTIN_DISCARD);
	assert_int_equal(builtin_name_find("timserver"), BUILTIN_TIME);
	assert_int_equal(builtin_name_find("ttytst"), BUILTIN_CHARGEN);
	assert_int_equal(builtin_name_find("ftp"), BUILTIN_NONE);
	assert_int_equal(builtin_name_find("ECHO"), BUILTIN_NONE);
	assert_int_equal(builtin_name_find(""), BUILTIN_NONE);
	assert_int_equal(builtin_name_find(NULL), BUILTIN_NONE);
	assert_null(builtin_name(BUILTIN_NONE));
	assert_null(builtin_name((enum builtin_kind)99));
}

static void
test_builtin_daytime_is_ctime_like_with_crlf(void **state)
{
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(builtin_daytime(1795640679, buf, sizeof(buf)), 26);
	assert_string_equal(buf, "Wed Nov 25 21:04:39 2026\r\n");
	/* Days below 10 are padded with a space, as ctime does. */
	assert_int_equal(builtin_daytime(0, buf, sizeof(buf)), 26);
	assert_string_equal(buf, "Thu Jan  1 00:00:00 1970\r\n");
	assert_int_equal(builtin_daytime(0, buf, 26), 0);
	assert_int_equal(builtin_daytime(0, buf, 0), 0);
}

static void
test_builtin_time_counts_seconds_since_1900(void **state)
{
	(void)state;
	assert_int_equal(builtin_time(0), 2208988800u);
	assert_int_equal(builtin_time(1), 2208988801u);
	assert_int_equal(builtin_time(1795640679), 2208988800u + 1795640679u);
	/* RFC 868 time is 32 bits: it wraps in February 2036. */
	assert_int_equal(builtin_time(2085978496), 0);
	assert_int_equal(builtin_time(2085978497), 1);
}

static void
test_builtin_chargen_line_rotates_through_95_printables(void **state)
{
	char a[80], b[80];
	unsigned int i;

	(void)state;
	assert_int_equal(builtin_chargen_line(0, a, sizeof(a)), 74);
	assert_int_equal(strlen(a), 74);
	assert_memory_equal(a, " !\"#$%&'()*+,-./0123", 20);
	assert_int_equal(a[71], 'g');
	assert_memory_equal(a + 72, "\r\n", 2);
	assert_int_equal(builtin_chargen_line(1, b, sizeof(b)), 74);
	assert_memory_equal(b, a + 1, 71);
	assert_int_equal(b[71], 'h');
	/* The line at 94 starts with the last printable and wraps to ' '. */
	builtin_chargen_line(94, b, sizeof(b));
	assert_memory_equal(b, "~ !\"#", 5);
	builtin_chargen_line(95, b, sizeof(b));
	assert_memory_equal(a, b, 74);
	for (i = 0; i < 95; i++) {
		builtin_chargen_line(i, b, sizeof(b));
		assert_int_equal(b[0], ' ' + (int)i);
	}
	assert_int_equal(builtin_chargen_line(0, b, 73), 0);
	assert_int_equal(builtin_chargen_line(0, b, 74), 74);
}

/* One source address and whether the reflector guard refuses it. */
struct badport_case {
	const char *bc_addr;   /* IPv4 or IPv6 literal */
	unsigned int bc_port;  /* source port */
	int bc_refused;	       /* expected builtin_dgram_badport */
};

/* Check every case of TABLE against builtin_dgram_badport. */
static void
test_badport_table(const struct badport_case *table, size_t n)
{
	struct sockaddr_storage ss;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct badport_case *c = &table[i];

		ss = strchr(c->bc_addr, ':') != NULL ?
		    test_peer6(c->bc_addr, c->bc_port) :
		    test_peer4(c->bc_addr, c->bc_port);
		if (builtin_dgram_badport(&ss) != c->bc_refused)
			fail_msg("%s port %u: expected refused=%d", c->bc_addr,
			    c->bc_port, c->bc_refused);
	}
}

static void
test_builtin_dgram_badport_refuses_reserved_ports_v4(void **state)
{
	static const struct badport_case table[] = {
		{ "127.0.0.1", 1024, 0 }, { "192.0.2.7", 65535, 0 },
		{ "127.0.0.1", 1023, 1 }, { "127.0.0.1", 0, 1 },
		{ "127.0.0.1", 7, 1 }, { "127.0.0.1", 2049, 1 },
	};

	(void)state;
	test_badport_table(table, sizeof(table) / sizeof(table[0]));
}

static void
test_builtin_dgram_badport_refuses_non_unicast_sources_v4(void **state)
{
	static const struct badport_case table[] = {
		{ "0.0.0.0", 40000, 1 }, { "0.1.2.3", 40000, 1 },
		{ "255.255.255.255", 40000, 1 }, { "224.0.0.1", 40000, 1 },
		{ "239.255.255.250", 40000, 1 }, { "240.0.0.1", 40000, 1 },
		{ "223.255.255.254", 40000, 0 },
	};

	(void)state;
	test_badport_table(table, sizeof(table) / sizeof(table[0]));
}

static void
test_builtin_dgram_badport_handles_v6(void **state)
{
	static const struct badport_case table[] = {
		{ "::1", 40000, 0 }, { "2001:db8::1", 1024, 0 },
		{ "2001:db8::1", 1023, 1 }, { "2001:db8::1", 0, 1 },
		{ "::", 40000, 1 }, { "ff02::1", 40000, 1 },
		/* Deprecated v4-compatible addresses are refused outright. */
		{ "::7f00:1", 40000, 1 },
	};

	(void)state;
	test_badport_table(table, sizeof(table) / sizeof(table[0]));
}

static void
test_builtin_dgram_badport_treats_v4_mapped_as_v4(void **state)
{
	static const struct badport_case table[] = {
		{ "::ffff:127.0.0.1", 40000, 0 }, { "::ffff:127.0.0.1", 1024, 0 },
		{ "::ffff:127.0.0.1", 1023, 1 }, { "::ffff:127.0.0.1", 0, 1 },
		{ "::ffff:255.255.255.255", 40000, 1 },
		{ "::ffff:224.0.0.251", 40000, 1 }, { "::ffff:0.0.0.0", 40000, 1 },
	};
	struct sockaddr_storage ss;

	(void)state;
	test_badport_table(table, sizeof(table) / sizeof(table[0]));
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	assert_int_equal(builtin_dgram_badport(&ss), 1);
}

static void
test_builtin_dgram_take_limits_replies_per_second(void **state)
{
	struct service *sv = service_new("echo", "test", 1);
	struct timespec t = { 1000, 0 };
	int i, n;

	(void)state;
	assert_non_null(sv);
	for (n = 0; n < DEF_DGRAM_RATE * 2 && builtin_dgram_take(sv, &t); n++)
		;
	assert_int_equal(n, DEF_DGRAM_RATE);
	assert_int_equal(builtin_dgram_take(sv, &t), 0);
	/* 10 ms later: 2.56 replies' worth, so 2, and the fraction is kept. */
	t.tv_nsec = 10000000;
	assert_int_equal(builtin_dgram_take(sv, &t), 1);
	assert_int_equal(builtin_dgram_take(sv, &t), 1);
	assert_int_equal(builtin_dgram_take(sv, &t), 0);
	t.tv_nsec = 12000000;
	assert_int_equal(builtin_dgram_take(sv, &t), 1);
	assert_int_equal(builtin_dgram_take(sv, &t), 0);
	/* After a quiet minute the bucket holds one second, no more. */
	t.tv_sec += 60;
	for (n = 0; n < DEF_DGRAM_RATE * 2 && builtin_dgram_take(sv, &t); n++)
		;
	assert_int_equal(n, DEF_DGRAM_RATE);
	/* A clock that goes back does not starve the service. */
	t.tv_sec -= 5;
	assert_int_equal(builtin_dgram_take(sv, &t), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(builtin_dgram_take(sv, &t), 1);
	service_unref(sv);
}

static void
test_builtin_stream_echo_returns_data_and_flushes_on_half_close(void **state)
{
	struct superd sd;
	struct service *sv;
	char buf[64];
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_ECHO);
	fd = test_session_pair(&sd, sv);
	assert_int_equal(write(fd, "hello\r\n", 7), 7);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	test_run_until_removed(&sd, 1);
	assert_string_equal(tw.tw_status, "reason=eof");
	assert_int_equal(test_read_all(fd, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "hello\r\n", 7);
	close(fd);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_echo_bulk_survives_backpressure(void **state)
{
	enum { TOTAL = 4 << 20, CHUNK = 32768 };
	static char out[CHUNK], in[CHUNK];
	size_t sent = 0, got = 0, i;
	struct superd sd;
	struct service *sv;
	ssize_t n;
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_ECHO);
	fd = test_session_pair(&sd, sv);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	while (got < TOTAL) {
		for (i = 0; i < CHUNK; i++)
			out[i] = (char)((sent + i) % 251);
		if (sent < TOTAL && (n = write(fd, out, CHUNK)) > 0)
			sent += (size_t)n;
		event_base_loop(sd.sd_base, EVLOOP_NONBLOCK);
		while ((n = read(fd, in, sizeof(in))) > 0) {
			for (i = 0; i < (size_t)n; i++)
				assert_int_equal((unsigned char)in[i],
				    (got + i) % 251);
			got += (size_t)n;
		}
	}
	assert_int_equal(got, TOTAL);
	assert_int_equal(tw.tw_removed, 0);
	close(fd);
	test_run_until_removed(&sd, 1);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_echo_stops_reading_when_peer_does_not_read(void **state)
{
	enum { CHUNK = 65536, CEILING = 32 << 20 };
	static char out[CHUNK];
	size_t sent = 0;
	struct superd sd;
	struct service *sv;
	int fd, idle = 0;
	ssize_t n;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_ECHO);
	fd = test_session_pair(&sd, sv);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	memset(out, 'x', sizeof(out));
	/* Without flow control this would go on until the ceiling. */
	while (idle < 50 && sent < CEILING) {
		n = write(fd, out, sizeof(out));
		idle = n > 0 ? 0 : idle + 1;
		if (n > 0)
			sent += (size_t)n;
		event_base_loop(sd.sd_base, EVLOOP_NONBLOCK);
	}
	assert_true(sent < 4 << 20);
	assert_int_equal(tw.tw_removed, 0);
	/* The stalled peer goes away: the session ends, with no one else. */
	close(fd);
	test_run_until_removed(&sd, 1);
	assert_int_equal(tw.tw_removed, 1);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_chargen_sends_rotating_lines(void **state)
{
	char buf[74 * 100], line[80];
	struct superd sd;
	struct service *sv;
	unsigned int i;
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_CHARGEN);
	fd = test_session_pair(&sd, sv);
	test_read_exact(&sd, fd, buf, sizeof(buf));
	for (i = 0; i < 100; i++) {
		builtin_chargen_line(i, line, sizeof(line));
		assert_memory_equal(buf + i * 74, line, 74);
	}
	assert_int_equal(tw.tw_removed, 0);
	close(fd);
	test_run_until_removed(&sd, 1);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_daytime_answers_and_closes(void **state)
{
	struct superd sd;
	struct service *sv;
	char buf[64];
	size_t n;
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_DAYTIME);
	fd = test_session_pair(&sd, sv);
	test_run_until_removed(&sd, 1);
	assert_string_equal(tw.tw_status, "reason=done");
	n = test_read_all(fd, buf, sizeof(buf) - 1);
	assert_int_equal(n, 26);
	buf[n] = '\0';
	assert_memory_equal(buf + 24, "\r\n", 2);
	assert_int_equal(buf[3], ' ');
	assert_int_equal(buf[13], ':');
	close(fd);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_time_answers_four_bytes_and_closes(void **state)
{
	struct superd sd;
	struct service *sv;
	uint32_t before, answer, after;
	char buf[8];
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_TIME);
	before = builtin_time(time(NULL));
	fd = test_session_pair(&sd, sv);
	test_run_until_removed(&sd, 1);
	after = builtin_time(time(NULL));
	assert_string_equal(tw.tw_status, "reason=done");
	assert_int_equal(test_read_all(fd, buf, sizeof(buf)), 4);
	memcpy(&answer, buf, 4);
	answer = ntohl(answer);
	assert_true(answer >= before && answer <= after);
	close(fd);
	test_teardown(&sd, sv);
}

static void
test_builtin_stream_discard_drops_input_and_ends_on_eof(void **state)
{
	static char out[100000];
	struct superd sd;
	struct service *sv;
	char buf[16];
	int fd;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_DISCARD);
	fd = test_session_pair(&sd, sv);
	memset(out, 'd', sizeof(out));
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	/* The session reads as we write: all of it goes in, none comes back. */
	for (size_t sent = 0; sent < sizeof(out);) {
		ssize_t n = write(fd, out + sent, sizeof(out) - sent);

		if (n > 0)
			sent += (size_t)n;
		event_base_loop(sd.sd_base, EVLOOP_NONBLOCK);
	}
	assert_int_equal(read(fd, buf, sizeof(buf)), -1);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	test_run_until_removed(&sd, 1);
	assert_string_equal(tw.tw_status, "reason=eof");
	assert_int_equal(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	test_teardown(&sd, sv);
}

/* A connected loopback TCP pair: *CLIENT ours, the accepted end returned. */
static int
test_tcp_pair(int *client)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int lfd, fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	assert_true((*client = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(connect(*client, (struct sockaddr *)&sin, len), 0);
	assert_true((fd = accept(lfd, NULL, NULL)) >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	close(lfd);
	return fd;
}

static void
test_builtin_stream_peer_reset_ends_only_its_session(void **state)
{
	struct sockaddr_storage peer = test_peer4("127.0.0.1", 40000);
	struct linger lg = { 1, 0 };
	char buf[74 * 10], line[80];
	struct superd sd;
	struct service *sv;
	int a, b;

	(void)state;
	test_setup(&sd, &sv, BUILTIN_CHARGEN);
	assert_int_equal(builtin_stream(&sd, sv, test_tcp_pair(&a), &peer), 0);
	assert_int_equal(builtin_stream(&sd, sv, test_tcp_pair(&b), &peer), 0);
	test_read_exact(&sd, a, buf, sizeof(buf));
	/* A closes with SO_LINGER 0: an RST, while chargen is writing to it. */
	assert_int_equal(setsockopt(a, SOL_SOCKET, SO_LINGER, &lg,
	    sizeof(lg)), 0);
	close(a);
	test_run_until_removed(&sd, 1);
	assert_true(strcmp(tw.tw_status, "reason=reset") == 0 ||
	    strcmp(tw.tw_status, "reason=eof") == 0);
	/* B still gets its lines, from the start of the ring. */
	test_read_exact(&sd, b, buf, sizeof(buf));
	builtin_chargen_line(0, line, sizeof(line));
	assert_memory_equal(buf, line, 74);
	assert_int_equal(tw.tw_removed, 1);
	close(b);
	test_run_until_removed(&sd, 2);
	test_teardown(&sd, sv);
}

/* A UDP socket on 127.0.0.1, port PORT (0: ephemeral); its port in *BOUND. */
static int
test_udp_socket(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	if (bound != NULL)
		*bound = ntohs(sin.sin_port);
	return fd;
}

/* Send MSG from CLIENT to PORT on 127.0.0.1. */
static void
test_udp_send(int client, unsigned int port, const char *msg, size_t len)
{
	struct sockaddr_storage to = test_peer4("127.0.0.1", port);

	assert_int_equal(sendto(client, msg, len, 0, (struct sockaddr *)&to,
	    sizeof(struct sockaddr_in)), (ssize_t)len);
}

/* Send MSG from CLIENT to the service's port, then let the service read. */
static void
test_udp_ask(struct superd *sd, struct service *sv, int client,
    unsigned int port, const char *msg, size_t len)
{
	test_udp_send(client, port, msg, len);
	builtin_dgram(sd, sv);
}

/* A UDP service of KIND on loopback, and a client on an ephemeral port. */
static void
test_udp_setup(struct superd *sd, struct service **sv, enum builtin_kind kind,
    int *client, unsigned int *port)
{
	test_setup(sd, sv, kind);
	(*sv)->sv_fd = test_udp_socket(0, port);
	assert_true((*sv)->sv_fd >= 0);
	assert_true((*client = test_udp_socket(0, NULL)) >= 0);
}

/* Undo test_udp_setup. */
static void
test_udp_teardown(struct superd *sd, struct service *sv, int client)
{
	close(client);
	close(sv->sv_fd);
	test_teardown(sd, sv);
}

static void
test_builtin_dgram_echo_answers_loopback_ephemeral_port(void **state)
{
	struct superd sd;
	struct service *sv;
	unsigned int port;
	char buf[64];
	int client;

	(void)state;
	test_udp_setup(&sd, &sv, BUILTIN_ECHO, &client, &port);
	test_udp_ask(&sd, sv, client, port, "hi\n", 3);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), 3);
	assert_memory_equal(buf, "hi\n", 3);
	assert_int_equal(sv->sv_accepted, 1);
	assert_int_equal(service_run_refused(sv)[REFUSE_REFLECT], 0);
	/* Nothing left: the empty socket ends the batch at once. */
	builtin_dgram(&sd, sv);
	assert_int_equal(sv->sv_accepted, 1);
	test_udp_teardown(&sd, sv, client);
}

static void
test_builtin_dgram_answers_time_daytime_chargen(void **state)
{
	struct superd sd;
	struct service *sv;
	unsigned int port;
	char buf[1024];
	uint32_t t;
	ssize_t n;
	int client, i;

	(void)state;
	test_udp_setup(&sd, &sv, BUILTIN_TIME, &client, &port);
	test_udp_ask(&sd, sv, client, port, "", 0);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), 4);
	memcpy(&t, buf, 4);
	assert_true(ntohl(t) >= builtin_time(time(NULL)) - 5);
	service_conf_edit(sv)->sc_builtin = BUILTIN_DAYTIME;
	test_udp_ask(&sd, sv, client, port, "x", 1);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), 26);
	assert_memory_equal(buf + 24, "\r\n", 2);
	service_conf_edit(sv)->sc_builtin = BUILTIN_CHARGEN;
	for (i = 0; i < 20; i++) {
		test_udp_ask(&sd, sv, client, port, "x", 1);
		n = recv(client, buf, sizeof(buf), MSG_DONTWAIT);
		assert_true(n >= 1 && n <= 512);
		while (n-- > 0)
			assert_true(buf[n] == '\r' || buf[n] == '\n' ||
			    (buf[n] >= ' ' && buf[n] <= '~'));
	}
	service_conf_edit(sv)->sc_builtin = BUILTIN_DISCARD;
	test_udp_ask(&sd, sv, client, port, "x", 1);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(sv->sv_accepted, 23);
	test_udp_teardown(&sd, sv, client);
}

static void
test_builtin_dgram_refuses_privileged_source_port(void **state)
{
	struct superd sd;
	struct service *sv;
	unsigned int port, p;
	char buf[64];
	int client = -1;

	(void)state;
	if (geteuid() != 0) {
		printf("skip: binding a port below 1024 needs root\n");
		skip();
	}
	test_setup(&sd, &sv, BUILTIN_ECHO);
	sv->sv_fd = test_udp_socket(0, &port);
	for (p = 1023; p > 900 && client == -1; p--)
		client = test_udp_socket(p, NULL);
	assert_true(client >= 0);
	test_udp_ask(&sd, sv, client, port, "loop", 4);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(sv->sv_accepted, 0);
	assert_int_equal(service_run_refused(sv)[REFUSE_REFLECT], 1);
	test_udp_teardown(&sd, sv, client);
}

static void
test_builtin_dgram_refuses_source_outside_only_from(void **state)
{
	struct acl_entry only = { AF_INET, { 192, 0, 2, 0 }, 24 };
	struct superd sd;
	struct service *sv;
	unsigned int port;
	char buf[64];
	int client;

	(void)state;
	test_udp_setup(&sd, &sv, BUILTIN_ECHO, &client, &port);
	service_conf_rare(sv)->sc_only_from.acl_entries = &only;
	service_conf_rare(sv)->sc_only_from.acl_n = 1;
	test_udp_ask(&sd, sv, client, port, "hi", 2);
	assert_int_equal(recv(client, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(service_run_refused(sv)[REFUSE_ACL], 1);
	assert_int_equal(sv->sv_accepted, 0);
	service_conf_rare(sv)->sc_only_from.acl_entries = NULL;
	service_conf_rare(sv)->sc_only_from.acl_n = 0;
	test_udp_teardown(&sd, sv, client);
}

static void
test_builtin_dgram_reads_a_bounded_batch_per_event(void **state)
{
	struct superd sd;
	struct service *sv;
	unsigned int port;
	int client, i;

	(void)state;
	test_udp_setup(&sd, &sv, BUILTIN_DISCARD, &client, &port);
	for (i = 0; i < 100; i++)
		test_udp_send(client, port, "x", 1);
	builtin_dgram(&sd, sv);
	assert_int_equal(sv->sv_accepted, 32);
	for (i = 0; i < 10; i++)
		builtin_dgram(&sd, sv);
	assert_int_equal(sv->sv_accepted, 100);
	test_udp_teardown(&sd, sv, client);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_find_and_name_round_trip),
		cmocka_unit_test(test_builtin_daytime_is_ctime_like_with_crlf),
		cmocka_unit_test(test_builtin_time_counts_seconds_since_1900),
		cmocka_unit_test(
		    test_builtin_chargen_line_rotates_through_95_printables),
		cmocka_unit_test(
		    test_builtin_dgram_badport_refuses_reserved_ports_v4),
		cmocka_unit_test(
		    test_builtin_dgram_badport_refuses_non_unicast_sources_v4),
		cmocka_unit_test(test_builtin_dgram_badport_handles_v6),
		cmocka_unit_test(
		    test_builtin_dgram_badport_treats_v4_mapped_as_v4),
		cmocka_unit_test(
		    test_builtin_dgram_take_limits_replies_per_second),
		cmocka_unit_test(
		    test_builtin_stream_echo_returns_data_and_flushes_on_half_close),
		cmocka_unit_test(
		    test_builtin_stream_echo_bulk_survives_backpressure),
		cmocka_unit_test(
		    test_builtin_stream_echo_stops_reading_when_peer_does_not_read),
		cmocka_unit_test(test_builtin_stream_chargen_sends_rotating_lines),
		cmocka_unit_test(test_builtin_stream_daytime_answers_and_closes),
		cmocka_unit_test(
		    test_builtin_stream_time_answers_four_bytes_and_closes),
		cmocka_unit_test(
		    test_builtin_stream_discard_drops_input_and_ends_on_eof),
		cmocka_unit_test(
		    test_builtin_stream_peer_reset_ends_only_its_session),
		cmocka_unit_test(
		    test_builtin_dgram_echo_answers_loopback_ephemeral_port),
		cmocka_unit_test(test_builtin_dgram_answers_time_daytime_chargen),
		cmocka_unit_test(test_builtin_dgram_refuses_privileged_source_port),
		cmocka_unit_test(
		    test_builtin_dgram_refuses_source_outside_only_from),
		cmocka_unit_test(test_builtin_dgram_reads_a_bounded_batch_per_event),
	};

	/* A write to a peer that went away must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
