/*
 * tests/check_parse.c: the scenario language front end.
 *
 * Valid text must come out as the expected AST (kinds, names, resolved
 * references, durations, positions, notes, print parts, expectations) and
 * the expected run tables (scenario_meta_build); invalid text must give
 * exactly the expected first error at exactly the expected line:col. The
 * seed corpus of the fuzzer is loaded too: valid-*.scn must load cleanly,
 * invalid-*.scn must fail, with the errors listed in their "#! " lines.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "scenario/ast.h"
#include "trace/event.h"
#include "trace/meta.h"

/* Load text that must be valid; print the errors if it is not. */
static struct scn_file *
load_ok(const char *text)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;

	f = scenario_load_text("t.scn", text, strlen(text), &d);
	if (f == NULL)
		scenario_diags_print(&d, "t.scn", NULL, stderr);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(d.n, 0);
	scenario_diags_done(&d);
	return (f);
}

/* Load text that must fail; the first error must be line:col: msg. */
static void
load_bad_len(const char *text, size_t len, int line, int col, const char *msg)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;

	f = scenario_load_text("t.scn", text, len, &d);
	ck_assert_ptr_null(f);
	ck_assert_uint_ge(d.n, 1);
	if (d.v[0].line != line || d.v[0].col != col ||
	    strcmp(d.v[0].message, msg) != 0)
		scenario_diags_print(&d, "t.scn", NULL, stderr);
	ck_assert_str_eq(d.v[0].message, msg);
	ck_assert_int_eq(d.v[0].line, line);
	ck_assert_int_eq(d.v[0].col, col);
	ck_assert_ptr_nonnull(d.source);
	scenario_diags_done(&d);
}

static void
load_bad(const char *text, int line, int col, const char *msg)
{
	load_bad_len(text, strlen(text), line, col, msg);
}

