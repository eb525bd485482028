/*
 * export/jsonl.c: one JSON object per line per event, for scripts.
 *
 *   {"i":0,"t":0,"time":123456789,"type":"lock-wait","w":1,"worker":"t2",
 *    "o":0,"object":"A","a0":0,"a1":0,"seq":4}
 *
 * i is the event index (the N of `--at N` and of the replay screen), t the
 * nanoseconds since the first event, time the raw CLOCK_MONOTONIC stamp.
 * "o"/"object" appear only for types that name an object (for start and
 * join the object is a worker, named as such); PRINT, NOTE and ERROR carry
 * their text in "text". Last comes "what": the model's plain words for
 * the event (model_explain, the live view's caption), e.g. "t2 waits: A
 * is held by t1". Fields are always in this order, so line-oriented tools
 * (grep, jq -c) work as well as JSON parsers.
 */
#include <inttypes.h>
#include <stdio.h>

#include "export/export.h"
#include "model/model.h"
#include "util/json.h"
#include "util/utf8.h"

int
export_jsonl(FILE *out, const struct tracefile *tf, char **cause)
{
	const struct trace_event	*ev;
	struct model			*m;
	uint64_t			 i, t0;
	int				 ok;
	char				 what[512];

	(void)cause;
	m = model_create(&tf->meta);
	t0 = tf->nevents > 0 ? tf->events[0].time : 0;
	for (i = 0; i < tf->nevents; i++) {
		ev = &tf->events[i];
		fprintf(out, "{\"i\":%" PRIu64 ",\"t\":%" PRId64 ",\"time\":%"
		    PRIu64 ",\"type\":\"%s\"", i, (int64_t)(ev->time - t0),
		    ev->time, trace_event_name(ev->type));
		if (ev->worker < tf->meta.nworkers) {
			fprintf(out, ",\"w\":%u,\"worker\":", ev->worker);
			json_string(out, export_worker_name(tf,
			    ev->worker));
		}
		switch (trace_event_refers(ev->type)) {
		case TRACE_REFERS_NOTHING:
			break;
		case TRACE_REFERS_OBJECT:
			fprintf(out, ",\"o\":%u,\"object\":", ev->object);
			json_string(out, export_object_name(tf,
			    ev->object));
			break;
		case TRACE_REFERS_WORKER:
			fprintf(out, ",\"o\":%u,\"object\":", ev->object);
			json_string(out, export_worker_name(tf,
			    ev->object));
			break;
		}
		fprintf(out, ",\"a0\":%" PRId64 ",\"a1\":%" PRId32 ",\"seq\":%"
		    PRIu32, ev->a0, ev->a1, ev->seq);
		ok = ev->type == TRACE_PRINT || ev->type == TRACE_NOTE ||
		    ev->type == TRACE_ERROR;
		if (ok && tracefile_string(tf, ev->a0) != NULL) {
			fputs(",\"text\":", out);
			json_string(out, tracefile_string(tf, ev->a0));
		}
		model_apply(m, ev);
		what[0] = '\0';
		model_explain(m, ev, what, sizeof what);
		fputs(",\"what\":", out);
		json_string(out, what);
		fputs("}\n", out);
	}
	model_free(m);
	return (0);
}
