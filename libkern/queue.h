/*
 * queue.h - intrusive lists, in the shape of the BSDs' queue(3).
 *
 *   LIST_*	doubly linked, head holds the first element only: O(1) insert
 *		at the head and O(1) removal of any element.
 *   TAILQ_*	doubly linked with a tail pointer: O(1) insert at either end
 *		and O(1) removal.
 *
 * The element embeds the link (LIST_ENTRY / TAILQ_ENTRY); no allocation,
 * no locking: the structure that owns the head says which lock covers it.
 */

#ifndef LIBKERN_QUEUE_H
#define LIBKERN_QUEUE_H

#include <stddef.h>

/* --- LIST ------------------------------------------------------------------ */

#define LIST_HEAD(name, type)						\
	struct name {							\
		struct type *lh_first;					\
	}

#define LIST_HEAD_INITIALIZER(head)	{ NULL }

#define LIST_ENTRY(type)						\
	struct {							\
		struct type *le_next;					\
		struct type **le_prev;	/* the pointer that points at us */ \
	}

#define LIST_FIRST(head)		((head)->lh_first)
#define LIST_EMPTY(head)		((head)->lh_first == NULL)
#define LIST_NEXT(elm, field)		((elm)->field.le_next)

#define LIST_INIT(head)			do { (head)->lh_first = NULL; } while (0)

#define LIST_INSERT_HEAD(head, elm, field)				\
	do {								\
		(elm)->field.le_next = (head)->lh_first;		\
		if ((elm)->field.le_next != NULL)			\
			(elm)->field.le_next->field.le_prev =		\
			    &(elm)->field.le_next;			\
		(head)->lh_first = (elm);				\
		(elm)->field.le_prev = &(head)->lh_first;		\
	} while (0)

#define LIST_REMOVE(elm, field)						\
	do {								\
		if ((elm)->field.le_next != NULL)			\
			(elm)->field.le_next->field.le_prev =		\
			    (elm)->field.le_prev;			\
		*(elm)->field.le_prev = (elm)->field.le_next;		\
		(elm)->field.le_next = NULL;				\
		(elm)->field.le_prev = NULL;				\
	} while (0)

#define LIST_FOREACH(var, head, field)					\
	for ((var) = LIST_FIRST(head); (var) != NULL;			\
	    (var) = LIST_NEXT(var, field))

/* --- TAILQ ----------------------------------------------------------------- */

#define TAILQ_HEAD(name, type)						\
	struct name {							\
		struct type *tqh_first;					\
		struct type **tqh_last;	/* the last element's tqe_next */ \
	}

#define TAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).tqh_first }

#define TAILQ_ENTRY(type)						\
	struct {							\
		struct type *tqe_next;					\
		struct type **tqe_prev;					\
	}

#define TAILQ_FIRST(head)		((head)->tqh_first)
#define TAILQ_EMPTY(head)		((head)->tqh_first == NULL)
#define TAILQ_NEXT(elm, field)		((elm)->field.tqe_next)

#define TAILQ_INIT(head)						\
	do {								\
		(head)->tqh_first = NULL;				\
		(head)->tqh_last = &(head)->tqh_first;			\
	} while (0)

#define TAILQ_INSERT_HEAD(head, elm, field)				\
	do {								\
		(elm)->field.tqe_next = (head)->tqh_first;		\
		if ((elm)->field.tqe_next != NULL)			\
			(head)->tqh_first->field.tqe_prev =		\
			    &(elm)->field.tqe_next;			\
		else							\
			(head)->tqh_last = &(elm)->field.tqe_next;	\
		(head)->tqh_first = (elm);				\
		(elm)->field.tqe_prev = &(head)->tqh_first;		\
	} while (0)

#define TAILQ_INSERT_TAIL(head, elm, field)				\
	do {								\
		(elm)->field.tqe_next = NULL;				\
		(elm)->field.tqe_prev = (head)->tqh_last;		\
		*(head)->tqh_last = (elm);				\
		(head)->tqh_last = &(elm)->field.tqe_next;		\
	} while (0)

#define TAILQ_INSERT_BEFORE(listelm, elm, field)			\
	do {								\
		(elm)->field.tqe_prev = (listelm)->field.tqe_prev;	\
		(elm)->field.tqe_next = (listelm);			\
		*(listelm)->field.tqe_prev = (elm);			\
		(listelm)->field.tqe_prev = &(elm)->field.tqe_next;	\
	} while (0)

#define TAILQ_INSERT_AFTER(head, listelm, elm, field)			\
	do {								\
		(elm)->field.tqe_next = (listelm)->field.tqe_next;	\
		if ((elm)->field.tqe_next != NULL)			\
			(elm)->field.tqe_next->field.tqe_prev =		\
			    &(elm)->field.tqe_next;			\
		else							\
			(head)->tqh_last = &(elm)->field.tqe_next;	\
		(listelm)->field.tqe_next = (elm);			\
		(elm)->field.tqe_prev = &(listelm)->field.tqe_next;	\
	} while (0)

#define TAILQ_REMOVE(head, elm, field)					\
	do {								\
		if ((elm)->field.tqe_next != NULL)			\
			(elm)->field.tqe_next->field.tqe_prev =		\
			    (elm)->field.tqe_prev;			\
		else							\
			(head)->tqh_last = (elm)->field.tqe_prev;	\
		*(elm)->field.tqe_prev = (elm)->field.tqe_next;		\
		(elm)->field.tqe_next = NULL;				\
		(elm)->field.tqe_prev = NULL;				\
	} while (0)

#define TAILQ_FOREACH(var, head, field)					\
	for ((var) = TAILQ_FIRST(head); (var) != NULL;			\
	    (var) = TAILQ_NEXT(var, field))

#endif /* LIBKERN_QUEUE_H */
