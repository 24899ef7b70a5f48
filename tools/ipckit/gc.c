/*
 * gc.c - `ipckit gc`: gives back what dead processes left in the
 * namespace (ipckit__reap_all), one line per action. --dry-run changes
 * nothing: the namespace-level actions are reported by reap_all itself,
 * and what each live object would give back is read from snapshots.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note(const char *what, void *arg)
{
	int *n = arg;
	printf("%s\n", what);
	(*n)++;
}

/* What reaping would give back in one object, from its snapshot. */
static int would_reap(const struct ipckit_snap *s)
{
	int n = 0;
	if (s->status != IPCKIT_SNAP_OK)
		return 0;
	for (size_t i = 0; s->kind == IPCKIT_KIND_MSG && i < s->msg.nwaiters;
	     i++) {
		const struct ipckit_snap_waiter *w = &s->msg.waiters[i];
		if (!w->proc.dead)
			continue;
		printf("would give back %s (id %d): %s pid %d is dead%s\n",
		       s->name, s->id, w->sender ? "sender" : "receiver",
		       w->proc.pid,
		       w->handed ? "; its handed message goes back on the "
				   "queue"
				 : "");
		n++;
	}
	for (size_t i = 0; s->kind == IPCKIT_KIND_SEM && i < s->sem.nwaiters;
	     i++) {
		const struct ipckit_snap_semwait *w = &s->sem.waiters[i];
		if (!w->proc.dead)
			continue;
		printf("would give back %s (id %d): semop of dead pid %d\n",
		       s->name, s->id, w->proc.pid);
		n++;
	}
	for (size_t i = 0; s->kind == IPCKIT_KIND_SEM && i < s->sem.nundo;
	     i++) {
		const struct ipckit_snap_undo *u = &s->sem.undo[i];
		if (!u->proc.dead)
			continue;
		printf("would give back %s (id %d): undo of dead pid %d "
		       "(%u adjustments)\n",
		       s->name, s->id, u->proc.pid, u->nadj);
		n++;
	}
	for (size_t i = 0; s->kind == IPCKIT_KIND_SHM && i < s->shm.natts;
	     i++) {
		const struct ipckit_snap_att *a = &s->shm.atts[i];
		if (!a->proc.dead || a->pending)
			continue;
		printf("would give back %s (id %d): %u attaches of dead pid "
		       "%d\n",
		       s->name, s->id, a->count, a->proc.pid);
		n++;
	}
	if (s->kind == IPCKIT_KIND_SHM && s->shm.dest &&
	    s->shm.live_nattch == 0) {
		printf("would destroy %s (id %d): removed, no attachment "
		       "left\n",
		       s->name, s->id);
		n++;
	}
	return n;
}

int cmd_gc(int argc, char **argv)
{
	enum { O_DIR = 256 };
	static const struct option opts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	bool dry = false;
	int c;
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			dry = true;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (optind < argc)
		usage_fail("unexpected argument '%s'", argv[optind]);
	if (!ns_exists()) {
		printf("nothing to do: %s does not exist\n", ns_path());
		return 0;
	}
	int notes = 0;
	int rc = ipckit__reap_all(note, &notes, dry);
	if (rc < 0)
		fail(ns_path(), -rc);
	if (dry) {
		struct objlist l = {0};
		collect(&l, SRC_IPCKIT, KINDS_ALL, false);
		for (size_t i = 0; i < l.n; i++)
			rc += would_reap(l.v[i].snap);
		objlist_free(&l);
	}
	if (rc == 0 && notes)
		printf("no repairs %s\n", dry ? "would be made" : "made");
	else if (rc == 0)
		printf("nothing to do\n");
	else
		printf("%d repair%s%s\n", rc, rc == 1 ? "" : "s",
		       dry ? " would be made" : " made");
	return 0;
}
