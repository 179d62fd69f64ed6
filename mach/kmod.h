/*
 * kmod.h - what a kext's executable tells the kernel about itself, and the
 * kernel's list of loaded kexts (XNU's <mach/kmod.h>).
 *
 * Every kext executable defines one kmod_info_t named kmod_info, made by
 * KMOD_EXPLICIT_DECL (the SDK's kext.mk writes it for you, from Info.plist
 * and the names of your start and stop functions):
 *
 *	kern_return_t MyKext_start(kmod_info_t *ki, void *data);
 *	kern_return_t MyKext_stop(kmod_info_t *ki, void *data);
 *	KMOD_EXPLICIT_DECL(com.example.MyKext, "1.0.0", MyKext_start, MyKext_stop)
 *
 * The kernel's linker finds kmod_info by name, checks that its name is the
 * bundle's CFBundleIdentifier, fills in id, address, size and
 * reference_count, runs the kext's constructors and then calls start. A
 * start that returns anything but KERN_SUCCESS fails the load, and
 * everything the load made is undone. stop is called at unload; if it fails
 * the kext stays loaded. Either may be NULL (nothing to do).
 *
 * The loaded kexts are chained through next, newest first, from the global
 * kmod (what the debugger's showallkmods walks). The fields after
 * reference_count are the kernel's: a kext reads them, never writes them.
 */

#ifndef MACH_KMOD_H
#define MACH_KMOD_H

#include <stdint.h>

#include "mach/kern_return.h"
#include "mach/mach_types.h"

#define KMOD_INFO_NAME		kmod_info
#define KMOD_INFO_VERSION	1
#define KMOD_MAX_NAME		64

struct kmod_info;

typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef kern_return_t kmod_stop_func_t(struct kmod_info *ki, void *data);

/* One "linked against" edge: this kext depends on info. */
typedef struct kmod_reference {
	struct kmod_reference	*next;
	struct kmod_info	*info;
} kmod_reference_t;

typedef struct kmod_info {
	struct kmod_info	*next;		/* the kmod list, newest first */
	int32_t			info_version;	/* KMOD_INFO_VERSION */
	uint32_t		id;		/* load tag: kextstat's index */
	char			name[KMOD_MAX_NAME];	/* CFBundleIdentifier */
	char			version[KMOD_MAX_NAME];	/* CFBundleVersion */
	int32_t			reference_count;	/* kexts linked against this one */
	kmod_reference_t	*reference_list;	/* what this one is linked against */
	vm_address_t		address;	/* first byte of the loaded image */
	vm_size_t		size;		/* bytes of the loaded image */
	vm_size_t		hdr_size;	/* always 0: no header is loaded */
	kmod_start_func_t	*start;
	kmod_stop_func_t	*stop;
} kmod_info_t;

#define KMOD_EXPLICIT_DECL(name, version, start, stop)			\
	__attribute__((visibility("default"))) kmod_info_t KMOD_INFO_NAME = {	\
		0, KMOD_INFO_VERSION, UINT32_MAX, #name, version, -1, 0, 0,	\
		0, 0, start, stop };

/* A kext with nothing to do at start or stop. */
#define KMOD_DECL(name, version)	KMOD_EXPLICIT_DECL(name, version, 0, 0)

#ifdef KERNEL
/* The loaded kexts, newest first; the kext lock covers the chain. */
extern kmod_info_t *kmod;
#endif

#endif /* MACH_KMOD_H */