static int
find_object(const struct scn_file *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->nobjects; i++) {
		if (strcmp(f->objects[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

static const struct scn_worker *
find_worker(const struct scn_file *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->nworkers; i++) {
		if (strcmp(f->workers[i].name, name) == 0)
			return (&f->workers[i]);
	}
	ck_abort_msg("no worker %s", name);
	return (NULL);
}

static void
assert_stmt(const struct scn_stmt *s, enum scn_stmt_kind kind, int line,
    int col)
{
	ck_assert_int_eq(s->kind, kind);
	ck_assert_int_eq(s->line, line);
	ck_assert_int_eq(s->col, col);
}

static void
assert_target(const struct scn_file *f, const struct scn_stmt *s,
    const char *name)
{
	ck_assert_str_eq(s->target, name);
	ck_assert_int_eq(s->target_ref.kind, SCN_REF_OBJECT);
	ck_assert_int_eq(s->target_ref.index, find_object(f, name));
}

START_TEST(test_declarations)
{
	struct scn_file		*f;
	const struct scn_object	*o;

	f = load_ok(
	    "title \"Objects\"  # comment\n"
	    "about \"\"\"\n"
	    "    First line.\n"
	    "      indented more.\n"
	    "    \"\"\"\n"
	    "mutex A, B\n"
	    "rlock R\n"
	    "semaphore S(5), T(0)\n"
	    "barrier Bar(4)\n"
	    "condition C, D(A), E(R)\n"
	    "queue Q(4)\n"
	    "pipe P, PD duplex\n"
	    "fifo F\n"
	    "mqueue MQ(10)\n"
	    "socket SU unix, ST tcp, SD\n"
	    "mmap M(16)\n"
	    "shm SH(8)\n"
	    "shared int counter = 0, neg = -7, plain\n"
	    "local int id = 3\n"
	    "pool PL(5) tasks 20:\n"
	    "    result task\n"
	    "thread t:\n"
	    "    pass\n");
	ck_assert_str_eq(f->title, "Objects");
	ck_assert_str_eq(f->about, "First line.\n  indented more.");
	ck_assert_uint_eq(f->nobjects, 24);

	o = &f->objects[0];
	ck_assert_str_eq(o->name, "A");
	ck_assert_int_eq(o->kind, TRACE_OBJ_MUTEX);
	ck_assert_int_eq(o->line, 6);
	ck_assert_int_eq(o->col, 7);
	ck_assert_int_eq(f->objects[1].col, 10);
	ck_assert_int_eq(f->objects[find_object(f, "R")].kind,
	    TRACE_OBJ_RLOCK);

	o = &f->objects[find_object(f, "S")];
	ck_assert_int_eq(o->kind, TRACE_OBJ_SEMAPHORE);
	ck_assert_int_eq(o->capacity, 5);
	ck_assert_int_eq(o->initial, 5);
	ck_assert_int_eq(f->objects[find_object(f, "T")].capacity, 0);
	ck_assert_int_eq(f->objects[find_object(f, "Bar")].capacity, 4);

	o = &f->objects[find_object(f, "C")];
	ck_assert_int_eq(o->kind, TRACE_OBJ_CONDITION);
	ck_assert_ptr_null(o->lock_name);
	ck_assert_int_eq(o->lock, -1);
	o = &f->objects[find_object(f, "D")];
	ck_assert_str_eq(o->lock_name, "A");
	ck_assert_int_eq(o->lock, find_object(f, "A"));
	ck_assert_int_eq(f->objects[find_object(f, "E")].lock,
	    find_object(f, "R"));

	ck_assert_int_eq(f->objects[find_object(f, "Q")].capacity, 4);
	ck_assert_uint_eq(f->objects[find_object(f, "P")].flags, 0);
	ck_assert_uint_eq(f->objects[find_object(f, "PD")].flags,
	    TRACE_OBJF_DUPLEX);
	ck_assert_int_eq(f->objects[find_object(f, "F")].kind, TRACE_OBJ_FIFO);
	ck_assert_int_eq(f->objects[find_object(f, "MQ")].capacity, 10);
	ck_assert_uint_eq(f->objects[find_object(f, "SU")].flags, 0);
	ck_assert_uint_eq(f->objects[find_object(f, "ST")].flags,
	    TRACE_OBJF_TCP);
	ck_assert_uint_eq(f->objects[find_object(f, "SD")].flags, 0);
	ck_assert_int_eq(f->objects[find_object(f, "M")].kind, TRACE_OBJ_MMAP);
	ck_assert_int_eq(f->objects[find_object(f, "M")].capacity, 16);
	ck_assert_int_eq(f->objects[find_object(f, "SH")].kind, TRACE_OBJ_SHM);
	ck_assert_int_eq(f->objects[find_object(f, "SH")].capacity, 8);

	o = &f->objects[find_object(f, "counter")];
	ck_assert_int_eq(o->kind, TRACE_OBJ_SHARED);
	ck_assert_int_eq(o->initial, 0);
	ck_assert_int_eq(f->objects[find_object(f, "neg")].initial, -7);
	ck_assert_int_eq(f->objects[find_object(f, "plain")].initial, 0);
	o = &f->objects[find_object(f, "id")];
	ck_assert_int_eq(o->kind, TRACE_OBJ_LOCAL);
	ck_assert_int_eq(o->initial, 3);

	o = &f->objects[find_object(f, "PL")];
	ck_assert_int_eq(o->kind, TRACE_OBJ_POOL);
	ck_assert_int_eq(o->capacity, 5);
	ck_assert_int_eq(o->tasks, 20);
	ck_assert_uint_eq(o->body.n, 1);
	assert_stmt(o->body.v[0], SCN_STMT_RESULT, 21, 5);
	ck_assert_int_eq(o->body.v[0]->value->ref.kind, SCN_REF_TASK);
	scenario_free(f);
}
END_TEST

START_TEST(test_lock_statements)
{
	struct scn_file		*f;
	const struct scn_worker	*w;
	const struct scn_stmt	*s;

	f = load_ok(
	    "mutex A\n"
	    "rlock R\n"
	    "semaphore S(2)\n"
	    "condition C\n"
	    "thread t1:\n"
	    "    lock A timeout 250ms   note \"t1 may give up\"\n"
	    "    unlock A\n"
	    "    acquire S timeout 2s\n"
	    "    release S\n"
	    "    with R:\n"
	    "        with S:\n"
	    "            pass\n"
	    "    with C:\n"
	    "        wait C timeout 10us\n"
	    "        notify C\n"
	    "        notify C 3\n"
	    "        notify_all C\n"
	    "    crash\n");
	w = find_worker(f, "t1");
	ck_assert_int_eq(w->kind, TRACE_WORKER_THREAD);
	ck_assert_int_eq(w->copies, 1);
	ck_assert_int_eq(w->line, 5);
	ck_assert_int_eq(w->col, 8);
	ck_assert_uint_eq(w->body.n, 7);

	s = w->body.v[0];
	assert_stmt(s, SCN_STMT_LOCK, 6, 5);
	assert_target(f, s, "A");
	ck_assert_int_eq(s->target_line, 6);
	ck_assert_int_eq(s->target_col, 10);
	ck_assert_int_eq(s->timeout_ns, 250000000LL);
	ck_assert_str_eq(s->note, "t1 may give up");
	s = w->body.v[1];
	assert_stmt(s, SCN_STMT_UNLOCK, 7, 5);
	ck_assert_ptr_null(s->note);
	ck_assert_int_eq(s->timeout_ns, 0);
	s = w->body.v[2];
	assert_stmt(s, SCN_STMT_ACQUIRE, 8, 5);
	assert_target(f, s, "S");
	ck_assert_int_eq(s->timeout_ns, 2000000000LL);
	assert_stmt(w->body.v[3], SCN_STMT_RELEASE, 9, 5);

	s = w->body.v[4];
	assert_stmt(s, SCN_STMT_WITH, 10, 5);
	assert_target(f, s, "R");
	ck_assert_uint_eq(s->body.n, 1);
	assert_stmt(s->body.v[0], SCN_STMT_WITH, 11, 9);
	assert_target(f, s->body.v[0], "S");
	assert_stmt(s->body.v[0]->body.v[0], SCN_STMT_PASS, 12, 13);

	s = w->body.v[5];
	assert_stmt(s, SCN_STMT_WITH, 13, 5);
	assert_target(f, s, "C");
	ck_assert_uint_eq(s->body.n, 4);
	assert_stmt(s->body.v[0], SCN_STMT_WAIT, 14, 9);
	ck_assert_int_eq(s->body.v[0]->timeout_ns, 10000);
	assert_stmt(s->body.v[1], SCN_STMT_NOTIFY, 15, 9);
	ck_assert_ptr_null(s->body.v[1]->value);
	assert_stmt(s->body.v[2], SCN_STMT_NOTIFY, 16, 9);
	ck_assert_int_eq(s->body.v[2]->value->kind, SCN_EXPR_INT);
	ck_assert_int_eq(s->body.v[2]->value->ival, 3);
	assert_stmt(s->body.v[3], SCN_STMT_NOTIFY_ALL, 17, 9);
	assert_stmt(w->body.v[6], SCN_STMT_CRASH, 18, 5);
	scenario_free(f);
}
END_TEST

START_TEST(test_channel_statements)
{
	struct scn_file		*f;
	const struct scn_worker	*w;
	const struct scn_stmt	*s;

	f = load_ok(
	    "queue Q(3)\n"
	    "pipe P\n"
	    "fifo F\n"
	    "mqueue M(5)\n"
	    "socket S\n"
	    "process p:\n"
	    "    put Q 7\n"
	    "    x = get Q\n"
	    "    get Q\n"
	    "    send M x + 1 priority 3\n"
	    "    y = recv P\n"
	    "    recv P\n"
	    "    close P\n"
	    "    open F write\n"
	    "    open F read\n"
	    "    listen S\n"
	    "    accept S\n"
	    "    connect S\n"
	    "    sleep 3s\n"
	    "    compute 40ns\n");
	w = find_worker(f, "p");
	ck_assert_int_eq(w->kind, TRACE_WORKER_PROCESS);
	ck_assert_int_eq(w->nvars, 2);
	ck_assert_str_eq(w->vars[0], "x");
	ck_assert_str_eq(w->vars[1], "y");

	s = w->body.v[0];
	assert_stmt(s, SCN_STMT_PUT, 7, 5);
	assert_target(f, s, "Q");
	ck_assert_int_eq(s->value->ival, 7);
	s = w->body.v[1];
	assert_stmt(s, SCN_STMT_GET, 8, 5);
	assert_target(f, s, "Q");
	ck_assert_str_eq(s->var, "x");
	ck_assert_int_eq(s->var_slot, 0);
	ck_assert_int_eq(s->target_col, 13);
	s = w->body.v[2];
	assert_stmt(s, SCN_STMT_GET, 9, 5);
	ck_assert_ptr_null(s->var);
	ck_assert_int_eq(s->var_slot, -1);
	s = w->body.v[3];
	assert_stmt(s, SCN_STMT_SEND, 10, 5);
	assert_target(f, s, "M");
	ck_assert_int_eq(s->value->kind, SCN_EXPR_BINARY);
	ck_assert_int_eq(s->value->op, SCN_OP_ADD);
	ck_assert_int_eq(s->value->left->ref.kind, SCN_REF_VAR);
	ck_assert_int_eq(s->value->left->ref.index, 0);
	ck_assert_int_eq(s->priority->ival, 3);
	s = w->body.v[4];
	assert_stmt(s, SCN_STMT_RECV, 11, 5);
	ck_assert_int_eq(s->var_slot, 1);
	assert_stmt(w->body.v[5], SCN_STMT_RECV, 12, 5);
	ck_assert_int_eq(w->body.v[5]->var_slot, -1);
	assert_stmt(w->body.v[6], SCN_STMT_CLOSE, 13, 5);
	assert_stmt(w->body.v[7], SCN_STMT_OPEN, 14, 5);
	ck_assert_int_eq(w->body.v[7]->open_write, 1);
	ck_assert_int_eq(w->body.v[8]->open_write, 0);
	assert_stmt(w->body.v[9], SCN_STMT_LISTEN, 16, 5);
	assert_stmt(w->body.v[10], SCN_STMT_ACCEPT, 17, 5);
	assert_stmt(w->body.v[11], SCN_STMT_CONNECT, 18, 5);
	assert_target(f, w->body.v[11], "S");
	assert_stmt(w->body.v[12], SCN_STMT_SLEEP, 19, 5);
	ck_assert_int_eq(w->body.v[12]->duration_ns, 3000000000LL);
	assert_stmt(w->body.v[13], SCN_STMT_COMPUTE, 20, 5);
	ck_assert_int_eq(w->body.v[13]->duration_ns, 40);
	scenario_free(f);
}
END_TEST

START_TEST(test_control_and_expressions)
{
	struct scn_file		*f;
	const struct scn_worker	*w;
	const struct scn_stmt	*s, *e;
	const struct scn_expr	*x;

	f = load_ok(
	    "shared int n = 0\n"
	    "mmap M(4)\n"
	    "queue Q(2)\n"
	    "thread t x3:\n"
	    "    repeat 10 as i:\n"
	    "        if i % 2 == 0 and not i > 6:\n"
	    "            n += i\n"
	    "        elif i == 1 or (i >= 7 and i != 9):\n"
	    "            atomic n += 1\n"
	    "        else:\n"
	    "            break\n"
	    "    forever:\n"
	    "        break\n"
	    "    while len(Q) < 2:\n"
	    "        M[copy - 1] = -n * 2\n"
	    "    k = 5\n"
	    "    k += 1\n"
	    "    k -= 2\n"
	    "    n = M[0] / 2\n"
	    "    atomic M[1] -= k\n"
	    "    if k: pass\n");
	w = find_worker(f, "t");
	ck_assert_int_eq(w->copies, 3);
	ck_assert_int_eq(w->nvars, 2);
	ck_assert_str_eq(w->vars[0], "i");
	ck_assert_str_eq(w->vars[1], "k");

	s = w->body.v[0];
	assert_stmt(s, SCN_STMT_REPEAT, 5, 5);
	ck_assert_int_eq(s->value->ival, 10);
	ck_assert_str_eq(s->var, "i");
	ck_assert_int_eq(s->var_slot, 0);
	e = s->body.v[0];
	assert_stmt(e, SCN_STMT_IF, 6, 9);
	/* (i % 2 == 0) and (not (i > 6)) */
	x = e->cond;
	ck_assert_int_eq(x->op, SCN_OP_AND);
	ck_assert_int_eq(x->left->op, SCN_OP_EQ);
	ck_assert_int_eq(x->left->left->op, SCN_OP_MOD);
	ck_assert_int_eq(x->left->left->left->ref.kind, SCN_REF_VAR);
	ck_assert_int_eq(x->right->kind, SCN_EXPR_UNARY);
	ck_assert_int_eq(x->right->op, SCN_OP_NOT);
	ck_assert_int_eq(x->right->left->op, SCN_OP_GT);
	assert_stmt(e->body.v[0], SCN_STMT_ADD, 7, 13);
	assert_target(f, e->body.v[0], "n");
	ck_assert_int_eq(e->body.v[0]->atomic, 0);
	/* elif: an IF alone in orelse */
	ck_assert_uint_eq(e->orelse.n, 1);
	assert_stmt(e->orelse.v[0], SCN_STMT_IF, 8, 9);
	ck_assert_int_eq(e->orelse.v[0]->cond->op, SCN_OP_OR);
	assert_stmt(e->orelse.v[0]->body.v[0], SCN_STMT_ADD, 9, 13);
	ck_assert_int_eq(e->orelse.v[0]->body.v[0]->atomic, 1);
	assert_stmt(e->orelse.v[0]->orelse.v[0], SCN_STMT_BREAK, 11, 13);

	assert_stmt(w->body.v[1], SCN_STMT_FOREVER, 12, 5);
	assert_stmt(w->body.v[1]->body.v[0], SCN_STMT_BREAK, 13, 9);
	s = w->body.v[2];
	assert_stmt(s, SCN_STMT_WHILE, 14, 5);
	ck_assert_int_eq(s->cond->left->kind, SCN_EXPR_LEN);
	ck_assert_int_eq(s->cond->left->ref.index, find_object(f, "Q"));
	s = s->body.v[0];
	assert_stmt(s, SCN_STMT_ASSIGN, 15, 9);
	assert_target(f, s, "M");
	ck_assert_int_eq(s->index->op, SCN_OP_SUB);
	ck_assert_int_eq(s->index->left->ref.kind, SCN_REF_COPY);
	/* -n * 2 is (-n) * 2 */
	ck_assert_int_eq(s->value->op, SCN_OP_MUL);
	ck_assert_int_eq(s->value->left->kind, SCN_EXPR_UNARY);
	ck_assert_int_eq(s->value->left->left->ref.kind, SCN_REF_OBJECT);

	s = w->body.v[3];
	assert_stmt(s, SCN_STMT_ASSIGN, 16, 5);
	ck_assert_ptr_null(s->target);
	ck_assert_str_eq(s->var, "k");
	ck_assert_int_eq(s->var_slot, 1);
	/* k += 1 on a variable becomes k = k + 1 */
	s = w->body.v[4];
	assert_stmt(s, SCN_STMT_ASSIGN, 17, 5);
	ck_assert_int_eq(s->var_slot, 1);
	ck_assert_int_eq(s->value->op, SCN_OP_ADD);
	ck_assert_int_eq(s->value->left->ref.kind, SCN_REF_VAR);
	ck_assert_int_eq(s->value->left->ref.index, 1);
	ck_assert_int_eq(s->value->right->ival, 1);
	s = w->body.v[5];
	ck_assert_int_eq(s->value->right->kind, SCN_EXPR_UNARY);
	ck_assert_int_eq(s->value->right->op, SCN_OP_SUB);
	s = w->body.v[6];
	ck_assert_int_eq(s->value->op, SCN_OP_DIV);
	ck_assert_int_eq(s->value->left->kind, SCN_EXPR_INDEX);
	ck_assert_int_eq(s->value->left->ref.index, find_object(f, "M"));
	s = w->body.v[7];
	assert_stmt(s, SCN_STMT_ADD, 20, 5);
	ck_assert_int_eq(s->atomic, 1);
	ck_assert_int_eq(s->index->ival, 1);
	ck_assert_int_eq(s->value->kind, SCN_EXPR_UNARY);
	/* one-line body */
	s = w->body.v[8];
	assert_stmt(s, SCN_STMT_IF, 21, 5);
	assert_stmt(s->body.v[0], SCN_STMT_PASS, 21, 11);
	scenario_free(f);
}
END_TEST

START_TEST(test_print_parts)
{
	struct scn_file		*f;
	const struct scn_stmt	*s;

	f = load_ok(
	    "shared int total = 0\n"
	    "thread t:\n"
	    "    print \"total {total + 1}, {{not}} \\\"q\\\"\"   note \"n\"\n"
	    "    print \"plain\"\n"
	    "    print \"{copy}\"\n");
	s = find_worker(f, "t")->body.v[0];
	assert_stmt(s, SCN_STMT_PRINT, 3, 5);
	ck_assert_str_eq(s->text, "total {total + 1}, {{not}} \"q\"");
	ck_assert_str_eq(s->note, "n");
	ck_assert_uint_eq(s->nparts, 3);
	ck_assert_str_eq(s->parts[0].literal, "total ");
	ck_assert_ptr_null(s->parts[0].expr);
	ck_assert_ptr_null(s->parts[1].literal);
	ck_assert_int_eq(s->parts[1].expr->op, SCN_OP_ADD);
	ck_assert_int_eq(s->parts[1].expr->line, 3);
	ck_assert_int_eq(s->parts[1].expr->col, 19);
	ck_assert_int_eq(s->parts[1].expr->left->ref.kind, SCN_REF_OBJECT);
	ck_assert_str_eq(s->parts[2].literal, ", {not} \"q\"");
	s = find_worker(f, "t")->body.v[1];
	ck_assert_uint_eq(s->nparts, 1);
	ck_assert_str_eq(s->parts[0].literal, "plain");
	s = find_worker(f, "t")->body.v[2];
	ck_assert_uint_eq(s->nparts, 1);
	ck_assert_int_eq(s->parts[0].expr->ref.kind, SCN_REF_COPY);
	scenario_free(f);
}
END_TEST

START_TEST(test_workers_and_expects)
{
	struct scn_file		*f;
	const struct scn_worker	*w;
	const struct scn_stmt	*s;
	const struct scn_expect	*e;

	f = load_ok(
	    "mutex A\n"
	    "shared int c = 0\n"
	    "local int id = 0\n"
	    "pool P(2) tasks 4:\n"
	    "    r = task * 2\n"
	    "    result r\n"
	    "thread helper x2 daemon:\n"
	    "    pass\n"
	    "process job:\n"
	    "    pass\n"
	    "main:\n"
	    "    start job\n"
	    "    join job timeout 1s\n"
	    "    join helper\n"
	    "expect deadlock\n"
	    "expect stall\n"
	    "expect self_deadlock\n"
	    "expect completes\n"
	    "expect potential_deadlock\n"
	    "expect no potential_deadlock\n"
	    "expect c == 5   # comment\n"
	    "expect max_holders A <= 1\n"
	    "expect distinct id != -2\n"
	    "expect tasks_done P >= 4\n");
	w = find_worker(f, "helper");
	ck_assert_int_eq(w->copies, 2);
	ck_assert_int_eq(w->daemon, 1);
	ck_assert_int_eq(w->deferred, 0);
	w = find_worker(f, "job");
	ck_assert_int_eq(w->deferred, 1);
	ck_assert_int_eq(w->daemon, 0);
	w = find_worker(f, "main");
	ck_assert_int_eq(w->kind, TRACE_WORKER_MAIN);
	ck_assert_int_eq(w->line, 11);
	ck_assert_int_eq(w->col, 1);
	s = w->body.v[0];
	assert_stmt(s, SCN_STMT_START, 12, 5);
	ck_assert_str_eq(s->target, "job");
	ck_assert_int_eq(s->target_ref.kind, SCN_REF_WORKER);
	ck_assert_int_eq(s->target_ref.index, 1);
	s = w->body.v[1];
	assert_stmt(s, SCN_STMT_JOIN, 13, 5);
	ck_assert_int_eq(s->target_ref.index, 1);
	ck_assert_int_eq(s->timeout_ns, 1000000000LL);
	ck_assert_int_eq(w->body.v[2]->target_ref.index, 0);

	ck_assert_int_eq(f->objects[find_object(f, "P")].nvars, 1);

	ck_assert_uint_eq(f->nexpects, 10);
	ck_assert_int_eq(f->expects[0].kind, TRACE_EXPECT_DEADLOCK);
	ck_assert_str_eq(f->expects[0].text, "expect deadlock");
	ck_assert_int_eq(f->expects[0].line, 15);
	ck_assert_int_eq(f->expects[1].kind, TRACE_EXPECT_STALL);
	ck_assert_int_eq(f->expects[2].kind, TRACE_EXPECT_SELF_DEADLOCK);
	ck_assert_int_eq(f->expects[3].kind, TRACE_EXPECT_COMPLETES);
	ck_assert_int_eq(f->expects[4].kind, TRACE_EXPECT_POTENTIAL);
	ck_assert_int_eq(f->expects[5].kind, TRACE_EXPECT_NO_POTENTIAL);
	e = &f->expects[6];
	ck_assert_int_eq(e->kind, TRACE_EXPECT_METRIC);
	ck_assert_int_eq(e->metric, TRACE_METRIC_VALUE);
	ck_assert_str_eq(e->name, "c");
	ck_assert_int_eq(e->object, find_object(f, "c"));
	ck_assert_int_eq(e->cmp, TRACE_CMP_EQ);
	ck_assert_int_eq(e->value, 5);
	ck_assert_str_eq(e->text, "expect c == 5");
	e = &f->expects[7];
	ck_assert_int_eq(e->metric, TRACE_METRIC_MAX_HOLDERS);
	ck_assert_int_eq(e->object, find_object(f, "A"));
	ck_assert_int_eq(e->cmp, TRACE_CMP_LE);
	e = &f->expects[8];
	ck_assert_int_eq(e->metric, TRACE_METRIC_DISTINCT_LOCALS);
	ck_assert_int_eq(e->cmp, TRACE_CMP_NE);
	ck_assert_int_eq(e->value, -2);
	ck_assert_int_eq(f->expects[9].metric, TRACE_METRIC_TASKS_DONE);
	ck_assert_int_eq(f->expects[9].cmp, TRACE_CMP_GE);
	scenario_free(f);
}
END_TEST

START_TEST(test_meta)
{
	struct scn_file			*f;
	struct trace_meta		 m;
	const struct scn_block		*b;
	int				 nv = -1;

	f = load_ok(
	    "title \"T\"\n"
	    "mutex L\n"
	    "condition C\n"
	    "condition D(L)\n"
	    "condition E\n"
	    "pool P(3) tasks 6:\n"
	    "    x = task\n"
	    "    result x\n"
	    "process adder x2:\n"
	    "    v = 1\n"
	    "    w = 2\n"
	    "thread late daemon:\n"
	    "    pass\n"
	    "main:\n"
	    "    start late\n"
	    "expect max_waiters C < 3\n"
	    "expect completes\n");
	scenario_meta_build(f, &m);
	ck_assert_str_eq(m.title, "T");
	ck_assert_str_eq(m.path, "t.scn");
	ck_assert_str_eq(m.source, f->source);

	/* Declared objects keep their index; hidden locks come after. */
	ck_assert_uint_eq(m.nobjects, 7);
	ck_assert_str_eq(m.objects[0].name, "L");
	ck_assert_str_eq(m.objects[1].name, "C");
	ck_assert_int_eq(m.objects[1].kind, TRACE_OBJ_CONDITION);
	ck_assert_int_eq(m.objects[1].lock, 5);
	ck_assert_int_eq(m.objects[2].lock, 0);
	ck_assert_int_eq(m.objects[3].lock, 6);
	ck_assert_int_eq(m.objects[4].kind, TRACE_OBJ_POOL);
	ck_assert_int_eq(m.objects[4].capacity, 3);
	ck_assert_int_eq(m.objects[4].tasks, 6);
	ck_assert_str_eq(m.objects[5].name, "C.lock");
	ck_assert_int_eq(m.objects[5].kind, TRACE_OBJ_MUTEX);
	ck_assert_int_eq(m.objects[5].line, 3);
	ck_assert_str_eq(m.objects[6].name, "E.lock");
	ck_assert_int_eq(m.objects[0].lock, TRACE_NO_OBJECT);
	ck_assert_int_eq(scenario_condition_lock(f, 1), 5);
	ck_assert_int_eq(scenario_condition_lock(f, 2), 0);
	ck_assert_int_eq(scenario_condition_lock(f, 3), 6);
	ck_assert_int_eq(scenario_condition_lock(f, 0), -1);

	/* Workers: copies, then main's file order, then pool members. */
	ck_assert_uint_eq(m.nworkers, 7);
	ck_assert_str_eq(m.workers[0].name, "adder.1");
	ck_assert_str_eq(m.workers[1].name, "adder.2");
	ck_assert_int_eq(m.workers[1].copy, 2);
	ck_assert_int_eq(m.workers[1].kind, TRACE_WORKER_PROCESS);
	ck_assert_int_eq(m.workers[1].line, 9);
	ck_assert_int_eq(m.workers[0].pool, TRACE_NO_OBJECT);
	ck_assert_str_eq(m.workers[2].name, "late");
	ck_assert_uint_eq(m.workers[2].flags,
	    TRACE_WORKERF_DAEMON | TRACE_WORKERF_DEFERRED);
	ck_assert_int_eq(m.workers[2].copy, 1);
	ck_assert_str_eq(m.workers[3].name, "main");
	ck_assert_int_eq(m.workers[3].kind, TRACE_WORKER_MAIN);
	ck_assert_uint_eq(m.workers[3].flags, 0);
	ck_assert_str_eq(m.workers[4].name, "P.1");
	ck_assert_str_eq(m.workers[6].name, "P.3");
	ck_assert_uint_eq(m.workers[6].flags, TRACE_WORKERF_POOL);
	ck_assert_int_eq(m.workers[6].pool, 4);
	ck_assert_int_eq(m.workers[6].copy, 3);

	ck_assert_int_eq(scenario_worker_first(f, 0), 0);
	ck_assert_int_eq(scenario_worker_first(f, 1), 2);
	ck_assert_int_eq(scenario_worker_first(f, 2), 3);
	b = scenario_worker_body(f, &m, 1, &nv);
	ck_assert_ptr_eq(b, &f->workers[0].body);
	ck_assert_int_eq(nv, 2);
	b = scenario_worker_body(f, &m, 5, &nv);
	ck_assert_ptr_eq(b, &f->objects[4].body);
	ck_assert_int_eq(nv, 1);
	ck_assert_ptr_eq(scenario_worker_body(f, &m, 3, NULL),
	    &f->workers[2].body);
	ck_assert_ptr_null(scenario_worker_body(f, &m, 7, NULL));

	ck_assert_uint_eq(m.nexpects, 2);
	ck_assert_int_eq(m.expects[0].kind, TRACE_EXPECT_METRIC);
	ck_assert_int_eq(m.expects[0].metric, TRACE_METRIC_MAX_WAITERS);
	ck_assert_int_eq(m.expects[0].object, 1);
	ck_assert_int_eq(m.expects[0].cmp, TRACE_CMP_LT);
	ck_assert_int_eq(m.expects[0].value, 3);
	ck_assert_int_eq(m.expects[0].line, 16);
	ck_assert_str_eq(m.expects[0].text, "expect max_waiters C < 3");
	ck_assert_int_eq(m.expects[1].kind, TRACE_EXPECT_COMPLETES);
	ck_assert_int_eq(m.expects[1].object, TRACE_NO_OBJECT);
	trace_meta_done(&m);
	scenario_free(f);
}
END_TEST

START_TEST(test_lines_and_indentation)
{
	struct scn_file	*f;
	const char	*l;
	size_t		 len;

	/* Tabs used consistently, CRLF line endings, no final newline. */
	f = load_ok("mutex A\r\nthread t:\r\n\twith A:\r\n\t\tpass\r\n"
	    "\tlock A\r\n\tunlock A");
	ck_assert_int_eq(f->nlines, 6);
	l = scenario_line(f, 2, &len);
	ck_assert_uint_eq(len, 9);
	ck_assert_int_eq(strncmp(l, "thread t:", len), 0);
	l = scenario_line(f, 6, &len);
	ck_assert_uint_eq(len, 9);
	ck_assert_int_eq(strncmp(l, "\tunlock A", len), 0);
	ck_assert_ptr_null(scenario_line(f, 0, &len));
	ck_assert_ptr_null(scenario_line(f, 7, &len));
	assert_stmt(f->workers[0].body.v[0]->body.v[0], SCN_STMT_PASS, 4, 3);
	scenario_free(f);

	/* A byte order mark is skipped; columns start after it. */
	scenario_free(load_ok("\xef\xbb\xbfthread t:\n    pass\n"));
	load_bad("\xef\xbb\xbfmutx A\nthread t:\n    pass\n", 1, 1,
	    "unknown declaration `mutx`; did you mean `mutex`?");

	/* Blank and comment lines at any indentation are ignored. */
	f = load_ok("mutex A\n\nthread t:\n    lock A\n"
	    "# a comment at column 1\n\n        # deeper\n    unlock A\n");
	ck_assert_uint_eq(f->workers[0].body.n, 2);
	assert_stmt(f->workers[0].body.v[1], SCN_STMT_UNLOCK, 8, 5);
	scenario_free(f);
}
END_TEST

/* Downey's spellings, results of tries, assert and duration expressions. */
START_TEST(test_textbook)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;
	const struct scn_block	*b;
	const char		*bad = "semaphore X = 0, Y 4\nthread t:\n"
	    "    wait X\n    signal X\n    wait Y\n    signal Y\n";

	f = load_ok("semaphore S = 0\nmutex A\nthread t:\n"
	    "    signal S 2\n"
	    "    wait S\n"
	    "    ok = lock A timeout 50ms\n"
	    "    if ok:\n"
	    "        unlock A\n"
	    "    ok = acquire S blocking false\n"
	    "    sleep copy * 10ms + 5us\n"
	    "    assert locked A == 0\n");
	ck_assert_int_eq(f->objects[0].initial, 0);
	ck_assert_int_eq(f->objects[0].capacity, 0);
	b = &f->workers[0].body;
	assert_stmt(b->v[0], SCN_STMT_RELEASE, 4, 5);
	ck_assert_int_eq(b->v[0]->alias, 1);
	ck_assert_int_eq(b->v[0]->value->ival, 2);
	assert_target(f, b->v[0], "S");
	assert_stmt(b->v[1], SCN_STMT_ACQUIRE, 5, 5);
	ck_assert_int_eq(b->v[1]->alias, 1);
	assert_stmt(b->v[2], SCN_STMT_LOCK, 6, 5);
	ck_assert_int_eq(b->v[2]->var_slot, 0);
	ck_assert_int_eq(b->v[2]->timeout_ns, 50000000);
	assert_stmt(b->v[4], SCN_STMT_ACQUIRE, 9, 5);
	ck_assert_int_eq(b->v[4]->var_slot, 0);
	ck_assert_int_eq(b->v[4]->timeout_ns, SCN_TIMEOUT_TRY);
	assert_stmt(b->v[5], SCN_STMT_SLEEP, 10, 5);
	ck_assert_ptr_nonnull(b->v[5]->duration);
	ck_assert_int_eq(b->v[5]->duration->kind, SCN_EXPR_BINARY);
	ck_assert_int_eq(b->v[5]->duration->right->ival, 5000);
	ck_assert_int_eq(b->v[5]->duration->left->right->ival, 10000000);
	assert_stmt(b->v[6], SCN_STMT_ASSERT, 11, 5);
	ck_assert_str_eq(b->v[6]->text, "locked A == 0");
	ck_assert_int_eq(b->v[6]->value->left->kind, SCN_EXPR_LOCKED);
	ck_assert_int_eq(b->v[6]->value->left->ref.index, 1);
	scenario_free(f);

	/* Plain ints and the builtins resolve; a declared `now` wins. */
	f = load_ok("int x = 3\nshared int now = 0\nthread t:\n"
	    "    x += pid + ppid\n    y = now\n");
	ck_assert_uint_eq(f->nglobals, 1);
	ck_assert_int_eq(f->globals[0].initial, 3);
	b = &f->workers[0].body;
	ck_assert_int_eq(b->v[0]->target_ref.kind, SCN_REF_GLOBAL);
	ck_assert_int_eq(b->v[0]->value->left->ref.kind, SCN_REF_BUILTIN);
	ck_assert_int_eq(b->v[0]->value->left->ref.index, SCN_BUILTIN_PID);
	ck_assert_int_eq(b->v[1]->value->ref.kind, SCN_REF_OBJECT);
	scenario_free(f);

	/* A manager: its queue, its lock, its server, a reply queue for each
	   other worker; proxies resolve to it. */
	f = load_ok("manager M\nthread t x2:\n    M.value += 1\n"
	    "    append M.list copy\n    x = M.dict[copy] + len(M.list)\n"
	    "    with M.lock:\n        pass\n");
	ck_assert_uint_eq(f->nworkers, 2);
	ck_assert_str_eq(f->workers[1].name, "M.server");
	ck_assert_int_eq(f->workers[1].serves, 1);
	ck_assert_int_eq(f->workers[1].daemon, 1);
	ck_assert_int_eq(f->objects[0].manager, 1);
	ck_assert_int_eq(f->objects[0].kind, TRACE_OBJ_QUEUE);
	ck_assert_str_eq(f->objects[1].name, "M.lock");
	ck_assert_int_eq(f->objects[0].nreplies, 3);
	ck_assert_str_eq(f->objects[f->objects[0].replies[0]].name,
	    "M.to.t.1");
	ck_assert_str_eq(f->objects[f->objects[0].replies[1]].name,
	    "M.to.t.2");
	ck_assert_int_eq(f->objects[0].replies[2], -1);
	b = &f->workers[0].body;
	ck_assert_int_eq(b->v[0]->target_ref.kind, SCN_REF_PROXY);
	ck_assert_int_eq(b->v[0]->field, SCN_FIELD_VALUE);
	assert_stmt(b->v[1], SCN_STMT_APPEND, 4, 5);
	ck_assert_int_eq(b->v[1]->field, SCN_FIELD_LIST);
	ck_assert_int_eq(b->v[2]->value->left->ref.kind, SCN_REF_PROXY);
	ck_assert_int_eq(b->v[2]->value->left->op, SCN_FIELD_DICT);
	ck_assert_int_eq(b->v[2]->value->right->kind, SCN_EXPR_LEN);
	assert_target(f, b->v[3], "M.lock");
	scenario_free(f);

	/* A literal duration stays a constant. */
	f = load_ok("thread t:\n    sleep 10ms\n");
	ck_assert_ptr_null(f->workers[0].body.v[0]->duration);
	ck_assert_int_eq(f->workers[0].body.v[0]->duration_ns, 10000000);
	scenario_free(f);

	/* One bad declaration is one error: its uses are not undeclared. */
	f = scenario_load_text("t.scn", bad, strlen(bad), &d);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].message, "semaphore Y needs its count in "
	    "parentheses: semaphore Y(4)");
	scenario_diags_done(&d);
}
END_TEST

