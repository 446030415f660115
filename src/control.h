/* SPDX-License-Identifier: ISC */
/*
 * The control socket's private state, shared by control.c (the socket and
 * its clients) and control_status.c (the status reply).
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <jansson.h>

#include "superd.h"

#define CONTROL_REQ_MAX 4096	  /* bytes of one request line */
#define CONTROL_OUT_MAX 262144	  /* queued reply bytes before reading stops */
#define CONTROL_CLIENTS_MAX 16	  /* concurrent control clients */
#define CONTROL_IDLE 30		  /* seconds a client may stay silent or stuck */
#define CONTROL_TAP_MAX 256	  /* log lines one reload returns */

/* One connected control client. */
struct control_client {
	LIST_ENTRY(control_client) cc_entry; /* in the control's list */
	struct bufferevent *cc_bev;	     /* its connection */
	struct control *cc_ctl;		     /* the control it belongs to */
	int cc_closing;			     /* free once the reply is out */
	int cc_stop;			     /* stop the daemon once it is out */
};
LIST_HEAD(control_clients, control_client);

/* The control socket of a daemon. */
struct control {
	struct superd *ct_sd;		  /* the daemon */
	char *ct_path;			  /* socket path */
	int ct_fd;			  /* listening socket */
	dev_t ct_dev;			  /* device of the socket file */
	ino_t ct_ino;			  /* its inode: removed only if still ours */
	struct event *ct_ev;		  /* read event on ct_fd */
	struct control_clients ct_clients; /* connected clients */
	int ct_nclients;		  /* entries of ct_clients */
	time_t ct_start;		  /* wall-clock start of the daemon */
	time_t ct_reload_time;		  /* wall clock of the last reload, 0 none */
	int ct_reload_ok;		  /* its result */
	const char *ct_reload_source;	  /* "signal" or "control" */
	int ct_nreloads;		  /* reloads since start */
	time_t ct_audit_time;		  /* wall clock of the last audit, 0 none */
	int ct_audit_status;		  /* its SELFCHECK_* status */
};

/* control_status.c */
json_t *control_status(struct superd *);

#endif /* CONTROL_H */
