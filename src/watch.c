/* SPDX-License-Identifier: ISC */
/*
 * reload_on_change = yes: reload when a configuration file changes,
 * without a manual step: what update-inetd writes into /etc/inetd.conf
 * (it renames a finished copy over it) takes effect by itself, as a
 * SIGHUP would make it.  The Debian package turns it on.
 *
 * inotify watches the directory of every file the last load read, every
 * directory an include searched, and the directory of every include glob
 * (svctab's st_watch), so that a file added to, renamed into or removed
 * from it later counts as the files the glob matched at load.  Only a file
 * that is complete counts: one renamed into place (IN_MOVED_TO) or closed
 * after writing (IN_CLOSE_WRITE), or one deleted; a file still being
 * written is never read.  Changes that come together settle for
 * WATCH_SETTLE_MS, then one reload runs; a reload that fails keeps the
 * old services, as for SIGHUP.  The watches follow the new table.
 */
#include <sys/inotify.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "superd.h"

#define WATCH_SETTLE_MS 500 /* quiet time after the last change */
#define WATCH_DIRS 64	    /* directories watched at most */

/* One watched directory. */
struct watch_dir {
	int wd_wd;	    /* inotify watch descriptor */
	char *wd_path;	    /* the directory, with a trailing '/' */
};

/* The watcher of the daemon: one, for its life. */
struct watch {
	int w_fd;			  /* inotify descriptor */
	struct event *w_ev;		  /* read event on w_fd */
	struct event *w_timer;		  /* the settle timer */
	struct watch_dir w_dirs[WATCH_DIRS]; /* w_ndirs used */
	int w_ndirs;			  /* directories watched */
	struct superd *w_sd;		  /* whose table and reload */
};
static struct watch *watch_one;

/* Drop every watch. */
static void
watch_clear(struct watch *w)
{
	int i;

	for (i = 0; i < w->w_ndirs; i++) {
		(void)inotify_rm_watch(w->w_fd, w->w_dirs[i].wd_wd);
		free(w->w_dirs[i].wd_path);
	}
	w->w_ndirs = 0;
}

/* Watch directory DIR (with a trailing '/') unless it is watched. */
static void
watch_add(struct watch *w, const char *dir)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	int i, wd;

	for (i = 0; i < w->w_ndirs; i++)
		if (strcmp(w->w_dirs[i].wd_path, dir) == 0)
			return;
	if (w->w_ndirs == WATCH_DIRS || n == 0 || n >= sizeof(path))
		return;
	memcpy(path, dir, n);
	path[n > 1 ? n - 1 : n] = '\0';
	wd = inotify_add_watch(w->w_fd, path, IN_MOVED_TO | IN_CLOSE_WRITE |
	    IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR);
	if (wd == -1) {
		log_warn("event=watch dir=%s", path);
		return;
	}
	w->w_dirs[w->w_ndirs].wd_wd = wd;
	if ((w->w_dirs[w->w_ndirs].wd_path = strdup(dir)) == NULL) {
		(void)inotify_rm_watch(w->w_fd, wd);
		return;
	}
	w->w_ndirs++;
}

/*
 * Watch what the current table was read from, when it sets
 * reload_on_change (started or stopped as the table says).
 */
void
watch_rebuild(struct superd *sd)
{
	struct watch *w;
	char dir[PATH_MAX], *const *p;
	const char *slash;

	if (sd->sd_tab == NULL || !sd->sd_tab->st_globals.gl_watch) {
		if (watch_one != NULL)
			log_info("event=watch state=off reason=\"reload_on_change = no\"");
		watch_stop();
		return;
	}
	if (watch_one == NULL)
		watch_start(sd);
	if ((w = watch_one) == NULL)
		return;
	watch_clear(w);
	for (p = sd->sd_tab->st_watch; p != NULL && *p != NULL; p++) {
		slash = strrchr(*p, '/');
		if (slash == NULL || (size_t)(slash - *p) + 2 > sizeof(dir))
			continue;
		memcpy(dir, *p, (size_t)(slash - *p) + 1);
		dir[slash - *p + 1] = '\0';
		watch_add(w, dir);
	}
}

