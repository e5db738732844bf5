/* controller.h — plays one scenario file. */
#ifndef LR_CONTROLLER_H
#define LR_CONTROLLER_H

#include <stdbool.h>

/* Process-wide set-up for the controller: child subreaper, signals. */
void controller_init(void);

/* Runs the scenario in `path`, printing its transcript on stdout. Returns 0,
 * 1 (an inline expectation differed, with check set) or 2 (scenario error,
 * or the runner could not run it). */
int controller_run_file(const char *path, bool check);

/* The signal that interrupted the run (SIGINT, SIGTERM, SIGHUP), or 0. */
int controller_interrupted(void);

#endif
