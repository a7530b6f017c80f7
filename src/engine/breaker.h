/*
 * The eval-breaker hook (breaker.c): run a C function at the next
 * eval-breaker check of CPython's main thread.
 */
#ifndef TELAR_ENGINE_BREAKER_H
#define TELAR_ENGINE_BREAKER_H

#include <stdbool.h>

struct breaker_queue;

/* The main interpreter's queue.  Call it with the GIL. */
struct breaker_queue *breaker__queue(void);

/* Queue fn(arg) to run at the main thread's next eval-breaker check, and
 * after it an empty entry, where CPython's batch of pending calls stops
 * (make_pending_calls), so that fn may queue itself again for the check
 * after.  False when CPython's queue is full.  Call it on the main thread,
 * with the GIL, while no other thread runs Python: the queue's lock is not
 * taken. */
bool breaker__push(struct breaker_queue *q, int (*fn)(void *), void *arg);

/* An exception ended the main module with KeyboardInterrupt. */
void breaker__unhandled_keyboard_interrupt(void);

#endif
