/*
 * OSKext.h - the kext manager: which kexts exist, which are loaded, and
 * loading and unloading them (XNU's OSKext, in C).
 *
 * A kext is a bundle: Contents/Info.plist and, unless it is codeless,
 * Contents/MacOS/<CFBundleExecutable>, one ELF64 relocatable object
 * (DESIGN.md sections 6 and 7, docs/kexts.md). The manager knows two kinds:
 *
 *   - the catalog: every bundle under /System/Library/Extensions in the
 *     initrd, read at boot (OSKextInitCatalog). Their files are read in
 *     place from the archive; loading one by identifier, or as another's
 *     dependency, takes it from here.
 *   - the loaded kexts, each an OSKext with a kmod_info on the kmod list.
 *     The kernel itself and its KPI bundles (org.machina.kpi.*) are loaded
 *     from the start, with load tags 0 and 1..N, as kextstat shows them.
 *
 * Loading links the executable against only the KPIs and kexts its
 * OSBundleLibraries names (loading those first, from the catalog, if they
 * are not loaded yet), maps it in the kext region within 2 GiB of the
 * kernel (text RX, read-only data R+NX, data RW+NX), runs its constructors
 * and then kmod_info->start. Any failure undoes every step, and the message
 * names the bundle and the problem.
 *
 * Unloading is refused while another loaded kext links against this one,
 * while instances of its classes live, or when stop fails; after stop, it
 * is refused (the kext stays loaded, stopped) while a registered sysctl
 * node still points into it. A successful unload frees every page.
 *
 * Every call that reports takes msg/msglen: a buffer the manager writes
 * its lines to (NUL-terminated, cut to fit; msg may be NULL). Failures are
 * also written to the kernel log.
 *
 * Locks: the kext lock (a mutex) serializes every load, unload and
 * listing, and is held while constructors, start and stop run: a kext's
 * start must not load or unload kexts. Taken before everything else the
 * manager calls (sysctl's geometry lock, kalloc, the VM).
 */

#ifndef LIBKERN_OSKEXT_H
#define LIBKERN_OSKEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bsd/sys/kext_abi.h"
#include "mach/kern_return.h"
#include "mach/kmod.h"

typedef struct OSKext OSKext;

/* OSKextInit: the kernel and KPI records, the lock; at boot, before any load. */
void		OSKextInit(void);

/* OSKextInitCatalog: read every bundle in the initrd's Extensions folder. */
void		OSKextInitCatalog(void);

/*
 * OSKextLoadBootKexts: load the catalog's kexts whose OSBundleRequired
 * asks to be loaded at boot, then those the boot-arg kext= names (a comma-
 * separated list of identifiers). Failures are logged; boot goes on.
 */
void		OSKextLoadBootKexts(void);

/*
 * OSKextLoadFromData: load the bundle at path whose Info.plist and
 * executable are given (exec NULL for a codeless kext). With
 * KEXT_LOAD_CHECK_ONLY, nothing is loaded: the report says whether it
 * would link, which KPIs and kexts its symbols come from, and what is
 * missing. With KEXT_LOAD_LIBRARIES, nothing is linked either: the
 * report lists the KPIs and library kexts its symbols come from, whatever
 * its OSBundleLibraries says (kextlibs), and what nothing exports. On
 * success *tag is its load tag (may be NULL).
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT (a malformed bundle);
 * KERN_NAME_EXISTS (already loaded); KERN_NOT_FOUND (a dependency or a
 * symbol is missing); KERN_RESOURCE_SHORTAGE; KERN_FAILURE (start failed).
 */
kern_return_t	OSKextLoadFromData(const char *path, const void *plist, size_t plistlen,
		    const void *exec, size_t execlen, uint32_t flags, uint32_t *tag,
		    char *msg, size_t msglen);

/* OSKextLoadKextWithIdentifier: load a catalog kext (and its dependencies). */
kern_return_t	OSKextLoadKextWithIdentifier(const char *identifier, uint32_t flags,
		    uint32_t *tag, char *msg, size_t msglen);

