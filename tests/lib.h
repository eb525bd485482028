/*
 * tests/lib.h: helpers shared by the Check programs.
 */
#ifndef LOCKSTEP_TESTS_LIB_H
#define LOCKSTEP_TESTS_LIB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

/* Run one suite, print Check's summary, return the process exit status. */
static inline int
lib_run_suite(Suite *s)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}

/* Entries in a directory whose name starts with prefix (-1 if unreadable):
   used to assert that nothing was left in /dev/shm, /dev/mqueue or a temp
   dir after a run. */
static inline int
lib_count_entries(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (prefix == NULL || strncmp(de->d_name, prefix,
		    strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return (n);
}

/* Path of a source-tree file (tests run from the build dir; SRCDIR is set
   by the test harness). Returns a static buffer. */
static inline const char *
lib_srcpath(const char *rel)
{
	static char	 buf[4096];
	const char	*top = getenv("SRCDIR");

	snprintf(buf, sizeof buf, "%s/%s", top != NULL ? top : ".", rel);
	return (buf);
}

/*
 * A private temp dir per test program, made and removed by Check's parent
 * process (tcase_add_unchecked_fixture(tc, lib_setup_top,
 * lib_teardown_top)) so it goes away even when a test fails in its child,
 * and one per test inside it (tcase_add_checked_fixture(tc, lib_setup_tmp,
 * lib_teardown_tmp)); tests write in lib_tmpdir.
 */
static char	lib_topdir[256], lib_tmpdir[300];

static inline void
lib_rm_rf(const char *dir)
{
	char	cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static inline void
lib_setup_top(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(lib_topdir, sizeof lib_topdir, "%s/lockstep-test-XXXXXX",
	    t != NULL ? t : "/tmp");
	if (mkdtemp(lib_topdir) == NULL) {
		perror(lib_topdir);
		exit(1);
	}
}

static inline void
lib_teardown_top(void)
{
	lib_rm_rf(lib_topdir);
}

static inline void
lib_setup_tmp(void)
{
	snprintf(lib_tmpdir, sizeof lib_tmpdir, "%s/t-XXXXXX", lib_topdir);
	ck_assert_ptr_nonnull(mkdtemp(lib_tmpdir));
}

static inline void
lib_teardown_tmp(void)
{
	lib_rm_rf(lib_tmpdir);
}

#endif
