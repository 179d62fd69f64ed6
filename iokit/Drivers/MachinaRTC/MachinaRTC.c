/*
 * MachinaRTC.c - org.machina.driver.RTC: the driver of the PC's CMOS
 * real-time clock (PNP0B00), in the spirit of macOS's AppleRTC.
 *
 * Matched on the platform expert's PNP0B00 nub (IONameMatch). Its start
 * reads the clock (waiting out an update in progress, reading twice until
 * two readings agree; BCD or binary, 12- or 24-hour, as status register B
 * says: rtc_registers_to_calendar converts), sets the kernel's calendar
 * from it (clock_set_calendar_ns: the BSD layer's time of day, gettimeofday
 * and date, comes from there), and becomes the machine's RTC service:
 * it publishes the IORTC resource and says so in its IOTimeOfDaySource
 * property. The kernel's own early read (kernel/x86_64/rtc.c) sets the
 * calendar at boot, before any driver runs; from here on this driver is
 * the source.
 *
 * Then it turns on the clock's update-ended interrupt (status register B's
 * UIE: once a second, IRQ 8) on a work loop of its own. Each interrupt's
 * action, in the gate, reads status register C (which acknowledges it: the
 * clock interrupts no more until C is read), and on an update-ended one
 * reads the time again into the RTCTime property (seconds since 1970) and
 * counts it in InterruptCount.
 *
 * The CMOS index port is written with bit 7 set (NMIs stay masked, as the
 * kernel's early read leaves them); every access goes through the nub's
 * accessors.
 *
 * Locks: [g] the work loop's gate; [I] set in start.
 */

#include <IOKit/IOInterruptEventSource.h>
#include <IOKit/IOLib.h>
#include <IOKit/IOPlatformDevice.h>
#include <IOKit/IOService.h>
#include <IOKit/IOWorkLoop.h>
#include <kern/clock.h>
#include <libkern/OSBoolean.h>
#include <libkern/OSNumber.h>
#include <mach/kmod.h>

#define CMOS_NMI_OFF	0x80
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_STATUS_C	0x0c
#define RTC_CENTURY	0x32

#define STATUS_A_UIP	0x80	/* an update is in progress */
#define STATUS_B_UIE	0x10	/* update-ended interrupt enable */
#define STATUS_B_AIE	0x20
#define STATUS_B_PIE	0x40
#define STATUS_C_UF	0x10	/* an update ended */

struct MachinaRTC {
	IOService		rtc_service;	/* the superclass, first */
	IOPlatformDevice	*rtc_nub;	/* [I] the provider (the link holds it) */
	uint16_t		rtc_index;	/* [I] the index port; data is the next */
	IOWorkLoop		*rtc_workloop;	/* [I] */
	IOInterruptEventSource	*rtc_ies;	/* [I] */
	uint32_t		rtc_interrupts;	/* [g] update-ended interrupts seen */
	OSNumber		*rtc_time;	/* [g] the RTCTime property, set in place */
	OSNumber		*rtc_count;	/* [g] the InterruptCount property, likewise */
};
OSDeclareDefaultStructors(MachinaRTC);

static uint8_t
rtc_read(struct MachinaRTC *rtc, uint8_t reg)
{
	IOPlatformDevice_ioWrite8(rtc->rtc_nub, rtc->rtc_index, CMOS_NMI_OFF | reg);
	return IOPlatformDevice_ioRead8(rtc->rtc_nub, (uint16_t)(rtc->rtc_index + 1));
}

static void
rtc_write(struct MachinaRTC *rtc, uint8_t reg, uint8_t value)
{
	IOPlatformDevice_ioWrite8(rtc->rtc_nub, rtc->rtc_index, CMOS_NMI_OFF | reg);
	IOPlatformDevice_ioWrite8(rtc->rtc_nub, (uint16_t)(rtc->rtc_index + 1), value);
}

/* One reading outside an update; false if the clock never leaves one. */
static bool
rtc_sample(struct MachinaRTC *rtc, struct rtc_registers *r)
{
	for (int spins = 0; spins < 100000; spins++) {
		if (rtc_read(rtc, RTC_STATUS_A) & STATUS_A_UIP)
			continue;
		r->sec = rtc_read(rtc, RTC_SECONDS);
		r->min = rtc_read(rtc, RTC_MINUTES);
		r->hour = rtc_read(rtc, RTC_HOURS);
		r->day = rtc_read(rtc, RTC_DAY);
		r->month = rtc_read(rtc, RTC_MONTH);
		r->year = rtc_read(rtc, RTC_YEAR);
		r->century = rtc_read(rtc, RTC_CENTURY);
		r->status_b = rtc_read(rtc, RTC_STATUS_B);
		return true;
	}
	return false;
}

/* The time, seconds since 1970; 0 if the clock is unreadable or impossible. */
static uint64_t
rtc_read_time(struct MachinaRTC *rtc)
{
	struct rtc_registers a, b;

	for (int tries = 0; tries < 10; tries++) {
		if (!rtc_sample(rtc, &a) || !rtc_sample(rtc, &b))
			return 0;
		if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day &&
		    a.month == b.month && a.year == b.year && a.century == b.century)
			return rtc_registers_to_calendar(&a);
	}
	return 0;
}

/*
 * A number property that the driver then changes in place (so that the
 * interrupt path allocates nothing); NULL if memory ran out.
 */
static OSNumber *
rtc_number_property(struct MachinaRTC *rtc, const char *key, uint64_t value)
{
	OSNumber *n = OSNumber_withNumber(value, 64);

	if (n != NULL && !IORegistryEntry_setProperty(&rtc->rtc_service.sv_entry, key, OSOBJ(n)))
		OSSafeReleaseNULL(n);
	return n;
}

