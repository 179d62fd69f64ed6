/*
 * rtc_test.c - the CMOS clock's registers turned into the calendar: BCD
 * and binary, 12- and 24-hour (midnight and noon), the century register,
 * and impossible values refused.
 */

#include "mach/kern/clock.h"

#include "tests/ktest.h"

/* 2026-11-22 12:31:38 UTC. */
#define WHEN	1795350698ULL

KTEST(rtc, bcd_24_hour)
{
	struct rtc_registers r = { 0x38, 0x31, 0x12, 0x22, 0x11, 0x26, 0x20, 0x02 };

	KT_EXPECT_EQ(rtc_registers_to_calendar(&r), WHEN);
}

KTEST(rtc, binary_24_hour)
{
	struct rtc_registers r = { 38, 31, 12, 22, 11, 26, 20, 0x06 };

	KT_EXPECT_EQ(rtc_registers_to_calendar(&r), WHEN);
}

KTEST(rtc, twelve_hour)
{
	/* 12:31 PM is noon-thirty; 12:31 AM is half past midnight. */
	struct rtc_registers noon = { 0x38, 0x31, 0x80 | 0x12, 0x22, 0x11, 0x26, 0x20, 0x00 };
	struct rtc_registers night = { 0x38, 0x31, 0x12, 0x22, 0x11, 0x26, 0x20, 0x00 };
	struct rtc_registers pm = { 38, 31, 0x80 | 1, 22, 11, 26, 20, 0x04 };

	KT_EXPECT_EQ(rtc_registers_to_calendar(&noon), WHEN);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&night), WHEN - 12 * 3600);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&pm), WHEN + 3600);
}

KTEST(rtc, century_and_epoch)
{
	struct rtc_registers epoch = { 0, 0, 0, 0x01, 0x01, 0x70, 0x19, 0x02 };
	struct rtc_registers no_century = { 0x38, 0x31, 0x12, 0x22, 0x11, 0x26, 0x00, 0x02 };
	struct rtc_registers leap = { 0, 0, 0, 0x29, 0x02, 0x24, 0x20, 0x02 };

	KT_EXPECT_EQ(rtc_registers_to_calendar(&epoch), 0);	/* 1970-01-01 00:00:00 */
	KT_EXPECT_EQ(rtc_registers_to_calendar(&no_century), WHEN);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&leap), 1709164800ULL);	/* 2024-02-29 */
}

KTEST(rtc, impossible_values_are_refused)
{
	struct rtc_registers bad_digit = { 0x3a, 0x31, 0x12, 0x22, 0x11, 0x26, 0x20, 0x02 };
	struct rtc_registers bad_month = { 0x38, 0x31, 0x12, 0x22, 0x13, 0x26, 0x20, 0x02 };
	struct rtc_registers bad_hour = { 0x38, 0x31, 0x24, 0x22, 0x11, 0x26, 0x20, 0x02 };
	struct rtc_registers zero_hour12 = { 0x38, 0x31, 0x00, 0x22, 0x11, 0x26, 0x20, 0x00 };
	struct rtc_registers all_ones = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct rtc_registers before_1970 = { 0, 0, 0, 0x01, 0x01, 0x69, 0x19, 0x02 };

	KT_EXPECT_EQ(rtc_registers_to_calendar(&bad_digit), 0);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&bad_month), 0);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&bad_hour), 0);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&zero_hour12), 0);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&all_ones), 0);
	KT_EXPECT_EQ(rtc_registers_to_calendar(&before_1970), 0);
}
