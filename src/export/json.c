/*
 * export/json.c: names of workers and objects for the exporters. (JSON
 * strings are written by util/json.c, UTF-8 is checked by util/utf8.c.)
 */
#include <stdio.h>

#include "export/export.h"

const char *
export_worker_name(const struct tracefile *tf, unsigned w)
{
	if (w >= tf->meta.nworkers)
		return ("?");
	return (tf->meta.workers[w].name);
}

const char *
export_object_name(const struct tracefile *tf, unsigned o)
{
	if (o >= tf->meta.nobjects)
		return ("?");
	return (tf->meta.objects[o].name);
}