/* One invalid input and the exact first error it must produce. */
struct bad_case {
	const char	*text;
	int		 line, col;
	const char	*msg;
};

static const struct bad_case bad_cases[] = {
	/* names */
	{ "mutex Lock\nthread t:\n    lock Lok\n", 3, 10,
	  "undeclared name `Lok`; did you mean `Lock`?" },
	{ "mutex A\nthread t:\n    lock Zed\n", 3, 10,
	  "undeclared name `Zed`" },
	{ "shared int counter = 0\nthread t:\n    x = countr + 1\n", 3, 9,
	  "undeclared name `countr`; did you mean `counter`?" },
	{ "thread t:\n    x += 1\n", 2, 5, "undeclared name `x`" },
	{ "thread t1:\n    pass\nmain:\n    start t3\n", 4, 11,
	  "undeclared worker `t3`; did you mean `t1`?" },
	{ "mutex A, B\nqueue A(3)\nthread t:\n    pass\n", 2, 7,
	  "duplicate name `A`: it was already declared at line 1" },
	{ "mutex t\nthread t:\n    pass\n", 2, 8,
	  "duplicate name `t`: it was already declared at line 1" },
	{ "main:\n    pass\nmain:\n    pass\n", 3, 1,
	  "duplicate name `main`: it was already declared at line 1" },
	{ "mutex lock\nthread t:\n    pass\n", 1, 7,
	  "`lock` is a keyword and cannot be used as a name" },
	/* kinds */
	{ "queue Q(1)\nthread t:\n    lock Q\n", 3, 10,
	  "`lock` needs a mutex or rlock, but Q is a queue" },
	{ "mutex A\nthread t:\n    wait A\n", 3, 10,
	  "`wait` needs a condition, barrier or semaphore, but A is a mutex" },
	{ "barrier B(2)\nthread t:\n    with B:\n        pass\n", 3, 10,
	  "`with` needs a mutex, rlock, semaphore or condition, but B is a "
	  "barrier" },
	{ "pipe P\nthread t:\n    put P 1\n", 3, 9,
	  "`put` needs a queue, but P is a pipe" },
	{ "queue Q(1)\nthread t:\n    send Q 1\n", 3, 10,
	  "`send` needs a pipe, fifo, mqueue or socket, but Q is a queue" },
	{ "pipe P\nthread t:\n    open P read\n", 3, 10,
	  "`open` needs a fifo, but P is a pipe" },
	{ "pipe P\nthread t:\n    connect P\n", 3, 13,
	  "`connect` needs a socket, but P is a pipe" },
	{ "mutex A\nthread t:\n    A += 1\n", 3, 5,
	  "`+=` needs a shared int, local int or mmap/shm cell, but A is a "
	  "mutex" },
	{ "local int id = 0\nthread t:\n    atomic id += 1\n", 3, 5,
	  "`atomic +=` needs a shared int or an mmap/shm cell, but id is a "
	  "local int (each thread has its own: there is nothing to race "
	  "on)" },
	{ "pipe P\nthread t:\n    send P 1 priority 2\n", 3, 23,
	  "`priority` applies only to an mqueue, but P is a pipe" },
	{ "queue Q(1)\ncondition C(Q)\nthread t:\n    pass\n", 2, 13,
	  "`condition` needs a mutex or rlock as its lock, but Q is a "
	  "queue" },
	{ "mmap M(16)\nthread t:\n    M[16] = 1\n", 3, 7,
	  "index 16 is out of range: M has 16 cells (0 to 15)" },
	{ "mmap M(4)\nthread t:\n    x = M + 1\n", 3, 9,
	  "M is an mmap: read one cell, as M[0]" },
	{ "shared int c = 0\nthread t:\n    c = 1 / 0\n", 3, 13,
	  "division by zero" },
	{ "shared int c = 0\nqueue Q(1)\nthread t:\n    c = get Q\n", 4, 5,
	  "`get` stores into a local variable, but c is a shared int: use a "
	  "new name, then assign it" },
	{ "thread t:\n    pass\nmain:\n    start main\n", 4, 11,
	  "`start` needs a thread or process, but main is the main worker "
	  "(it runs from the beginning to the end)" },
	{ "thread t:\n    join t\n", 2, 10, "t cannot join itself" },
	/* unlock of a lock not held */
	{ "mutex A\nthread t:\n    unlock A\n", 3, 5,
	  "`unlock A`: A is not held here (this worker has not locked it "
	  "before this line)" },
	{ "mutex A\nthread t:\n    lock A\n    unlock A\n    unlock A\n", 5,
	  5, "`unlock A`: A is not held here (it was already unlocked at "
	  "line 4)" },
	{ "rlock R\nthread t:\n    with R:\n        unlock R\n    release R\n",
	  5, 5, "`release R`: R is not held here (it was already unlocked at "
	  "line 4)" },
	/* durations and numbers */
	{ "thread t:\n    sleep 100\n", 2, 11, "the duration 100 needs a "
	  "unit: write 100ms, for example (units: ns, us, ms, s)" },
	{ "thread t:\n    sleep 5sec\n", 2, 11, "unknown duration unit `sec` "
	  "in `5sec` (use ns, us, ms or s)" },
	{ "thread t:\n    compute 1.5s\n", 2, 13, "`1.5s`: numbers are whole; "
	  "for a duration use a smaller unit (1500ms, not 1.5s)" },
	{ "mutex A\nthread t:\n    lock A timeout 0s\n", 3, 20,
	  "a timeout must be longer than 0" },
	{ "thread t:\n    sleep 86401s\n", 2, 11, "the duration 86401s is out "
	  "of range (the limit is one day, 86400s)" },
	{ "thread t:\n    sleep\n", 2, 10, "expected a duration after `sleep` "
	  "(such as 100ms), found end of line" },
	{ "thread t:\n    x = 99999999999999999999\n", 2, 9, "number "
	  "`99999999999999999999` is out of range (the largest is "
	  "9223372036854775807)" },
	{ "semaphore S(2000000)\nthread t:\n    pass\n", 1, 13,
	  "semaphore count 2000000 is out of range (0 to 1000000)" },
	{ "thread t x0:\n    pass\n", 1, 10,
	  "copy count 0 is out of range (x1 to x256)" },
	{ "pool P(4) tasks 0:\n    pass\n", 1, 17,
	  "task count 0 is out of range (1 to 100000)" },
	{ "semaphore S\nthread t:\n    pass\n", 1, 12, "semaphore S needs its "
	  "count in parentheses: semaphore S(1)" },
	{ "thread t:\n    x = 5ms\n", 2, 9, "unexpected `ms` after the number "
	  "5 in an expression (durations go only after sleep, compute and "
	  "timeout)" },
	/* layout */
	{ "mutex A\nthread t:\n    lock A\n  unlock A\n", 4, 3,
	  "inconsistent dedent: this line is indented by 2 spaces, which "
	  "matches no enclosing block (they are at 0 or 4)" },
	{ "thread t:\n    pass\n\tpass\n", 3, 1, "this line is indented with "
	  "tabs, but the file indents with spaces (since line 2): do not mix "
	  "tabs and spaces" },
	{ "thread t:\n  \tpass\n", 2, 3, "indentation mixes tabs and spaces" },
	{ "thread t:\n    pass\n        pass\n", 3, 9, "unexpected "
	  "indentation: this line is indented more than the one above" },
	{ "  mutex A\nthread t:\n    pass\n", 1, 3, "unexpected indentation: "
	  "a declaration starts at the left margin" },
	{ "mutex A\nthread t\n    pass\n", 2, 9,
	  "missing `:` at the end of the `thread` line" },
	{ "mutex A\nthread t:\n    with A\n        pass\n", 3, 11,
	  "missing `:` at the end of the `with` line" },
	{ "thread t:\n    repeat 3:\n    pass\n", 2, 5, "empty block: indent at "
	  "least one statement under the `repeat` line (write `pass` for "
	  "nothing)" },
	{ "thread t:\nmutex A\n", 1, 1, "empty block: indent at least one "
	  "statement under the `thread` line (write `pass` for nothing)" },
	/* statements in the wrong place */
	{ "mutex A\nthread t:\n    lok A\n", 3, 5,
	  "unknown statement `lok`; did you mean `lock`?" },
	{ "thread t:\n    frobnicate\n", 2, 5, "unknown statement `frobnicate`" },
	{ "mutx A\nthread t:\n    pass\n", 1, 1,
	  "unknown declaration `mutx`; did you mean `mutex`?" },
	{ "mutex A\nlock A\nthread t:\n    pass\n", 2, 1, "`lock` must be "
	  "inside a body: indent it under a thread, process, main: or pool "
	  "line" },
	{ "thread t:\n    mutex A\n", 2, 5, "`mutex` belongs at the top level "
	  "of the file, not inside a body" },
	{ "thread t:\n    break\n", 2, 5,
	  "`break` outside a loop (repeat, forever or while)" },
	{ "thread t:\n    result 1\n", 2, 5,
	  "`result` is only allowed in a pool body" },
	{ "thread t:\n    x = task\n", 2, 9,
	  "`task` is only defined inside a pool body" },
	{ "thread t:\n    else:\n        pass\n", 2, 5,
	  "`else` without a matching `if` just above it" },
	{ "mutex A\nthread t:\n    lock A B\n", 3, 12,
	  "unexpected `B` at the end of the `lock` statement" },
	{ "title \"a\"\ntitle \"b\"\nthread t:\n    pass\n", 2, 1,
	  "a second `title`: a file has only one" },
	{ "thread t:\n    lock = 1\n", 2, 5,
	  "`lock` is a keyword and cannot be assigned to" },
	{ "fifo F\nthread t:\n    open F\n", 3, 11, "expected `read` or "
	  "`write` after the fifo, found end of line" },
	/* expressions and strings */
	{ "thread t:\n    if 1 < 2 < 3:\n        pass\n", 2, 14,
	  "comparisons cannot be chained: write `a < b and b < c`" },
	{ "thread t:\n    if 1 = 2:\n        pass\n", 2, 10,
	  "unexpected `=` in an expression: write `==` to compare" },
	{ "thread t:\n    if !1:\n        pass\n", 2, 8,
	  "unexpected `!`: write `not` (or `!=` to compare)" },
	{ "title 'x'\nthread t:\n    pass\n", 1, 7,
	  "unexpected `'`: strings use double quotes (\"...\")" },
	{ "title \"never closed\nthread t:\n    pass\n", 1, 7,
	  "unterminated string: no closing `\"` on this line" },
	{ "about \"\"\"\nnever closed\n", 1, 7, "unterminated string: no "
	  "closing `\"\"\"` before the end of the file" },
	{ "title \"a\\qb\"\nthread t:\n    pass\n", 1, 9, "unknown escape "
	  "`\\q` in a string (use \\\", \\\\, \\n or \\t)" },
	{ "thread t:\n    print \"x {y\"\n", 2, 14,
	  "unclosed `{` in print text (write `{{` for a brace)" },
	{ "thread t:\n    print \"a } b\"\n", 2, 14,
	  "single `}` in print text (write `}}` for a brace)" },
	{ "thread t:\n    print \"a {} b\"\n", 2, 14,
	  "empty `{}` in print text (write `{{}}` for braces)" },
	{ "thread t:\n    print \"{nope}\"\n", 2, 13, "undeclared name `nope`" },
	{ "thread t:\n    x = \xc3\xa9\n", 2, 9, "unexpected character `\xc3\xa9`" },
	/* expectations */
	{ "thread t:\n    pass\nexpect deadlok\n", 3, 8,
	  "unknown outcome `deadlok`; did you mean `deadlock`?" },
	{ "queue Q(1)\nthread t:\n    pass\nexpect value Q == 3\n", 4, 14,
	  "the metric `value` does not apply to Q, a queue (it applies to a "
	  "semaphore or shared int)" },
	{ "mutex A\nthread t:\n    pass\nexpect bogus A == 1\n", 4, 8,
	  "unknown metric `bogus` (metrics: value, max_holders, max_waiters, "
	  "contended, sent, received, order_errors, max_len, lost_notifies, "
	  "woken, max_busy, tasks_done, early_passes, distinct, max, min)" },
	{ "shared int c = 0\nthread t:\n    pass\nexpect c = 1\n", 4, 10,
	  "write `==` to compare, not `=`" },
	{ "thread t:\n    pass\nexpect sent nothing == 1\n", 3, 13,
	  "undeclared name `nothing`" },
	/* Downey's words and the textbook constructs */
	{ "semaphore Y 3\nthread t:\n    acquire Y\n", 1, 13,
	  "semaphore Y needs its count in parentheses: semaphore Y(3)" },
	{ "barrier B = 4\nthread t:\n    wait B\n", 1, 11,
	  "barrier B needs its parties in parentheses: barrier B(4)" },
	{ "semaphore S = -1\nthread t:\n    pass\n", 1, 15,
	  "expected semaphore count (a number), found `-`" },
	{ "thread t1 deamon:\n    pass\nmain:\n    start t1\n", 1, 11,
	  "unexpected `deamon` after the thread's name; did you mean "
	  "`daemon`?" },
	{ "mutex A\nthread t:\n    lock A timout 5ms\n", 3, 12,
	  "unexpected `timout` at the end of the `lock` statement; did you "
	  "mean `timeout`?" },
	{ "semaphore S(1)\nthread t:\n    sgnal S\n", 3, 5,
	  "unknown statement `sgnal`; did you mean `signal`?" },
	{ "semaphore S(1)\nthread t:\n    asert 1 == 1\n", 3, 5,
	  "unknown statement `asert`; did you mean `assert`?" },
	{ "condition C\nthread t:\n    signal C\n", 3, 12,
	  "`signal` is a semaphore's release, but C is a condition: write "
	  "`notify C`" },
	{ "mutex A\nthread t:\n    signal A\n", 3, 12,
	  "`signal` needs a semaphore, but A is a mutex" },
	{ "mutex A\nthread t:\n    lock A\n    release A 2\n", 4, 15,
	  "`release A N`: only a semaphore is released N at a time, but A is "
	  "a mutex" },
	{ "semaphore S(0)\nthread t:\n    release S 0\n", 3, 15,
	  "`release S N` releases N slots: N must be 1 or more" },
	{ "thread t:\n    repeat -5:\n        pass\n", 2, 12,
	  "`repeat -5`: a repeat count cannot be negative" },
	{ "thread t:\n    assert\n", 2, 11,
	  "`assert` needs a condition: `assert inside <= 3`" },
	{ "thread t:\n    assert x > 0\n", 2, 12, "undeclared name `x`" },
	{ "thread t:\n    sleep copy * 10\n", 2, 11,
	  "the duration of `sleep` needs a unit: write `sleep copy * 10 * "
	  "1ms`, for example (units: ns, us, ms, s)" },
	{ "thread t:\n    compute copy * 10sec\n", 2, 20,
	  "unknown duration unit `sec` in `10sec` (use ns, us, ms or s)" },
	{ "thread t:\n    x = 2 * 10ms\n", 2, 13,
	  "unexpected `ms` after the number 10 in an expression (durations "
	  "go only after sleep, compute and timeout)" },
	{ "mutex A\nthread t:\n    ok = lock A timeout 10ms\n"
	  "    unlock A\n", 4, 5,
	  "`unlock A`: A may not be held here: the try at line 3 may have "
	  "failed (unlock it under `if ok:`)" },
	{ "mutex A\nthread t:\n    ok = lock A blocking false\n"
	  "    if not ok:\n        unlock A\n", 5, 9,
	  "`unlock A`: A is not held here (this worker has not locked it "
	  "before this line)" },
	{ "mutex A\nthread t:\n    ok = lock A\n", 3, 10,
	  "`ok = lock A` always succeeds: give it `timeout D` or `blocking "
	  "false`, or drop the `ok =`" },
	{ "mutex A\nthread t:\n    lock A blocking false\n", 3, 5,
	  "`lock A blocking false` gives up at once when it is taken: keep "
	  "its result, as `ok = lock A blocking false`, and test it" },
	{ "semaphore S(1)\nthread t:\n    ok = acquire S blocking maybe\n",
	  3, 29, "expected `false` or `true` after `blocking`, found `maybe`" },
	{ "mutex A\nthread t:\n    ok = lock A blocking false timeout 1s\n",
	  3, 32, "`blocking false` takes no timeout: write either `blocking "
	  "false` (try once) or `timeout D` (wait at most D)" },
	{ "mutex A\nthread t:\n    ok[0] = lock A timeout 1s\n", 3, 13,
	  "`lock` stores its result into a variable, not into ok[...]" },
	{ "shared int ok = 0\nmutex A\nthread t:\n"
	  "    ok = lock A timeout 1s\n", 4, 5,
	  "`lock` stores into a local variable, but ok is a shared int: use a "
	  "new name, then assign it" },
	{ "semaphore S(1)\nthread t:\n    x = locked S\n", 3, 9,
	  "`locked` needs a mutex or rlock, but S is a semaphore" },
	{ "barrier B(2)\nthread t:\n    wait B timeout 5ms\n", 3, 5,
	  "`wait B timeout`: a barrier wait has no timeout" },
	{ "barrier B(2)\nthread t:\n    wait B\nexpect woken B == 2\n", 4,
	  14, "the metric `woken` does not apply to B, a barrier (it applies "
	  "to a condition)" },
	{ "int x = 1\nthread t:\n    atomic x += 1\n", 3, 12,
	  "x is a plain int: `atomic` needs a shared int (a plain int is "
	  "never shared between processes)" },
	{ "int x\nthread t:\n    x[0] = 1\n", 3, 5,
	  "x is a plain int: it has no cells" },
	{ "int x\nthread t:\n    pass\nexpect x == 1\n", 4, 8,
	  "expectations read what every worker shares, but x is a plain int "
	  "(each process has its own copy): print it or assert on it "
	  "instead" },
	{ "int x\nmutex x\nthread t:\n    pass\n", 2, 7,
	  "duplicate name `x`: it was already declared at line 1" },
	{ "int x = y\nthread t:\n    pass\n", 1, 9,
	  "expected the initial value (a number), found `y`" },
	{ "queue Q(2)\nthread t:\n    pass\nexpect max Q <= 1\n", 4, 12,
	  "the metric `max` does not apply to Q, a queue (it applies to a "
	  "shared int)" },
	{ "thread t:\n    mark a1\nexpect a1 before b2\n", 3, 18,
	  "`b2` is not a mark: no body has `mark b2`" },
	{ "shared int x = 0\nthread t:\n    mark a1\nexpect x before a1\n",
	  4, 8, "`before` orders marks, but x is a shared int: put `mark x` "
	  "where it happens" },
	{ "thread t:\n    mark a1\nexpect a1 after a1\n", 3, 8,
	  "`expect a1 before a1`: a mark cannot come before itself" },
	{ "shared int a1 = 0\nthread t:\n    mark a1\n", 3, 10,
	  "duplicate name `a1`: it was already declared at line 1" },
	{ "thread t:\n    mark lock\n", 2, 10,
	  "`lock` is a keyword and cannot be used as a name" },
	{ "queue Q(1)\nthread t:\n    try get Q\n", 3, 5,
	  "`try get` answers with the item or -1: keep it, as `x = try get "
	  "Q`" },
	{ "pipe P\nthread t:\n    x = recv P timeout 1s\n", 3, 16,
	  "`recv` takes no timeout: a queue's `x = get Q timeout D` does" },
	{ "queue Q(1)\nthread t:\n    x = get Q timeout 0ms\n", 3, 23,
	  "a timeout must be longer than 0" },
	{ "pipe P\nthread t:\n    x = try get P\n", 3, 17,
	  "`get` needs a queue, but P is a pipe" },
	/* Python's spellings */
	{ "semaphore S(1)\nthread t:\n    S.acquire()\n", 3, 5,
	  "`S.acquire()` is Python's spelling: write `acquire S`" },
	{ "queue Q(1)\nthread t:\n    x = Q.get()\n", 3, 9,
	  "`Q.get()` is Python's spelling: write `x = get Q`" },
	{ "queue Q(1)\nthread t:\n    Q.put(1)\n", 3, 5,
	  "`Q.put()` is Python's spelling: write `put Q VALUE`" },
	{ "mutex A\nthread t:\n    timeout 5ms\n", 3, 5,
	  "`timeout` is not a statement: it goes at the end of one, as in "
	  "`lock A timeout 5ms` or `print \"x\" note \"...\"`" },
	/* managers */
	{ "manager M\nthread t:\n    put M 1\n", 3, 9,
	  "`put` needs a queue, but M is a manager: use M.value, M.list, "
	  "M.dict or M.lock" },
	{ "manager M\nthread t:\n    x = M.foo\n", 3, 9,
	  "`M.foo`: a manager has M.value, M.list, M.dict and M.lock" },
	{ "queue Q(1)\nthread t:\n    x = Q.value\n", 3, 9,
	  "`Q.value`: only a manager has parts, and Q is a queue" },
	{ "thread t:\n    x = Z.value\n", 2, 9,
	  "`Z.value`: Z is not a manager (`manager Z` declares one)" },
	{ "manager M\nthread t:\n    x = M.list\n", 3, 9,
	  "`M.list`: a list or dict is read one item at a time (M.list[0], "
	  "M.dict[key]) or measured (len(M.list))" },
	{ "manager M\nthread t:\n    x = M.value[0]\n", 3, 9,
	  "`M.value`: a value has no items: read it as M.value" },
	{ "manager M\nthread t:\n    x = len(M.value)\n", 3, 9,
	  "`M.value`: len() of a list or dict, not of a value" },
	{ "manager M\nthread t:\n    atomic M.value += 1\n", 3, 5,
	  "`atomic M.value +=`: a manager has no atomic add (hold M.lock "
	  "around it)" },
	{ "manager M\nthread t:\n    M.list = 3\n", 3, 5,
	  "`M.list =`: set one item, as `M.list[0] = ...` (or `append`)" },
	{ "manager M\nthread t:\n    append M.value 1\n", 3, 12,
	  "`append` needs a manager's list, as M.list" },
	{ "queue Q(1)\nthread t:\n    append Q 1\n", 3, 12,
	  "`append` needs a manager's list, as M.list, but Q is not one" },
	{ "manager M\nthread t:\n    append M.list\n", 3, 18,
	  "`append` needs a value: `append M.list 42`" },
	{ "mutex A.b\nthread t:\n    pass\n", 1, 7,
	  "`A.b`: a declared name cannot contain `.` (dots name a manager's "
	  "parts, as M.value)" },
	/* whole file */
	{ "", 1, 1, "empty file: a scenario needs at least one worker (a "
	  "thread, process, main: or pool block)" },
	{ "# only a comment\n\n   \n", 1, 1, "empty file: a scenario needs at "
	  "least one worker (a thread, process, main: or pool block)" },
	{ "mutex A\n", 1, 1, "no workers: a scenario needs at least one "
	  "thread, process, main: or pool block" },
	{ "title \"bad \xff byte\"\nthread t:\n    pass\n", 1, 12, "invalid "
	  "UTF-8: byte 0xff is not valid here (scenario files are UTF-8 "
	  "text)" },
	{ "thread t:\n    pass \xe2\x82\n", 2, 10, "invalid UTF-8: byte 0xe2 is "
	  "not valid here (scenario files are UTF-8 text)" },
};

