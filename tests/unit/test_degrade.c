/* SPDX-License-Identifier: ISC */
/*
 * No fatal exit after start-up: when libevent cannot allocate an event,
 * listen_arm, listen_backoff and the audit schedule say so and return, and
 * the daemon goes on serving; when accept4 finds no descriptor, the
 * listener pauses for a second instead of spinning on a readable socket.
 */
// WRAP: event_new accept4
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "superd.h"

struct event *__real_event_new(struct event_base *, evutil_socket_t, short,
    event_callback_fn, void *);

int __real_accept4(int, struct sockaddr *, socklen_t *, int);

static int fail_events; /* event_new fails while set */
static int accept_errno; /* accept4 fails with it while non-zero */
static int accept_calls; /* accept4 calls made */

/* accept4, failing with accept_errno on demand. */
int
__wrap_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	accept_calls++;
	if (accept_errno != 0) {
		errno = accept_errno;
		return -1;
	}
	return __real_accept4(fd, sa, len, flags);
}

/* event_new, failing on demand as out of memory would. */
struct event *
__wrap_event_new(struct event_base *base, evutil_socket_t fd, short what,
    event_callback_fn cb, void *arg)
{
	if (fail_events)
		return NULL;
	return __real_event_new(base, fd, what, cb, arg);
}

/* A daemon with an event base and one service on a UDP socket. */
static void
setup(struct superd *sd, struct service **svp)
{
	struct service *sv;

	memset(sd, 0, sizeof(*sd));
	sd->sd_base = event_base_new();
	assert_non_null(sd->sd_base);
	sd->sd_tab = svctab_new();
	assert_non_null(sd->sd_tab);
	sv = service_new("t", "t.conf", 1);
	assert_non_null(sv);
	sv->sv_socktype = SOCK_DGRAM;
	sv->sv_proto = IPPROTO_UDP;
	sv->sv_sd = sd;
	sv->sv_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(sv->sv_fd >= 0);
	TAILQ_INSERT_TAIL(&sd->sd_tab->st_services, sv, sv_entry);
	*svp = sv;
}

/* Release what setup made. */
static void
teardown(struct superd *sd)
{
	struct service *sv;

	TAILQ_FOREACH(sv, &sd->sd_tab->st_services, sv_entry)
		listen_close(sv);
	listen_set_free(sd);
	svctab_free(sd->sd_tab);
	event_base_free(sd->sd_base);
}

static void
test_listen_arm_fails_without_exit(void **state)
{
	struct superd sd;
	struct service *sv;

	(void)state;
	setup(&sd, &sv);
	fail_events = 1;
	assert_int_equal(listen_arm(&sd, sv), -1);
	assert_false(sv->sv_armed);
	fail_events = 0;
	assert_int_equal(listen_arm(&sd, sv), 0);
	assert_true(sv->sv_armed);
	teardown(&sd);
}

static void
test_backoff_without_timer_keeps_serving(void **state)
{
	struct superd sd;
	struct service *sv;

	(void)state;
	setup(&sd, &sv);
	assert_int_equal(listen_arm(&sd, sv), 0);
	fail_events = 1;
	listen_backoff(sv, 10, "test");
	fail_events = 0;
	assert_false(listen_backing_off(sv));
	assert_int_equal(sv->sv_paused, 0);
	listen_backoff(sv, 10, "test");
	assert_true(listen_backing_off(sv));
	assert_int_equal(sv->sv_paused, 1);
	teardown(&sd);
}

static void
test_audit_schedule_without_timer(void **state)
{
	struct superd sd;
	struct service *sv;

	(void)state;
	setup(&sd, &sv);
	sd.sd_tab->st_globals.gl_selfcheck_interval = 3600;
	fail_events = 1;
	audit_schedule(&sd);
	fail_events = 0;
	assert_null(sd.sd_audit_ev);
	selfcheck_state_free(sd.sd_audit);
	teardown(&sd);
}

/*
 * Each of EMFILE, ENFILE, ENOBUFS and ENOMEM from accept4 pauses the
 * stream listener with reason accept-no-descriptors after one call: the
 * descriptor reserve refuses first in practice, so no end-to-end test
 * reaches this path.
 */
static void
test_accept_without_descriptors_pauses_listener(void **state)
{
	static const int errs[] = { EMFILE, ENFILE, ENOBUFS, ENOMEM };
	struct superd sd;
	struct service *sv;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		setup(&sd, &sv);
		sv->sv_socktype = SOCK_STREAM;
		sv->sv_proto = IPPROTO_TCP;
		assert_int_equal(listen_arm(&sd, sv), 0);
		accept_errno = errs[i];
		accept_calls = 0;
		accept_stream(&sd, sv);
		accept_errno = 0;
		assert_int_equal(accept_calls, 1);
		assert_int_equal(sv->sv_paused, 1);
		assert_string_equal(sv->sv_run->ru_pause_reason,
		    "accept-no-descriptors");
		teardown(&sd);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_arm_fails_without_exit),
		cmocka_unit_test(test_backoff_without_timer_keeps_serving),
		cmocka_unit_test(test_audit_schedule_without_timer),
		cmocka_unit_test(test_accept_without_descriptors_pauses_listener),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
