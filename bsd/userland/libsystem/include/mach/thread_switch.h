/*
 * mach/thread_switch.h - the options of thread_switch() (mach_traps.h).
 */

#ifndef _MACH_THREAD_SWITCH_H_
#define _MACH_THREAD_SWITCH_H_

#define SWITCH_OPTION_NONE	0	/* yield */
#define SWITCH_OPTION_DEPRESS	1	/* yield, depressed for option_time ms */
#define SWITCH_OPTION_WAIT	2	/* sleep option_time ms (interruptible) */

#endif /* _MACH_THREAD_SWITCH_H_ */
