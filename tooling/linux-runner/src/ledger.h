/* ledger.h — an account of what a run made on the host, for whoever must
 * check that it is all gone afterwards (the self-test). With the environment
 * variable LINUX_RUNNER_LEDGER set to a file name, the controller appends one
 * line per host object as it makes it:
 *
 *     dir PATH              a scratch directory
 *     shm-token TOKEN       every /dev/shm entry whose name starts with TOKEN
 *     shm NAME              a /dev/shm entry made without the token
 *     pid PID START         a scenario process; START is its start time
 *                           (field 22 of /proc/PID/stat), so a later process
 *                           that reuses the pid is not mistaken for it
 *
 * Without the variable nothing is written. */
#ifndef LR_LEDGER_H
#define LR_LEDGER_H

#include <sys/types.h>

/* Appends one line (a '\n' is added). Errors are ignored: the ledger is a
 * diagnostic, never a reason to change a transcript. */
void ledger_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Appends "pid PID START" for a process of ours. */
void ledger_note_pid(pid_t pid);

#endif