START_TEST(test_bad_input)
{
	const struct bad_case	*c = &bad_cases[_i];

	load_bad(c->text, c->line, c->col, c->msg);
}
END_TEST

START_TEST(test_bad_bytes)
{
	char	*big;
	size_t	 n;

	load_bad_len("thread t:\n    pass\0\n", 20, 2, 9,
	    "NUL byte in the file: is this a binary file?");

	/* A line over 4096 bytes. */
	big = malloc(8000);
	n = (size_t)snprintf(big, 8000, "thread t:\n    pass  # ");
	memset(big + n, 'a', 5000);
	big[n + 5000] = '\n';
	load_bad_len(big, n + 5001, 2, 4097,
	    "line is too long: 5012 bytes (the limit is 4096)");
	free(big);

	/* A file over 1 MiB: refused whole (line 0). */
	n = 1024 * 1024 + 1;
	big = malloc(n);
	memset(big, '\n', n);
	load_bad_len(big, n, 0, 0,
	    "file is too big: 1048577 bytes (the limit is 1 MiB)");
	free(big);
}
END_TEST

START_TEST(test_many_errors)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	char			*text, *p;
	size_t			 i;

	/* Every line wrong: all reported in order, one each, then capped. */
	ck_assert_ptr_null(scenario_load_text("t.scn",
	    "mutex A\nthread t:\n    lok A\n    unlock B\n    sleep 1\n",
	    52, &d));
	ck_assert_uint_eq(d.n, 3);
	ck_assert_int_eq(d.v[0].line, 3);
	ck_assert_int_eq(d.v[1].line, 4);
	ck_assert_int_eq(d.v[2].line, 5);
	scenario_diags_done(&d);

	text = p = malloc(200 * 16 + 64);
	p += sprintf(p, "thread t:\n");
	for (i = 0; i < 200; i++)
		p += sprintf(p, "    bogus\n");
	ck_assert_ptr_null(scenario_load_text("t.scn", text,
	    strlen(text), &d));
	ck_assert_uint_eq(d.n, 51);
	ck_assert_int_eq(d.v[49].line, 51);
	ck_assert_int_eq(d.v[50].line, 0);
	ck_assert_str_eq(d.v[50].message, "too many errors; stopping here");
	scenario_diags_done(&d);
	free(text);
}
END_TEST

