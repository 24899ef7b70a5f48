/*
 * sem-common.h - what several sem-*.c tests share: a child blocked in
 * semtimedop, the waiter whose wake-up (or not) the test then checks.
 */
#ifndef T_SEM_COMMON_H
#define T_SEM_COMMON_H

#include "helpers.h"

/*
 * Forks a child that calls semtimedop(id, ops, n) and exits 0 once the
 * call succeeds; failing, or still blocked after 5 s (scaled by
 * t_time_mult), it exits 1. Returns the child's pid once the child is
 * blocked, so that what the caller does next happens while it waits; the
 * caller reaps it (t_wait_ok, or t_wait_signal after killing it).
 */
static inline pid_t waiter_start(int id, struct sembuf *ops, size_t n)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, ops, n, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	return pid;
}

#endif
