/*
 * A typical stream of event-log records, for the density unit test and the
 * event-log benchmark: they must measure the same mix.
 */
#ifndef TELAR_EVMIX_H
#define TELAR_EVMIX_H

#include <stdint.h>

#include "log/evlog.h"

/* Append n records: mostly positions, states and switches of a handful of
 * threads, a tick of virtual time per step; some queue traffic, output
 * and the occasional sleep with a deadline.  Deterministic. */
void evmix_write(struct evlog *log, uint64_t n);

#endif
