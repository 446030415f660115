/* SPDX-License-Identifier: ISC */
/*
 * How a child tells a set-up failure from its server's own exit status.
 * Before it starts, each child gets one word of a ring shared with every
 * child (MAP_SHARED, so a forked child writes into it too, and one started
 * in our memory simply does); only a failing child writes its CHILD_EXIT_*
 * code there before it exits.  The success path costs no system call: exec
 * leaves the word at 0.  At reap, an exit status in the set-up range is a
 * set-up failure only when the child's word says so.
 */
#include <sys/mman.h>
#include <stdlib.h>

#include "superd.h"

#define SPAWN_REPORTS 1024 /* children started before a word is reused */

/* One child's word. */
struct spawn_report {
	pid_t sr_pid;	      /* the child, once started; 0 before */
	volatile int sr_code; /* CHILD_EXIT_* written by the child, 0 none */
};

static struct spawn_report *spawn_reports; /* the shared ring */
static struct spawn_report spawn_reports_private[SPAWN_REPORTS];
static unsigned spawn_report_next;	  /* next word handed out */

/* The ring, mapped on first use; a private one if mmap fails (logged). */
static struct spawn_report *
spawn_report_ring(void)
{
	void *p;

	if (spawn_reports != NULL)
		return spawn_reports;
	p = mmap(NULL, sizeof(spawn_reports_private), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_warn("event=spawn reason=\"no shared page: a forked child's set-up failure is logged as its exit status\"");
		p = spawn_reports_private;
	}
	return spawn_reports = p;
}

/* A cleared word for the next child to report into. */
volatile int *
spawn_report_take(void)
{
	struct spawn_report *r;

	r = &spawn_report_ring()[spawn_report_next++ % SPAWN_REPORTS];
	r->sr_pid = 0;
	r->sr_code = 0;
	return &r->sr_code;
}

/* The word WORD now belongs to the started child PID. */
void
spawn_report_own(volatile int *word, pid_t pid)
{
	struct spawn_report *r = (struct spawn_report *)((char *)word -
	    offsetof(struct spawn_report, sr_code));

	r->sr_pid = pid;
}

/* The set-up failure child PID reported (its word cleared), or 0. */
int
spawn_report_find(pid_t pid)
{
	size_t i;
	int code;

	for (i = 0; spawn_reports != NULL && i < SPAWN_REPORTS; i++)
		if (spawn_reports[i].sr_pid == pid) {
			code = spawn_reports[i].sr_code;
			spawn_reports[i].sr_pid = 0;
			spawn_reports[i].sr_code = 0;
			return code;
		}
	return 0;
}
