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

/* A BCD byte as binary; -1 if a digit is over 9. */
static int
bcd(unsigned v)
{
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (int)((v & 0x0f) + (v >> 4) * 10);
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

/* One register as binary: BCD unless status B says binary; -1 if not BCD. */
static int
rtc_field(uint8_t v, uint8_t status_b)
{
	return (status_b & STATUS_B_BINARY) ? v : bcd(v);
}

uint64_t
rtc_registers_to_calendar(const struct rtc_registers *r)
{
	bool pm = (r->hour & 0x80) != 0;
	int sec = rtc_field(r->sec, r->status_b), min = rtc_field(r->min, r->status_b);
	int hour = rtc_field(r->hour & 0x7f, r->status_b), day = rtc_field(r->day, r->status_b);
	int month = rtc_field(r->month, r->status_b), year = rtc_field(r->year, r->status_b);
	int century = rtc_field(r->century, r->status_b);
	unsigned full_year;

	if (sec < 0 || min < 0 || hour < 0 || day < 0 || month < 0 || year < 0)
		return 0;
	if (!(r->status_b & STATUS_B_24HOUR)) {
		if (hour < 1 || hour > 12)
			return 0;
		hour = (hour % 12) + (pm ? 12 : 0);	/* 12 AM is 0, 12 PM is 12 */
	}
	full_year = century >= 19 && century <= 30 ? (unsigned)(century * 100 + year)
						   : 2000 + (unsigned)year;
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || month < 1 ||
	    month > 12 || year > 99 || full_year < 1970)
		return 0;
	return days_since_epoch(full_year, (unsigned)month, (unsigned)day) * 86400 +
	    (uint64_t)hour * 3600 + (uint64_t)min * 60 + (uint64_t)sec;
}

uint64_t
rtc_read_calendar(void)
{
	struct rtc_time a, b;
	struct rtc_registers r;

	do {
		if (!rtc_sample(&a) || !rtc_sample(&b))
			return 0;
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day ||
	    a.month != b.month || a.year != b.year);
	r.sec = (uint8_t)a.sec;
	r.min = (uint8_t)a.min;
	r.hour = (uint8_t)a.hour;
	r.day = (uint8_t)a.day;
	r.month = (uint8_t)a.month;
	r.year = (uint8_t)a.year;
	r.century = (uint8_t)a.century;
	r.status_b = cmos_read(RTC_STATUS_B);
	return rtc_registers_to_calendar(&r);
}