/* On the work loop, in the gate. */
static void
rtc_interrupt(OSObject *owner, IOInterruptEventSource *sender, int count)
{
	struct MachinaRTC *rtc = (struct MachinaRTC *)owner;
	uint64_t now;

	(void)sender;
	(void)count;
	if (!(rtc_read(rtc, RTC_STATUS_C) & STATUS_C_UF))
		return;		/* not an update-ended interrupt (or not ours) */
	rtc->rtc_interrupts++;
	OSNumber_setValue(rtc->rtc_count, rtc->rtc_interrupts);
	if ((now = rtc_read_time(rtc)) != 0)
		OSNumber_setValue(rtc->rtc_time, now);
}

static void
rtc_take_down(struct MachinaRTC *rtc)
{
	if (rtc->rtc_nub != NULL && rtc->rtc_ies != NULL) {
		uint8_t b = rtc_read(rtc, RTC_STATUS_B);

		rtc_write(rtc, RTC_STATUS_B, b & (uint8_t)~STATUS_B_UIE);
		(void)rtc_read(rtc, RTC_STATUS_C);
	}
	if (rtc->rtc_workloop != NULL && rtc->rtc_ies != NULL)
		(void)IOWorkLoop_removeEventSource(rtc->rtc_workloop, &rtc->rtc_ies->ies_es);
	OSSafeReleaseNULL(rtc->rtc_ies);
	OSSafeReleaseNULL(rtc->rtc_workloop);
	OSSafeReleaseNULL(rtc->rtc_time);
	OSSafeReleaseNULL(rtc->rtc_count);
}

static bool
rtc_fail(struct MachinaRTC *rtc, const char *why)
{
	IOLog("MachinaRTC: %s; not starting\n", why);
	rtc_take_down(rtc);
	return false;
}

static bool
rtc_start(IOService *self, IOService *provider)
{
	struct MachinaRTC *rtc = (struct MachinaRTC *)self;
	uint32_t secs, nsecs;
	uint64_t now;
	uint8_t b;

	rtc->rtc_nub = OSDynamicCast(IOPlatformDevice, provider);
	if (rtc->rtc_nub == NULL || rtc->rtc_nub->pd_nranges < 1 ||
	    rtc->rtc_nub->pd_ranges[0].pr_length < 2)
		return rtc_fail(rtc, "the provider is not a platform nub with two ports");
	rtc->rtc_index = rtc->rtc_nub->pd_ranges[0].pr_base;
	if (rtc_read(rtc, RTC_STATUS_A) == 0xff && rtc_read(rtc, RTC_STATUS_B) == 0xff)
		return rtc_fail(rtc, "no clock answers at the nub's ports");
	now = rtc_read_time(rtc);
	if (now == 0)
		return rtc_fail(rtc, "the clock's time cannot be read or is impossible");

	/* The time of day is ours from here. */
	clock_get_calendar_nanotime(&secs, &nsecs);
	if (clock_set_calendar_ns(now * 1000000000ULL) != KERN_SUCCESS)
		return rtc_fail(rtc, "the kernel refused the clock's time");
	IOLog("MachinaRTC: the time of day comes from the CMOS clock: %llu seconds since 1970"
	    " (the kernel had %u)\n", (unsigned long long)now, secs);
	rtc->rtc_time = rtc_number_property(rtc, "RTCTime", now);
	rtc->rtc_count = rtc_number_property(rtc, "InterruptCount", 0);
	if (rtc->rtc_time == NULL || rtc->rtc_count == NULL)
		return rtc_fail(rtc, "no memory for its properties");
	(void)IORegistryEntry_setProperty(&self->sv_entry, "IOTimeOfDaySource",
	    OSOBJ(kOSBooleanTrue));

	rtc->rtc_workloop = IOWorkLoop_workLoop();
	rtc->rtc_ies = IOInterruptEventSource_interruptEventSourceWithProvider(OSOBJ(rtc),
	    rtc_interrupt, provider, 0);
	if (rtc->rtc_workloop == NULL || rtc->rtc_ies == NULL ||
	    IOWorkLoop_addEventSource(rtc->rtc_workloop, &rtc->rtc_ies->ies_es) !=
	    kIOReturnSuccess)
		return rtc_fail(rtc, "no work loop or interrupt source");
	IOEventSource_enable(&rtc->rtc_ies->ies_es);
	/* Update-ended interrupts only; reading C clears anything pending. */
	b = rtc_read(rtc, RTC_STATUS_B);
	rtc_write(rtc, RTC_STATUS_B, (uint8_t)((b & ~(STATUS_B_PIE | STATUS_B_AIE)) | STATUS_B_UIE));
	(void)rtc_read(rtc, RTC_STATUS_C);

	(void)IOService_publishResource("IORTC", NULL);
	IOService_registerService(self, 0);
	return true;
}

static void
rtc_stop(IOService *self, IOService *provider)
{
	(void)provider;
	IOService_unpublishResource("IORTC");
	rtc_take_down((struct MachinaRTC *)self);
}

static void
rtc_free(OSObject *obj)
{
	rtc_take_down((struct MachinaRTC *)obj);
}

static const struct IOService_methods rtc_methods = {
	.re.os.free = rtc_free,
	.start = rtc_start,
	.stop = rtc_stop,
};
OSDefineMetaClassAndStructorsWithMethods(MachinaRTC, IOService, &rtc_methods);

kern_return_t MachinaRTC_start(kmod_info_t *ki, void *data);
kern_return_t MachinaRTC_stop(kmod_info_t *ki, void *data);

kern_return_t
MachinaRTC_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}

kern_return_t
MachinaRTC_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return KERN_SUCCESS;
}
