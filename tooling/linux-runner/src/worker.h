/* worker.h — a scenario process: it runs the operations the controller sends
 * it on its channel, in its own address space and fd table. */
#ifndef LR_WORKER_H
#define LR_WORKER_H

/* Serves requests on channel fd `chan` until the channel closes or an exit
 * request. Never returns. */
void worker_main(int chan) __attribute__((noreturn));

/* Entry point of a worker that has just called execve: `fdarg` is its
 * channel fd (which survived the exec). Answers the exec request, then
 * serves. Returns only on bad arguments. */
int worker_resume(const char *fdarg);

#endif
