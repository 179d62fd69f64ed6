/*
 * kern_types.h - the Mach kernel's handle types, in one small header so
 * that other headers can name each other's handles without including each
 * other (STYLE.md 2).
 */

#ifndef MACH_KERN_KERN_TYPES_H
#define MACH_KERN_KERN_TYPES_H

#include <stdint.h>

struct thread;
struct task;
struct processor;
struct wait_queue;
struct semaphore;
struct vm_map;

typedef struct thread		*thread_t;
typedef struct task		*task_t;
typedef struct processor	*processor_t;
typedef struct semaphore	*semaphore_t;
typedef struct vm_map		*vm_map_t;

#define THREAD_NULL	((thread_t)0)
#define TASK_NULL	((task_t)0)
#define PROCESSOR_NULL	((processor_t)0)
#define SEMAPHORE_NULL	((semaphore_t)0)

/* What a thread waits for: any unique address will do. */
typedef void		*event_t;
typedef uint64_t	event64_t;
#define NO_EVENT	((event_t)0)
#define CAST_EVENT64_T(e) ((event64_t)(uintptr_t)(e))

/* How a wait ended. */
typedef int		wait_result_t;
#define THREAD_WAITING		-1	/* still waiting (assert_wait's return) */
#define THREAD_AWAKENED		0	/* woken by a wakeup */
#define THREAD_TIMED_OUT	1	/* the deadline passed */
#define THREAD_INTERRUPTED	2	/* interrupted (thread_abort, signals) */
#define THREAD_RESTART		3	/* the object waited on went away */

/* Whether a wait may be interrupted. */
typedef int		wait_interrupt_t;
#define THREAD_UNINT		0
#define THREAD_INTERRUPTIBLE	1
#define THREAD_ABORTSAFE	2

#define TIMEOUT_WAIT_FOREVER	((uint64_t)0)

/* A function a thread starts in, or resumes in after a block. */
typedef void (*thread_continue_t)(void *parameter, wait_result_t result);
#define THREAD_CONTINUE_NULL	((thread_continue_t)0)

#endif /* MACH_KERN_KERN_TYPES_H */
