/*
 * export/export.h: a trace file in the formats of other tools.
 *
 *   chrome  Chrome Trace Event JSON (Perfetto UI, chrome://tracing): one
 *           track per worker, blocked intervals as slices named by the
 *           object waited on, flow arrows from a release to the acquire it
 *           unblocked, instant events for detections.
 *   dot     the wait-for graph after N events (default: all) for Graphviz,
 *           the deadlock cycle in red.
 *   jsonl   one JSON object per event, for scripts.
 *
 * Each writes to out and returns 0, or -1 with *cause set (an output error
 * is left for the caller to find with ferror()). The trace file has been
 * checked by the reader, so every index in it is valid.
 */
#ifndef LOCKSTEP_EXPORT_EXPORT_H
#define LOCKSTEP_EXPORT_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "export/tracefile.h"

#define EXPORT_AT_END	UINT64_MAX

int	export_chrome(FILE *out, const struct tracefile *, char **cause);
int	export_dot(FILE *out, const struct tracefile *, uint64_t at,
	    char **cause);
int	export_jsonl(FILE *out, const struct tracefile *, char **cause);

/* Name of worker w or object o of the trace ("?" if out of range). */
const char *export_worker_name(const struct tracefile *, unsigned w);
const char *export_object_name(const struct tracefile *, unsigned o);

#endif
