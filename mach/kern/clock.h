/*
 * clock.h - Mach's time: absolute time since boot, and its conversions.
 *
 * As on XNU for Intel, absolute time is in nanoseconds (the timebase is 1/1),
 * derived from the TSC with a fixed-point scale set once the TSC frequency is
 * known (rtclock_init). The conversions exist so that code written against
 * Mach's interfaces stays right should the timebase ever differ.
 */

#ifndef MACH_KERN_CLOCK_H
#define MACH_KERN_CLOCK_H

#include <stdint.h>

#include "mach/kern_return.h"

/* Seconds and nanoseconds, Mach's struct timespec. */
typedef int clock_res_t;
typedef struct mach_timespec {
	unsigned int	tv_sec;
	clock_res_t	tv_nsec;
} mach_timespec_t;

typedef struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
} mach_timebase_info_data_t, *mach_timebase_info_t;

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* mach_absolute_time: nanoseconds since the TSC was calibrated; 0 before. */
uint64_t	mach_absolute_time(void);

void		clock_timebase_info(mach_timebase_info_t info);
void		absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result);
void		nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result);

/* clock_get_uptime: mach_absolute_time under its other name. */
void		clock_get_uptime(uint64_t *result);

/* Uptime and calendar time as seconds and a fraction (the guide's clock.h). */
void		clock_get_system_microtime(uint32_t *secs, uint32_t *microsecs);
void		clock_get_system_nanotime(uint32_t *secs, uint32_t *nanosecs);
void		clock_get_calendar_microtime(uint32_t *secs, uint32_t *microsecs);
void		clock_get_calendar_nanotime(uint32_t *secs, uint32_t *nanosecs);

/*
 * clock_get_calendar_ns, clock_get_boottime_ns: nanoseconds since 1970,
 * now and at absolute time 0 (the calendar at boot, as the calendar now
 * reckons it).
 * clock_set_calendar_ns: the calendar becomes ns now (settimeofday); the
 * boot time moves with it. KERN_INVALID_ARGUMENT if that would put the
 * boot before 1970.
 */
uint64_t	clock_get_calendar_ns(void);
uint64_t	clock_get_boottime_ns(void);
kern_return_t	clock_set_calendar_ns(uint64_t ns);

/* Deadlines and delays. */
void		clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor,
		    uint64_t *result);
void		clock_absolutetime_interval_to_deadline(uint64_t abstime, uint64_t *result);
void		clock_delay_until(uint64_t deadline);
/* delay: spin for microseconds (interrupts and preemption are not touched). */
void		delay(uint64_t microseconds);

/* clock_init: read the calendar from the machine's real-time clock. */
void		clock_init(void);

/* The machine's real-time clock: seconds since 1970, or 0 if unreadable. */
uint64_t	rtc_read_calendar(void);

/*
 * The PC's CMOS clock registers as read, before any conversion: BCD or
 * binary and 12- or 24-hour as status register B says (bit 2 binary, bit
 * 1 24-hour; in 12-hour form bit 7 of the hour is PM). century is
 * register 0x32, used when it reads 19 to 30.
 */
struct rtc_registers {
	uint8_t		sec, min, hour, day, month, year, century, status_b;
};

/*
 * rtc_registers_to_calendar: the time they hold as seconds since 1970, or
 * 0 for impossible values (a BCD digit over 9, the 61st second, the 13th
 * month, a year before 1970). For the kernel's early read and the I/O
 * Kit's RTC driver alike.
 */
uint64_t	rtc_registers_to_calendar(const struct rtc_registers *r);

/*
 * The machine's clock (kernel/x86_64/rtclock.c).
 * rtclock_init: measure the TSC's frequency; absolute time starts here.
 * rtclock_tsc_to_ns: a raw TSC reading as nanoseconds since TSC zero.
 * rtclock_tsc_hz: the measured frequency; 0 before rtclock_init.
 */
void		rtclock_init(void);
uint64_t	rtclock_tsc_to_ns(uint64_t tsc);
uint64_t	rtclock_tsc_hz(void);
uint64_t	rtclock_read_tsc(void);

#endif /* MACH_KERN_CLOCK_H */
