/*
 * preload/trace-source.h: the live view's event source over a traced
 * program (ui/source.h). It does not own the tracer.
 */
#ifndef LOCKSTEP_PRELOAD_TRACE_SOURCE_H
#define LOCKSTEP_PRELOAD_TRACE_SOURCE_H

#include "preload/tracer.h"
#include "ui/source.h"

struct ui_source	*trace_source_create(struct tracer *);

#endif