START_TEST(test_limits)
{
	char	*text, *p;
	int	 i;

	/* Expressions nested deeper than 64 levels. */
	text = p = malloc(1024);
	p += sprintf(p, "thread t:\n    x = ");
	for (i = 0; i < 70; i++)
		*p++ = '(';
	*p++ = '1';
	for (i = 0; i < 70; i++)
		*p++ = ')';
	sprintf(p, "\n");
	load_bad(text, 2, 73,
	    "expression nested too deeply (the limit is 64 levels)");
	free(text);

	/* Blocks nested deeper than 32 levels. */
	text = p = malloc(64 * 1024);
	p += sprintf(p, "thread t:\n");
	for (i = 1; i <= 34; i++)
		p += sprintf(p, "%*sforever:\n", i, "");
	sprintf(p, "%*spass\n", 35, "");
	load_bad(text, 34, 34, "blocks nested too deeply (the limit is 32)");
	free(text);

	/* More than 64 variables in one worker. */
	text = p = malloc(64 * 1024);
	p += sprintf(p, "thread t:\n");
	for (i = 0; i < 65; i++)
		p += sprintf(p, "    v%d = %d\n", i, i);
	load_bad(text, 66, 5,
	    "too many variables in t (the limit is 64)");
	free(text);

	/* More than 256 workers in all. */
	load_bad("thread a x200:\n    pass\nthread b x57:\n    pass\n", 3, 8,
	    "too many workers: 257 with this one (the limit is 256)");
}
END_TEST

