/*
 * What the exporters (export-timeline.c, export-trace.c) share when they
 * fold a log into per-actor and per-queue state: the range an id may take,
 * the tables indexed by id that grow as ids appear, the run's extent, and
 * names copied out of records.  Private to src/log; export.h is the
 * exporters' public face.
 */
#ifndef TELAR_EXPORT_COMMON_H
#define TELAR_EXPORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/evlog.h"
#include "util/util.h"

/* Ids index arrays here; anything larger is taken for corruption. */
#define EXPORT_MAX_ID (1 << 20)

/* Whether an object of this kind (EV_OBJ_NEW's a) is a queue. */
bool export_is_queue_kind(int64_t kind);
/* 0 when 0 <= id < EXPORT_MAX_ID; else -1 with d ("actor", "object"). */
int export_check_id(int id, const char *what, struct diag *d);
/* Grows the table arr of *n elements of size bytes so that index id
 * exists, zero-filling the new ones; returns the (maybe moved) table. */
void *export_grow(void *arr, int *n, int id, size_t size);
/* Raises *steps and *max_time to the record's step and time. */
void export_extent(const struct ev *ev, uint64_t *steps, int64_t *max_time);
/* A NUL-terminated copy of len bytes of s.  Caller frees. */
char *export_dup_bytes(const char *s, size_t len);
/* Replaces *dst (freed) with a copy of len bytes of s. */
void export_set_name(char **dst, const char *s, size_t len);

#endif
