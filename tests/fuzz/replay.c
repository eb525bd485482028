/*
 * tests/fuzz/replay.c: run fuzz inputs without libFuzzer.
 *
 * With no argument, feeds every file of $SRCDIR/tests/fuzz/corpus through
 * LLVMFuzzerTestOneInput (make check runs it so the seeds, and every
 * crasher added to them, stay fixed in every build, sanitizers included);
 * with arguments, feeds those files or directories (to reproduce a crash
 * under gdb or valgrind).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, size = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return (-1);
	}
	for (;;) {
		if (len == size) {
			size = size == 0 ? 65536 : size * 2;
			if ((buf = realloc(buf, size)) == NULL)
				abort();
		}
		if ((n = fread(buf + len, 1, size - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return (0);
}

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* A file, or every file of a directory in name order; count in *n. */
static int
replay_path(const char *path, int *n)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, full[4096];
	size_t		 nnames = 0, i;
	int		 rc = 0;

	if (stat(path, &sb) == -1) {
		perror(path);
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		(*n)++;
		return (replay_file(path));
	}
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (nnames + 1) * sizeof *names)) ==
		    NULL || (names[nnames] = strdup(de->d_name)) == NULL)
			abort();
		nnames++;
	}
	closedir(d);
	qsort(names, nnames, sizeof *names, name_cmp);
	for (i = 0; i < nnames; i++) {
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		if (replay_path(full, n) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return (rc);
}

int
main(int argc, char **argv)
{
	const char	*top = getenv("SRCDIR");
	char		 dir[4096];
	int		 i, n = 0, rc = 0;

	if (argc < 2) {
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus",
		    top != NULL ? top : ".");
		rc = replay_path(dir, &n);
	}
	for (i = 1; i < argc; i++) {
		if (replay_path(argv[i], &n) != 0)
			rc = -1;
	}
	printf("replayed %d inputs\n", n);
	if (n == 0) {
		fprintf(stderr, "no inputs found\n");
		return (1);
	}
	return (rc == 0 ? 0 : 1);
}
