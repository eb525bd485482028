/*
 * explore/real.h: the search's executor on real threads and processes
 * (explore/real.c).
 */
#ifndef LOCKSTEP_EXPLORE_REAL_H
#define LOCKSTEP_EXPLORE_REAL_H

#include <stdint.h>

#include "explore/explore.h"
#include "model/model.h"
#include "runtime/headless.h"
#include "scenario/ast.h"
#include "trace/meta.h"

struct explore_real;

extern const struct explore_ops explore_real_ops;

struct explore_real	*explore_real_create(const struct scn_file *,
			    const struct trace_meta *);
void			 explore_real_free(struct explore_real *);
uint64_t		 explore_real_runs(const struct explore_real *);
/* Keep the events, strings and choices of each execution, so that the
   last one can be saved as a trace file (explore_real_save). */
void			 explore_real_keep(struct explore_real *, int on);
int			 explore_real_save(const struct explore_real *,
			    const char *path, char **cause);
/* The model of the execution under way (NULL between executions). */
const struct model	*explore_real_model(const struct explore_real *);
/* The outcome of a judged run, as the search keys it (key and detail
   allocated). */
void			 explore_real_outcome(const struct trace_meta *,
			    const struct headless_result *,
			    struct explore_outcome *);

#endif