/* Loops and ifs never produce a false "not held". */
START_TEST(test_unlock_conservative)
{
	struct scn_file	*f;

	f = load_ok(
	    "mutex A, B\n"
	    "condition C(A)\n"
	    "shared int n = 0\n"
	    "thread t:\n"
	    "    repeat 3 as i:\n"
	    "        if i > 0:\n"
	    "            unlock A\n"
	    "        lock A\n"
	    "    unlock A\n"
	    "    if n > 0:\n"
	    "        lock B\n"
	    "    unlock B\n"
	    "    lock A timeout 1ms\n"
	    "    unlock A\n"
	    "    with C:\n"
	    "        unlock A\n"
	    "        lock A\n"
	    "thread u:\n"
	    "    acquire A\n"
	    "    release A\n"
	    "    forever:\n"
	    "        lock B\n"
	    "        if n == 3:\n"
	    "            break\n"
	    "        unlock B\n"
	    "    unlock B\n");
	scenario_free(f);
}
END_TEST

START_TEST(test_print_diags)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*out;

	ck_assert_ptr_null(scenario_load_text("x.scn",
	    "mutex A\nthread t:\n\tlock Q\n", 25, &d));
	out = open_memstream(&buf, &len);
	scenario_diags_print(&d, "x.scn", NULL, out);
	fclose(out);
	ck_assert_str_eq(buf,
	    "x.scn:3:7: error: undeclared name `Q`\n"
	    "    3 | \tlock Q\n"
	    "      | \t     ^\n");
	free(buf);
	scenario_diags_done(&d);

	/* Line 0 errors name only the file. */
	ck_assert_ptr_null(scenario_load("/nonexistent/x.scn", &d));
	buf = NULL;
	out = open_memstream(&buf, &len);
	scenario_diags_print(&d, "/nonexistent/x.scn", NULL, out);
	fclose(out);
	ck_assert_str_eq(buf, "/nonexistent/x.scn: error: cannot open: No "
	    "such file or directory\n");
	free(buf);
	scenario_diags_done(&d);
}
END_TEST