/*
 * Whether NAME in directory DIR is a file, a match of an include glob (as
 * glob(3) matches: no leading '.' unless the pattern has it), or in a
 * directory, that counts.
 */
static int
watch_matters(const struct superd *sd, const char *dir, const char *name)
{
	char *const *p;
	size_t n = strlen(dir), len = strlen(name);

	for (p = sd->sd_tab->st_watch; p != NULL && *p != NULL; p++) {
		if (strncmp(*p, dir, n) != 0 || strchr(*p + n, '/') != NULL)
			continue;
		if (strcmp(*p + n, name) == 0 ||
		    fnmatch(*p + n, name, FNM_PERIOD) == 0)
			return 1;
		/* A directory an include reads: any *.conf in it. */
		if ((*p)[n] == '\0' && len > 5 &&
		    strcmp(name + len - 5, ".conf") == 0)
			return 1;
	}
	return 0;
}

/* The directory of watch descriptor WD, or NULL. */
static const char *
watch_dir_of(const struct watch *w, int wd)
{
	int i;

	for (i = 0; i < w->w_ndirs; i++)
		if (w->w_dirs[i].wd_wd == wd)
			return w->w_dirs[i].wd_path;
	return NULL;
}

/* Changes are in: (re)start the settle timer. */
static void
watch_changed(struct watch *w, const char *dir, const char *name)
{
	struct timeval tv = { 0, WATCH_SETTLE_MS * 1000 };

	log_debug("event=config-changed file=%s%s", dir, name);
	evtimer_add(w->w_timer, &tv);
}

/* The inotify descriptor is readable: look at what changed. */
static void
watch_read(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ev;
	const char *dir;
	ssize_t n;
	char *p;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (ev->len == 0 || (ev->mask & IN_ISDIR) ||
			    (dir = watch_dir_of(w, ev->wd)) == NULL)
				continue;
			if (watch_matters(w->w_sd, dir, ev->name))
				watch_changed(w, dir, ev->name);
		}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("event=watch reason=read");
}

/* The changes have settled: reload, then watch what the new table read. */
static void
watch_settled(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;

	(void)fd;
	(void)what;
	log_info("event=config-changed action=reload");
	if (w->w_sd->sd_reload != NULL)
		w->w_sd->sd_reload(w->w_sd, "watch");
}

/* Start watching the files of SD's table; a failure is logged, not fatal. */
void
watch_start(struct superd *sd)
{
	struct watch *w;

	if (watch_one != NULL || sd->sd_tab == NULL ||
	    !sd->sd_tab->st_globals.gl_watch)
		return;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return;
	if ((w->w_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		log_warn("event=watch reason=\"inotify: config changes need "
		    "SIGHUP\"");
		free(w);
		return;
	}
	w->w_sd = sd;
	w->w_ev = event_new(sd->sd_base, w->w_fd, EV_READ | EV_PERSIST,
	    watch_read, w);
	w->w_timer = evtimer_new(sd->sd_base, watch_settled, w);
	if (w->w_ev == NULL || w->w_timer == NULL ||
	    event_add(w->w_ev, NULL) == -1) {
		log_warnx("event=watch reason=\"cannot watch: config changes "
		    "need SIGHUP\"");
		watch_one = w;
		watch_stop();
		return;
	}
	watch_one = w;
	watch_rebuild(sd);
	log_info("event=watch state=on directories=%d", w->w_ndirs);
}

/* Stop watching. */
void
watch_stop(void)
{
	struct watch *w = watch_one;

	if (w == NULL)
		return;
	watch_clear(w);
	if (w->w_ev != NULL)
		event_free(w->w_ev);
	if (w->w_timer != NULL)
		event_free(w->w_timer);
	close(w->w_fd);
	free(w);
	watch_one = NULL;
}
