/*
 * rtc.c - the PC's CMOS real-time clock, read once for the calendar.
 *
 * The clock may be in BCD or binary and in 12- or 24-hour form (status
 * register B says which), and it may be mid-update: the time is read until
 * two readings agree with no update in progress. A clock that never
 * settles, or gives impossible values, is reported as unreadable (0).
 */

#include "mach/kern/clock.h"

#include <stdbool.h>

#include "kernel/x86_64/cpu.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80

#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_CENTURY	0x32
#define STATUS_A_UPDATING 0x80
#define STATUS_B_24HOUR	0x02
#define STATUS_B_BINARY	0x04

struct rtc_time {
	unsigned	sec, min, hour, day, month, year, century;
};

static uint8_t
cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static bool
rtc_sample(struct rtc_time *t)
{
	for (int spins = 0; spins < 100000; spins++) {
		if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UPDATING)) {
			t->sec = cmos_read(RTC_SECONDS);
			t->min = cmos_read(RTC_MINUTES);
			t->hour = cmos_read(RTC_HOURS);
			t->day = cmos_read(RTC_DAY);
			t->month = cmos_read(RTC_MONTH);
			t->year = cmos_read(RTC_YEAR);
			t->century = cmos_read(RTC_CENTURY);
			return true;
		}
	}
	return false;
}

static unsigned
bcd(unsigned v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Leap years from year 1 to y, inclusive. */
static uint64_t
leap_years_through(unsigned y)
{
	return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to year-month-day (Gregorian). */
static uint64_t
days_since_epoch(unsigned year, unsigned month, unsigned day)
{
	static const unsigned before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
		273, 304, 334 };
	uint64_t days = (uint64_t)(year - 1970) * 365 + before[month - 1] + day - 1;

	/* The leap days of the years before this one, and this one's if past February. */
	days += leap_years_through(year - 1) - leap_years_through(1969);
	if (month > 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		days++;
	return days;
}

uint64_t
rtc_read_calendar(void)
{
	struct rtc_time a, b;
	uint8_t status_b;
	bool pm;
	unsigned year;

	do {
		if (!rtc_sample(&a) || !rtc_sample(&b))
			return 0;
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day ||
	    a.month != b.month || a.year != b.year);

	status_b = cmos_read(RTC_STATUS_B);
	pm = (a.hour & 0x80) != 0;
	a.hour &= 0x7f;
	if (!(status_b & STATUS_B_BINARY)) {
		a.sec = bcd(a.sec);
		a.min = bcd(a.min);
		a.hour = bcd(a.hour);
		a.day = bcd(a.day);
		a.month = bcd(a.month);
		a.year = bcd(a.year);
		a.century = bcd(a.century);
	}
	if (!(status_b & STATUS_B_24HOUR) && pm)
		a.hour = (a.hour % 12) + 12;
	year = a.century >= 19 && a.century <= 30 ? a.century * 100 + a.year
						  : 2000 + a.year;
	if (a.sec > 59 || a.min > 59 || a.hour > 23 || a.day < 1 || a.day > 31 ||
	    a.month < 1 || a.month > 12 || year < 1970)
		return 0;
	return days_since_epoch(year, a.month, a.day) * 86400 + a.hour * 3600 +
	    a.min * 60 + a.sec;
}