START_TEST(test_load_files)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;
	char			 dir[] = "/tmp/check_parse.XXXXXX", path[64];
	int			 fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_null(scenario_load(dir, &d));
	ck_assert_uint_eq(d.n, 1);
	ck_assert_int_eq(d.v[0].line, 0);
	ck_assert_str_eq(d.v[0].message, "cannot read: Is a directory");
	scenario_diags_done(&d);

	snprintf(path, sizeof path, "%s/ok.scn", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "thread t:\n    pass\n", 19), 19);
	close(fd);
	f = scenario_load(path, &d);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->path, path);
	ck_assert_uint_eq(f->source_len, 19);
	scenario_free(f);

	/* Too big on disk: refused before reading it. */
	ck_assert_int_eq(truncate(path, 2 * 1024 * 1024), 0);
	ck_assert_ptr_null(scenario_load(path, &d));
	ck_assert_str_eq(d.v[0].message,
	    "file is too big: 2097152 bytes (the limit is 1 MiB)");
	scenario_diags_done(&d);

	/* Unreadable (root reads anything, so only as a normal user). */
	if (geteuid() != 0) {
		ck_assert_int_eq(chmod(path, 0), 0);
		ck_assert_ptr_null(scenario_load(path, &d));
		ck_assert_str_eq(d.v[0].message,
		    "cannot open: Permission denied");
		scenario_diags_done(&d);
	}
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);

	/* A NULL diags is allowed. */
	ck_assert_ptr_null(scenario_load_text("t.scn", "bogus\n", 6, NULL));
}
END_TEST

