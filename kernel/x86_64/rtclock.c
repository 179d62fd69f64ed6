/*
 * rtclock.c - the TSC as Mach's clock.
 *
 * The TSC's frequency comes from CPUID when the CPU or hypervisor states it
 * (leaf 0x15 with a crystal frequency, or the hypervisor leaf 0x40000010),
 * else from counting TSC ticks across a known interval of the PIT (channel
 * 2, whose output is readable without interrupts). Nanoseconds are then
 * ((tsc - tsc0) * scale) >> 32 with scale = 10^9 * 2^32 / hz, one multiply
 * and no divide.
 */

#include "mach/kern/clock.h"

#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/x86_64/cpu.h"

#define PIT_HZ			1193182ULL
#define PIT_CH2_DATA		0x42
#define PIT_CMD			0x43
#define PIT_GATE_PORT		0x61
#define PIT_GATE		0x01
#define PIT_SPEAKER		0x02
#define PIT_OUT2		0x20
#define CALIBRATE_MS		2
#define CALIBRATE_ROUNDS	3

static struct {
	uint64_t	hz;		/* [I] after rtclock_init */
	uint64_t	scale;		/* [I] ns per tick, 32.32 fixed point */
	uint64_t	tsc0;		/* [I] TSC at time zero */
	const char	*source;	/* [I] how hz was found */
} rtc __hot_data;

uint64_t
rtclock_read_tsc(void)
{
	return rdtsc64();
}

/* CPUID's statement of the TSC frequency, or 0. */
static uint64_t
tsc_hz_from_cpuid(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);	/* eax/ebx = TSC/crystal ratio, ecx = crystal Hz */
		if (r[0] != 0 && r[1] != 0 && r[2] != 0) {
			rtc.source = "CPUID leaf 0x15";
			return (uint64_t)r[2] * r[1] / r[0];
		}
	}
	cpuid(1, 0, r);
	if (r[2] & (1u << 31)) {	/* running under a hypervisor */
		cpuid(0x40000000, 0, r);
		if (r[0] >= 0x40000010) {
			cpuid(0x40000010, 0, r);	/* eax = TSC kHz */
			if (r[0] != 0) {
				rtc.source = "hypervisor CPUID leaf";
				return (uint64_t)r[0] * 1000;
			}
		}
	}
	return 0;
}

/* TSC ticks across ms milliseconds of PIT channel 2; 0 if the PIT never fired. */
static uint64_t
pit_measure(unsigned ms)
{
	uint32_t count = (uint32_t)(PIT_HZ * ms / 1000);
	uint64_t t0, t1;
	uint8_t gate;

	gate = (inb(PIT_GATE_PORT) & ~PIT_SPEAKER) & ~PIT_GATE;
	outb(PIT_GATE_PORT, gate);
	outb(PIT_CMD, 0xb0);		/* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	outb(PIT_GATE_PORT, gate | PIT_GATE);	/* a rising gate starts the count */
	t0 = rdtsc64();
	for (uint64_t spins = 0; (inb(PIT_GATE_PORT) & PIT_OUT2) == 0; spins++) {
		if (spins > 50000000)
			return 0;
	}
	t1 = rdtsc64();
	outb(PIT_GATE_PORT, gate);
	return t1 - t0;
}

static uint64_t
tsc_hz_from_pit(void)
{
	uint64_t best = 0;

	/* The shortest measurement is the one least disturbed. */
	for (int i = 0; i < CALIBRATE_ROUNDS; i++) {
		uint64_t ticks = pit_measure(CALIBRATE_MS);

		if (ticks != 0 && (best == 0 || ticks < best))
			best = ticks;
	}
	rtc.source = "PIT";
	return best * 1000 / CALIBRATE_MS;
}

void
rtclock_init(void)
{
	uint64_t hz = tsc_hz_from_cpuid();

	if (hz == 0)
		hz = tsc_hz_from_pit();
	if (hz < 1000000) {
		printf("rtclock: could not measure the TSC (no PIT?); assuming 1 GHz\n");
		hz = 1000000000;
		rtc.source = "a guess";
	}
	rtc.hz = hz;
	rtc.scale = (uint64_t)(((unsigned __int128)NSEC_PER_SEC << 32) / hz);
	rtc.tsc0 = 0;	/* absolute time counts from TSC zero: boot, on QEMU */
	if (verbose_boot)
		printf("rtclock: TSC at %llu.%03llu MHz (from %s)\n",
		    (unsigned long long)(hz / 1000000),
		    (unsigned long long)(hz / 1000 % 1000), rtc.source);
}

uint64_t
rtclock_tsc_hz(void)
{
	return rtc.hz;
}

uint64_t
rtclock_tsc_to_ns(uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - rtc.tsc0) * rtc.scale) >> 32);
}

uint64_t
mach_absolute_time(void)
{
	return rtc.scale == 0 ? 0 : rtclock_tsc_to_ns(rdtsc64());
}

void
clock_get_uptime(uint64_t *result)
{
	*result = mach_absolute_time();
}

void
clock_timebase_info(mach_timebase_info_t info)
{
	info->numer = 1;
	info->denom = 1;
}

void
absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result)
{
	*result = abstime;
}

void
nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result)
{
	*result = nanoseconds;
}