/*
 * OSKextUnloadKextWithIdentifier: unload a loaded kext named by
 * identifier, or (KEXT_UNLOAD_BY_PATH) by the bundle path it was loaded
 * from. With KEXT_UNLOAD_TERMINATE (what kextunload asks for, as on
 * macOS) the I/O Kit first terminates every service whose class the kext
 * defines and takes its personalities out of the catalogue (see
 * OSKextIOKitHooks), unless another loaded kext depends on it (the
 * unload is refused then, with nothing torn down); with
 * KEXT_UNLOAD_PERSONALITIES_ONLY it stops after the termination, which
 * then happens whatever depends on the kext, and the kext stays loaded. Returns: KERN_SUCCESS;
 * KERN_NOT_FOUND (not loaded); KERN_NO_ACCESS (the kernel or a KPI);
 * KERN_FAILURE (refused: the message says why).
 */
kern_return_t	OSKextUnloadKextWithIdentifier(const char *identifier, uint32_t flags,
		    char *msg, size_t msglen);

/*
 * OSKextForEachCatalogPersonality: call fn for each personality in the
 * IOKitPersonalities of every catalog bundle, with the bundle's
 * identifier and the personality's key. The dictionary is the bundle's
 * own (lent, never to be changed: copy it to keep or alter it). fn runs
 * with the kext lock held and must not load, unload or list kexts. For
 * the I/O Kit's catalogue, at boot.
 */
struct OSDictionary;
typedef void (*OSKextPersonalityFn)(const char *bundleID, const char *name,
    struct OSDictionary *personality, void *ctx);
void		OSKextForEachCatalogPersonality(OSKextPersonalityFn fn, void *ctx);

/*
 * OSKextCopyLoadedInfo: describe up to max loaded kexts (the kernel and
 * KPIs first, then by load tag) into out; returns how many there are.
 */
uint32_t	OSKextCopyLoadedInfo(struct kext_stat_entry *out, uint32_t max);

/*
 * OSKextAddressKmod: the kmod_info of the loaded kext whose image holds
 * addr (or of the one whose constructors or start are running), for
 * backtraces and panics; NULL if none. OSKextAddressName: its identifier
 * and image base. They take no lock (they run in panics): they read the
 * kmod chain, whose entries stay valid while their kext is loaded.
 */
const kmod_info_t *OSKextAddressKmod(uintptr_t addr);
const char	*OSKextAddressName(uintptr_t addr, uintptr_t *base);

/*
 * Checks the BSD layer adds to unload: fn writes what still points into
 * [lo, hi) (for example a sysctl node's name) to buf and returns true.
 */
typedef bool (*OSKextUnloadCheck)(uintptr_t lo, uintptr_t hi, char *buf, size_t len);
void		OSKextRegisterUnloadCheck(OSKextUnloadCheck fn);

/*
 * The I/O Kit's part in loading and unloading (XNU's OSKext calling into
 * IOCatalogue), registered once it starts. Both are called without the
 * kext lock (termination and matching may load kexts):
 *   terminate(bundleID, msg, len): before an unload with
 *     KEXT_UNLOAD_TERMINATE checks for instances: terminate every service
 *     whose class the kext defines, remove its personalities from the
 *     catalogue so that nothing matches it again, and say what was done.
 *   loaded(bundleID): after an explicit load of bundleID succeeded (its
 *     dependencies may have been loaded with it): put back, and match,
 *     the personalities an earlier unload took out of any kext that is
 *     loaded again.
 */
struct OSKextIOKitHooks {
	void	(*terminate)(const char *bundleID, char *msg, size_t msglen);
	void	(*loaded)(const char *bundleID);
};
void		OSKextRegisterIOKitHooks(const struct OSKextIOKitHooks *hooks);

/* OSKextIsLoadedWithIdentifier: whether a kext of that identifier is loaded now. */
bool		OSKextIsLoadedWithIdentifier(const char *identifier);

/* OSKextGetIdentifier: kext's CFBundleIdentifier (valid while it is loaded). */
const char	*OSKextGetIdentifier(const OSKext *kext);

/*
 * OSKextLoadedHook: called with the kext lock held after a kext is linked
 * and mapped and before its constructors run (event KEXT_HOOK_LOADED), and
 * just before its pages are freed (KEXT_HOOK_UNLOADING). It does nothing:
 * it is where the debugger puts a breakpoint to load and drop the kext's
 * symbols (tools/gdb).
 */
#define KEXT_HOOK_LOADED	1
#define KEXT_HOOK_UNLOADING	2
void		OSKextLoadedHook(const OSKext *kext, int event);

#endif /* LIBKERN_OSKEXT_H */
