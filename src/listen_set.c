/* SPDX-License-Identifier: ISC */
/*
 * The listeners' set: every listening socket the loop watches is in one
 * epoll set of its own, whose descriptor is one libevent read event.  A
 * listener then costs the daemon no libevent event (128 bytes and its
 * entry in libevent's descriptor map) but an entry in the kernel's set,
 * which points back to its service.  Level-triggered, as libevent's
 * events were: a listener left readable is reported again.
 */
#include <sys/epoll.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define LISTEN_SET_BATCH 64 /* listeners served per wake-up, at most */

/* The set of one daemon. */
struct listen_set {
	int ls_fd;			  /* the epoll set */
	struct event *ls_ev;		  /* read event on ls_fd */
	void (*ls_ready)(struct service *); /* a listener is readable */
};

/* The set is readable: serve each readable listener still watched. */
static void
listen_set_ready(evutil_socket_t fd, short what, void *arg)
{
	struct epoll_event ev[LISTEN_SET_BATCH];
	struct listen_set *ls = arg;
	struct service *sv;
	int i, n;

	(void)what;
	n = epoll_wait(fd, ev, LISTEN_SET_BATCH, 0);
	for (i = 0; i < n; i++) {
		sv = ev[i].data.ptr;
		/* An earlier one of the batch may have paused it. */
		if (sv->sv_watched)
			ls->ls_ready(sv);
	}
}

/*
 * The set of SD, made on first use, READY called for each readable
 * listener; 0, or -1 (errno set) when it cannot be made.
 */
int
listen_set_open(struct superd *sd, void (*ready)(struct service *))
{
	struct listen_set *ls;

	if (sd->sd_lset != NULL)
		return 0;
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return -1;
	ls->ls_ready = ready;
	if ((ls->ls_fd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(ls);
		return -1;
	}
	if ((ls->ls_ev = event_new(sd->sd_base, ls->ls_fd, EV_READ | EV_PERSIST,
	    listen_set_ready, ls)) == NULL || event_add(ls->ls_ev, NULL) == -1) {
		if (ls->ls_ev != NULL)
			event_free(ls->ls_ev);
		close(ls->ls_fd);
		free(ls);
		errno = ENOMEM;
		return -1;
	}
	sd->sd_lset = ls;
	return 0;
}

/* Watch the open listener of SV (in the set of its daemon); 0 or -1. */
int
listen_set_add(struct service *sv)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = sv };
	struct listen_set *ls = sv->sv_sd->sd_lset;

	if (sv->sv_watched)
		return 0;
	if (ls == NULL || epoll_ctl(ls->ls_fd, EPOLL_CTL_ADD, sv->sv_fd,
	    &ev) == -1)
		return -1;
	sv->sv_watched = 1;
	return 0;
}

/*
 * Stop watching the listener of SV.  Before its socket is closed: a child
 * may hold the same socket, which would keep it in the set.
 */
void
listen_set_del(struct service *sv)
{
	if (!sv->sv_watched)
		return;
	(void)epoll_ctl(sv->sv_sd->sd_lset->ls_fd, EPOLL_CTL_DEL, sv->sv_fd,
	    NULL);
	sv->sv_watched = 0;
}

/* Free the set of SD (before its event base). */
void
listen_set_free(struct superd *sd)
{
	struct listen_set *ls = sd->sd_lset;

	if (ls == NULL)
		return;
	event_free(ls->ls_ev);
	close(ls->ls_fd);
	free(ls);
	sd->sd_lset = NULL;
}