/* The "#! LINE:COL: message" lines of a corpus file, in order. */
static size_t
corpus_expected(const char *text, char ***out)
{
	const char	*p = text, *nl;
	char		**v = NULL;
	size_t		  n = 0;

	while ((p = strstr(p, "#! ")) != NULL) {
		p += 3;
		nl = strchr(p, '\n');
		v = realloc(v, (n + 1) * sizeof *v);
		v[n++] = strndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
	}
	*out = v;
	return (n);
}

START_TEST(test_corpus)
{
	const char		*dir = lib_srcpath("tests/fuzz/corpus");
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;
	struct dirent		*de;
	DIR			*dp;
	char			 path[4400], got[1024], **want;
	size_t			 nwant, i;
	int			 nvalid = 0, ninvalid = 0, valid;
	char			 saved[4096];

	snprintf(saved, sizeof saved, "%s", dir);
	ck_assert_ptr_nonnull(dp = opendir(saved));
	while ((de = readdir(dp)) != NULL) {
		valid = strncmp(de->d_name, "valid-", 6) == 0;
		if (!valid && strncmp(de->d_name, "invalid-", 8) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", saved, de->d_name);
		f = scenario_load(path, &d);
		if (valid) {
			if (f == NULL)
				scenario_diags_print(&d, path, NULL, stderr);
			ck_assert_msg(f != NULL, "%s must load", path);
			nvalid++;
			scenario_free(f);
			continue;
		}
		ck_assert_msg(f == NULL, "%s must not load", path);
		ninvalid++;
		nwant = corpus_expected(d.source != NULL ? d.source : "",
		    &want);
		if (nwant > 0)
			ck_assert_uint_eq(d.n, nwant);
		for (i = 0; i < nwant; i++) {
			snprintf(got, sizeof got, "%d:%d: %s", d.v[i].line,
			    d.v[i].col, d.v[i].message);
			ck_assert_str_eq(got, want[i]);
			free(want[i]);
		}
		free(want);
		scenario_diags_done(&d);
	}
	closedir(dp);
	ck_assert_int_ge(nvalid, 10);
	ck_assert_int_ge(ninvalid, 10);
}
END_TEST

static Suite *
suite_parse(void)
{
	Suite	*s = suite_create("parse");
	TCase	*tc;

	tc = tcase_create("ast");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_declarations);
	tcase_add_test(tc, test_lock_statements);
	tcase_add_test(tc, test_channel_statements);
	tcase_add_test(tc, test_control_and_expressions);
	tcase_add_test(tc, test_print_parts);
	tcase_add_test(tc, test_workers_and_expects);
	tcase_add_test(tc, test_meta);
	tcase_add_test(tc, test_lines_and_indentation);
	tcase_add_test(tc, test_unlock_conservative);
	tcase_add_test(tc, test_textbook);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad_input, 0,
	    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, test_bad_bytes);
	tcase_add_test(tc, test_many_errors);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_print_diags);
	tcase_add_test(tc, test_load_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("corpus");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_parse()));
}
