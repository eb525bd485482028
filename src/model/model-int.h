/*
 * model/model-int.h: what the model's files share and the views never see.
 *
 * struct model's priv points to a struct model_priv: per-worker and
 * per-object bookkeeping that only apply needs (a worker's last load for
 * lost-update detection, channel buffers, cell versions), the counters
 * that make stall detection cheap, the lock-order graph, scratch space for
 * the wait-for reduction, and what the last event did that the state after
 * it no longer shows (for model_explain).
 */
#ifndef LOCKSTEP_MODEL_MODEL_INT_H
#define LOCKSTEP_MODEL_MODEL_INT_H

#include "model/model.h"

struct model_wpriv {
	uint16_t	 load_obj;	/* last SHARED_LOAD, or NO_OBJECT */
	uint32_t	 load_cell;
	uint64_t	 load_ver;	/* the cell's version at that load */
	int		 load_stale;	/* it read a value already replaced */
	int64_t		 load_value;	/* the value it read */
	int64_t		 bar_gen;	/* barrier generation it arrived in */
	size_t		 wait_len;	/* channel length at its PUT_WAIT */
	int32_t		 blocked_end;	/* channel end of its wait */
	int		 startable;	/* NOT_STARTED but will start */
	int		 daemon;
	uint16_t	 cond_lock;	/* lock COND_WAIT released */
	int		 cond_depth;	/* its depth, restored on wake */
	int		 held_line[MODEL_MAX_HELD];
};

struct model_opriv {
	uint64_t		 ver;		/* shared: stores so far */
	int64_t			 intended;	/* shared: the value if no update
						   had been lost */
	uint64_t		*cell_ver;	/* arrays: per cell */
	uint8_t			*touched;	/* locals: per worker */
	struct model_item	*buf;		/* channel: items = buf + head */
	size_t			 bufsize, head;
	size_t			 hcap;		/* room in holders */
	uint64_t		 seq;		/* channel: next arrival */
	int			 node;		/* lock-order node, or -1 */
	uint8_t			*closed_by;	/* channel: per worker, it
						   closed its end */
};

struct model_edge {
	uint16_t	from, to;	/* lock-order nodes */
	uint16_t	worker;		/* first worker to make it */
	int		line;		/* where `to` was taken */
	int		from_line;	/* where `from` had been taken */
	uint16_t	gate;		/* a lock held every time the edge
					   was made (besides from), or
					   TRACE_NO_OBJECT */
	int		next;		/* next edge out of `from`, or -1 */
};

/* What the last event did beyond the state it left (for explain). */
struct model_fx {
	uint64_t		index;		/* event index, or UINT64_MAX */
	int			lost_update;
	int64_t			prev_value;
	uint16_t		prev_writer;
	int			order_error;
	int64_t			head_value;	/* what should have come */
	int			woke;		/* notify: workers woken */
	int			lost_notify;
	int			early;		/* barrier pass too early */
	int			released_all;	/* barrier: last arrival */
	uint16_t		woken_first;	/* notify: first it woke */
};

struct model_priv {
	struct model_wpriv	*w;
	struct model_opriv	*o;
	size_t			 nobjects;	/* objects allocated: the meta's
						   count at model_create() (a
						   traced program's meta may
						   be emptied by a restart
						   before the model is freed) */
	int			 nrunnable;	/* ready, running, sleeping,
						   computing, or about to
						   start */
	int			 nblocked_nd;	/* blocked non-daemons */
	uint64_t		 index;		/* of the event being applied */
	struct trace_event	 cur;		/* that event */
	struct model_fx		 fx;
	size_t			 inv_cap, od_cap;
	uint64_t		 inv_event;	/* index of the event that
						   found the last inversion */

	/* Limit lines of every worker's peers (trace_meta_peer.limit),
	   sorted: worker w's are lim[lim_off[w] .. lim_off[w + 1]). A step
	   past one may leave a waiter with no producer. */
	int			*lim;
	size_t			*lim_off;

	/* Wait-for reduction scratch (waitfor.c), nworkers each. */
	uint32_t		*wf_seen;
	uint32_t		 wf_epoch;
	uint8_t			*wf_in;
	uint16_t		*wf_list;	/* reached workers */
	uint16_t		*wf_roots;
	uint16_t		*wf_path;
	int			*wf_pos;	/* position on wf_path or -1 */
	uint16_t		*wf_succ;	/* a channel wait's successors
						   (the last classified) */
	int			 wf_stuck;	/* the last reduction reached a
						   stuck worker */

	/* Lock-order graph (lockorder.c). */
	size_t			 nnodes;
	uint16_t		*node_obj;
	uint8_t			*edge_bits;	/* nnodes * nnodes bits */
	uint8_t			*gate_bits;	/* edges with a gate */
	struct model_edge	*edges;
	size_t			 nedges, edge_cap;
	int			*edge_head;	/* per node */
	uint32_t		*lo_seen;
	uint32_t		 lo_epoch;
	int			*lo_parent;	/* edge into node on the path */
	uint16_t		*lo_stack;
};

#define MODEL_PRIV(m)	((struct model_priv *)(m)->priv)

/* model.c */
int	model_worker_dead(const struct model *, uint16_t);
int	model_lock_object(const struct model *, uint16_t);

/* waitfor.c */
void	model_waitfor_init(struct model *);
void	model_waitfor_free(struct model *);
void	model_waitfor_check(struct model *, const uint16_t *roots, size_t);
void	model_waitfor_recheck(struct model *);
void	model_waitfor_stall(struct model *);
int	model_waitfor_arrived(const struct model *, uint16_t w, uint16_t b);
void	model_waitfor_chan(struct model *, uint16_t o, int getters_only);

/* explain.c */
void	model_explain_why(struct model *);

/* lockorder.c */
void	model_lockorder_init(struct model *);
void	model_lockorder_reset(struct model *);
void	model_lockorder_free(struct model *);
void	model_lockorder_acquire(struct model *, uint16_t w, uint16_t o,
	    int line);

#endif
