/*
 * OSUnserializeXML_bench.c - how fast the kernel reads property lists:
 * a kext's Info.plist with many IOKit personalities, about 64 KiB.
 *
 *	bench=plist.*
 *	    plist.parse		one OSUnserializeXML of the text, and the release
 *				of what it made (ns per parse)
 *	    plist.parse_rate	the same as kilobytes of text per second
 *
 * The text is made here: 80 personalities, each a dict of strings, an
 * integer, a boolean, base64 data and an array, inside the keys every
 * Info.plist has. Each figure is the median of KBENCH_ROUNDS rounds.
 */

#include "libkern/OSUnserializeXML.h"

#include "kernel/console.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "tests/kbench.h"
#include "tests/ktest.h"

#define PLIST_PERSONALITIES	80
#define PLIST_MAX		(96 * 1024)
#define PLIST_ITERATIONS	8

struct plist_run {
	const char	*text;
	size_t		len;
	uint64_t	failures;
};

static size_t
plist_make(char *buf, size_t size)
{
	size_t n = 0;

#define PUT(...) do { \
	int w_ = snprintf(buf + n, size - n, __VA_ARGS__); \
	if (w_ < 0 || (size_t)w_ >= size - n) \
		return 0; \
	n += (size_t)w_; \
} while (0)

	PUT("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC "
	    "\"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	    "<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleIdentifier</key>\n"
	    "\t<string>org.machina.bench.Personalities</string>\n"
	    "\t<key>CFBundleVersion</key>\n\t<string>1.0.0</string>\n"
	    "\t<key>IOKitPersonalities</key>\n\t<dict>\n");
	for (int i = 0; i < PLIST_PERSONALITIES; i++) {
		PUT("\t\t<key>Device%03d</key>\n\t\t<dict>\n"
		    "\t\t\t<key>CFBundleIdentifier</key>\n"
		    "\t\t\t<string>org.machina.bench.Personalities</string>\n"
		    "\t\t\t<key>IOClass</key>\n\t\t\t<string>org_machina_BenchDriver</string>\n"
		    "\t\t\t<key>IOProviderClass</key>\n\t\t\t<string>IOPCIDevice</string>\n"
		    "\t\t\t<key>IOPCIMatch</key>\n\t\t\t<string>0x%04x8086&amp;0xffffffff</string>\n"
		    "\t\t\t<key>IOProbeScore</key>\n\t\t\t<integer>%d</integer>\n"
		    "\t\t\t<key>IOMatchCategory</key>\n\t\t\t<string>IODefaultMatchCategory</string>\n"
		    "\t\t\t<key>Enabled</key>\n\t\t\t<true/>\n"
		    "\t\t\t<key>Firmware</key>\n\t\t\t<data>TWFjaGluYSBmaXJtd2FyZSBibG9iAA==</data>\n"
		    "\t\t\t<key>Revisions</key>\n\t\t\t<array>\n\t\t\t\t<integer>1</integer>\n"
		    "\t\t\t\t<integer>2</integer>\n\t\t\t\t<string>rev-c</string>\n\t\t\t</array>\n"
		    "\t\t</dict>\n", i, 0x1000 + i, 1000 + i);
	}
	PUT("\t</dict>\n</dict>\n</plist>\n");
#undef PUT
	return n;
}

static void
plist_body(void *arg, uint64_t iterations)
{
	struct plist_run *run = arg;

	for (uint64_t i = 0; i < iterations; i++) {
		OSObject *o = OSUnserializeXML(run->text, run->len, NULL, 0);

		if (o == NULL)
			run->failures++;
		else
			OSObject_release(o);
	}
}

KBENCH(plist_parse, "plist.parse")
{
	struct plist_run run = { 0 };
	struct kbench_cost cost;
	char *text = kalloc(PLIST_MAX);

	if (text == NULL) {
		printf("# plist.parse: no memory for the text; no figure\n");
		return;
	}
	run.text = text;
	run.len = plist_make(text, PLIST_MAX);
	if (run.len == 0) {
		printf("# plist.parse: the text does not fit in %d bytes; no figure\n", PLIST_MAX);
	} else {
		kbench_rounds(plist_body, &run, PLIST_ITERATIONS, &cost);
		if (run.failures != 0 || cost.kc_ns == 0) {
			printf("# plist.parse: %llu parses failed; no figure\n",
			    (unsigned long long)run.failures);
		} else {
			kbench_report_cost("plist.parse", &cost);
			printf("plist.parse_rate %llu KB/s\n",
			    (unsigned long long)(run.len * 1000000ull / cost.kc_ns));
		}
	}
	kfree(text, PLIST_MAX);
}
