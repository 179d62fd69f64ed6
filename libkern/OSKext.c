/*
 * OSKext.c - the kext manager: the catalog, loading, unloading, kextstat.
 *
 * The one libkern file that is kernel-only: it maps kernel memory (the
 * kext region) and runs kext code. What it decides from a bundle alone
 * (the Info.plist checks, versions) is in host-testable files beside it.
 *
 * Records. Every loaded thing is an OSKext on sLoaded, in tag order: the
 * kernel (tag 0), one per KPI bundle (1..N), then kexts. A dependency edge
 * is a pointer to the OSKext linked against, which counts the edge in
 * k_refs; an OSKext with k_refs > 0 cannot be unloaded. A kext's exports
 * (the global symbols other kexts may link against, kept only for kexts
 * that declare OSBundleCompatibleVersion, that is, libraries) are a table
 * sorted by name, copied out of the executable at load.
 *
 * Loading one request: resolve the dependencies depth first, loading from
 * the catalog whatever is not loaded yet (a stack of the identifiers in
 * progress catches cycles), then link the kext itself. If anything fails,
 * the kexts this request loaded are unloaded again, newest first, so a
 * failed request leaves the kernel as it found it.
 */

#include "libkern/OSKext.h"

#include "bsd/sys/kext_abi.h"
#include "iokit/Kernel/IOLib.h"
#include "kernel/initrd.h"
#include "kernel/console.h"
#include "kernel/debug.h"
#include "kernel/pexpert.h"
#include "kernel/version.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSKextBundle.h"
#include "libkern/OSKextVersion.h"
#include "libkern/OSString.h"
#include "libkern/OSMetaClass.h"
#include "libkern/elf.h"
#include "libkern/glob.h"
#include "libkern/kpi.h"
#include "libkern/kxld.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/queue.h"
#include "libkern/string.h"
#include "mach/kern/kalloc.h"
#include "mach/kern/locks.h"
#include "mach/vm/kext_region.h"
#include "mach/vm_prot.h"

/* Dependency chains deeper than this are refused: each level is a recursion on a 16 KiB stack. */
#define KEXT_MAX_DEPTH		8
#define KEXT_MAX_CATALOG	256	/* bundles read from the initrd */
#define KEXT_MAX_MISSES		16	/* unresolved symbols named in a message */
#define KEXT_EXTENSIONS		"System/Library/Extensions/"

struct kext_export {
	const char	*ke_name;
	uint64_t	ke_addr;
};

struct kext_section {
	char		ks_name[32];
	uint64_t	ks_addr;
	uint64_t	ks_size;
};

struct OSKext {
	TAILQ_ENTRY(OSKext) k_link;		/* sLoaded, by tag */
	kmod_info_t	*k_info;		/* in the image, or &k_own_info */
	kmod_info_t	k_own_info;		/* for codeless kexts, the kernel, the KPIs */
	uint32_t	k_tag;
	uint32_t	k_flags;		/* KEXT_STAT_* */
	char		k_id[KEXT_NAME_MAX];
	char		k_version_str[KEXT_NAME_MAX];
	OSKextVersion	k_version;
	OSKextVersion	k_compat;		/* -1: not a library */
	char		k_path[KEXT_PATH_MAX];
	uintptr_t	k_addr;			/* the image; 0 if none */
	size_t		k_size;
	OSKext		**k_deps;		/* linked against, each counted in its k_refs */
	uint32_t	k_ndeps;
	int32_t		k_refs;
	const struct kpi_bundle *k_kpi;		/* a KPI record's bundle */
	struct kext_export *k_exports;		/* sorted by name */
	uint32_t	k_nexports;
	char		*k_names;		/* the exports' names, one block */
	size_t		k_names_size;
	struct kext_section *k_sections;	/* where each allocated section went (gdb) */
	uint32_t	k_nsections;
	uint64_t	k_text;			/* [k_text, k_text_end): its code */
	uint64_t	k_text_end;
	uint64_t	k_fini;			/* .fini_array: address and count */
	uint32_t	k_nfini;
	kmod_reference_t *k_refs_list;		/* k_info->reference_list's entries */
};

TAILQ_HEAD(kext_list, OSKext);

static struct kext_list sLoaded = TAILQ_HEAD_INITIALIZER(sLoaded);
static lck_grp_t sKextGroup;
static lck_mtx_t sKextLock;
static uint32_t sNextTag;
static OSKextUnloadCheck sUnloadCheck;
static const struct OSKextIOKitHooks *sIOKitHooks;

static struct kext_bundle *sCatalog[KEXT_MAX_CATALOG];
static uint32_t sCatalogCount;

BOOT_ARG(kext, "kext", BOOT_ARG_STRING, 511,
    "load these kexts from /System/Library/Extensions at boot (identifiers or globs, "
    "comma-separated)");

kmod_info_t *kmod;
static kmod_info_t *sStartingKmod;	/* between the hook and the kmod chain */

/* --- reports ----------------------------------------------------------------- */

struct kext_msg {
	char	*buf;
	size_t	len;
	size_t	used;
	bool	log;		/* also to the kernel log */
	bool	log_first;	/* only the first line to the log (a user's request:
				   the details went back to the caller) */
};

static void kext_say(struct kext_msg *m, const char *fmt, ...) __printflike(2, 3);

static void
kext_say(struct kext_msg *m, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (m->log) {
		printf("kext: %s\n", line);
		if (m->log_first)
			m->log = false;
	}
	if (m->buf != NULL && m->used + 1 < m->len) {
		size_t room = m->len - m->used;
		int w = snprintf(m->buf + m->used, room, "%s\n", line);

		m->used += (w > 0 && (size_t)w < room) ? (size_t)w : room - 1;
	}
}

/* --- looking things up --------------------------------------------------------- */

static OSKext *
kext_find_loaded(const char *id)
{
	OSKext *k;

	TAILQ_FOREACH(k, &sLoaded, k_link) {
		if (strcmp(k->k_id, id) == 0)
			return k;
	}
	return NULL;
}

static OSKext *
kext_find_loaded_path(const char *path)
{
	OSKext *k;

	TAILQ_FOREACH(k, &sLoaded, k_link) {
		if (k->k_path[0] != '\0' && strcmp(k->k_path, path) == 0)
			return k;
	}
	return NULL;
}

static struct kext_bundle *
kext_find_catalog(const char *id)
{
	for (uint32_t i = 0; i < sCatalogCount; i++) {
		if (strcmp(sCatalog[i]->kb_identifier, id) == 0)
			return sCatalog[i];
	}
	return NULL;
}

static bool
kext_export_lookup(const OSKext *k, const char *name, uint64_t *addr)
{
	uint32_t lo = 0, hi = k->k_nexports;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, k->k_exports[mid].ke_name);

		if (c == 0) {
			*addr = k->k_exports[mid].ke_addr;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Does k (a KPI or a loaded library) define name? */
static bool
kext_provides(const OSKext *k, const char *name, uint64_t *addr)
{
	uint64_t dummy;

	if (addr == NULL)
		addr = &dummy;
	if (k->k_kpi != NULL)
		return kpi_bundle_symbol(k->k_kpi, name, addr);
	return kext_export_lookup(k, name, addr);
}

const kmod_info_t *
OSKextAddressKmod(uintptr_t addr)
{
	kmod_info_t *ki = sStartingKmod;

	/* A kext in its constructors or start: not on the chain yet. */
	if (ki != NULL && ki->size != 0 && addr >= ki->address && addr - ki->address < ki->size)
		return ki;
	for (ki = kmod; ki != NULL; ki = ki->next) {
		if (ki->size != 0 && addr >= ki->address && addr - ki->address < ki->size)
			return ki;
	}
	return NULL;
}

const char *
OSKextAddressName(uintptr_t addr, uintptr_t *base)
{
	const kmod_info_t *ki = OSKextAddressKmod(addr);

	if (ki == NULL)
		return NULL;
	if (base != NULL)
		*base = ki->address;
	return ki->name;
}

/* For panics and backtraces (kext_region_set_namer): no lock, no allocation. */
static const char *
kext_namer(vm_offset_t addr, vm_offset_t *start, vm_offset_t *end)
{
	const kmod_info_t *ki = OSKextAddressKmod(addr);

	if (ki == NULL)
		return NULL;
	if (start != NULL)
		*start = ki->address;
	if (end != NULL)
		*end = ki->address + ki->size;
	return ki->name;
}

/* --- records ------------------------------------------------------------------- */

static OSKext *
kext_record_alloc(const char *id, const char *version, const char *path)
{
	OSKext *k = kalloc(sizeof(*k));

	if (k == NULL)
		return NULL;
	memset(k, 0, sizeof(*k));
	strlcpy(k->k_id, id, sizeof k->k_id);
	strlcpy(k->k_version_str, version, sizeof k->k_version_str);
	k->k_version = OSKextParseVersionString(version);
	k->k_compat = -1;
	if (path != NULL)
		strlcpy(k->k_path, path, sizeof k->k_path);
	k->k_info = &k->k_own_info;
	k->k_own_info.info_version = KMOD_INFO_VERSION;
	strlcpy(k->k_own_info.name, id, sizeof k->k_own_info.name);
	strlcpy(k->k_own_info.version, version, sizeof k->k_own_info.version);
	return k;
}

static void
kext_record_free(OSKext *k)
{
	if (k->k_deps != NULL)
		kfree(k->k_deps, k->k_ndeps * sizeof(k->k_deps[0]));
	if (k->k_refs_list != NULL)
		kfree(k->k_refs_list, k->k_ndeps * sizeof(k->k_refs_list[0]));
	if (k->k_exports != NULL)
		kfree(k->k_exports, k->k_nexports * sizeof(k->k_exports[0]));
	if (k->k_names != NULL)
		kfree(k->k_names, k->k_names_size);
	if (k->k_sections != NULL)
		kfree(k->k_sections, k->k_nsections * sizeof(k->k_sections[0]));
	kfree(k, sizeof(*k));
}

__attribute__((noinline)) void
OSKextLoadedHook(const OSKext *kext, int event)
{
	/* The debugger's breakpoint; keep the call from being optimised away. */
	__asm__ volatile("" : : "r"(kext), "r"(event) : "memory");
}

void
OSKextRegisterUnloadCheck(OSKextUnloadCheck fn)
{
	sUnloadCheck = fn;
}

void
OSKextRegisterIOKitHooks(const struct OSKextIOKitHooks *hooks)
{
	sIOKitHooks = hooks;
}

bool
OSKextIsLoadedWithIdentifier(const char *identifier)
{
	bool loaded;

	lck_mtx_lock(&sKextLock);
	loaded = identifier != NULL && kext_find_loaded(identifier) != NULL;
	lck_mtx_unlock(&sKextLock);
	return loaded;
}

const char *
OSKextGetIdentifier(const OSKext *kext)
{
	return kext != NULL ? kext->k_id : NULL;
}

/* After an explicit load: the I/O Kit may have personalities of id to put back. */
static void
kext_tell_iokit_loaded(const char *id)
{
	if (sIOKitHooks != NULL && sIOKitHooks->loaded != NULL)
		sIOKitHooks->loaded(id);
}

/* --- start-up ------------------------------------------------------------------ */

void
OSKextInit(void)
{
	OSKext *k;

	lck_grp_init(&sKextGroup, "kext", NULL);
	lck_mtx_init(&sKextLock, &sKextGroup, NULL);
	kext_region_set_namer(kext_namer);

	k = kext_record_alloc("org.machina.kernel", osrelease, NULL);
	if (k == NULL)
		panic("OSKextInit: no memory for the kernel's record");
	k->k_flags = KEXT_STAT_KERNEL;
	k->k_tag = sNextTag++;
	TAILQ_INSERT_TAIL(&sLoaded, k, k_link);

	for (unsigned i = 0; i < kpi_bundle_count(); i++) {
		const struct kpi_bundle *b = kpi_bundle_at(i);

		k = kext_record_alloc(b->kb_identifier, b->kb_version, NULL);
		if (k == NULL)
			panic("OSKextInit: no memory for the KPI records");
		k->k_flags = KEXT_STAT_KPI;
		k->k_kpi = b;
		k->k_compat = OSKextParseVersionString(b->kb_compatible_version);
		k->k_tag = sNextTag++;
		TAILQ_INSERT_TAIL(&sLoaded, k, k_link);
	}
}

static void
catalog_add(const struct cpio_entry *e, void *ctx)
{
	const char *name = e->ce_name, *rest, *slash;
	struct kext_bundle *b, *old;
	struct kext_msg *m = ctx;
	char bundle[KEXT_PATH_MAX];
	char err[KEXT_BUNDLE_ERRLEN];
	struct cpio_entry exec;
	size_t blen;

	/* Only <Extensions>/X.kext/Contents/Info.plist names a bundle. */
	if (strncmp(name, KEXT_EXTENSIONS, sizeof(KEXT_EXTENSIONS) - 1) != 0)
		return;
	rest = name + sizeof(KEXT_EXTENSIONS) - 1;
	slash = strchr(rest, '/');
	if (slash == NULL || strcmp(slash, "/Contents/Info.plist") != 0)
		return;
	blen = (size_t)(slash - name);
	if (blen + 2 > sizeof bundle) {
		kext_say(m, "/%.*s: the path is too long; skipped", (int)blen, name);
		return;
	}
	bundle[0] = '/';
	memcpy(bundle + 1, name, blen);
	bundle[blen + 1] = '\0';
	if (blen < 5 || strcmp(bundle + blen + 1 - 5, ".kext") != 0)
		return;
	if (sCatalogCount == KEXT_MAX_CATALOG) {
		kext_say(m, "%s: more than %d bundles in /%s; skipped", bundle,
		    KEXT_MAX_CATALOG, KEXT_EXTENSIONS);
		return;
	}
	b = kext_bundle_create(bundle, e->ce_data, e->ce_size, err, sizeof err);
	if (b == NULL) {
		kext_say(m, "%s", err);
		return;
	}
	if (b->kb_executable != NULL) {
		char path[KEXT_PATH_MAX + KEXT_NAME_MAX + 16];

		snprintf(path, sizeof path, "%s/Contents/MacOS/%s", bundle + 1, b->kb_executable);
		if (initrd_lookup(path, &exec) != 0) {
			kext_say(m, "%s: its executable Contents/MacOS/%s is missing; skipped",
			    bundle, b->kb_executable);
			kext_bundle_free(b);
			return;
		}
		b->kb_exec = exec.ce_data;
		b->kb_exec_len = exec.ce_size;
	}
	old = kext_find_catalog(b->kb_identifier);
	if (old != NULL) {
		/* Two bundles, one identifier: the newer version wins, as on macOS. */
		bool keep_new = b->kb_version > old->kb_version;

		kext_say(m, "%s and %s are both %s; using %s (%s)", old->kb_path, b->kb_path,
		    b->kb_identifier, keep_new ? b->kb_path : old->kb_path,
		    keep_new ? b->kb_version_str : old->kb_version_str);
		if (keep_new) {
			for (uint32_t i = 0; i < sCatalogCount; i++) {
				if (sCatalog[i] == old)
					sCatalog[i] = b;
			}
			kext_bundle_free(old);
		} else {
			kext_bundle_free(b);
		}
		return;
	}
	sCatalog[sCatalogCount++] = b;
}

void
OSKextInitCatalog(void)
{
	struct kext_msg m = { .log = true };

	if (!initrd_present())
		return;
	lck_mtx_lock(&sKextLock);
	initrd_foreach(catalog_add, &m);
	lck_mtx_unlock(&sKextLock);
	printf("kext: %u bundle%s in /%s\n", sCatalogCount, sCatalogCount == 1 ? "" : "s",
	    KEXT_EXTENSIONS);
}

void
OSKextForEachCatalogPersonality(OSKextPersonalityFn fn, void *ctx)
{
	OSDictionary *all, *p;

	if (fn == NULL)
		return;
	lck_mtx_lock(&sKextLock);
	for (uint32_t i = 0; i < sCatalogCount; i++) {
		/* OSKextBundle checked that it is a dictionary of dictionaries. */
		all = OSDynamicCast(OSDictionary,
		    OSDictionary_getObject(sCatalog[i]->kb_info, "IOKitPersonalities"));
		for (uint32_t j = 0; all != NULL && j < OSDictionary_getCount(all); j++) {
			p = OSDynamicCast(OSDictionary, OSDictionary_getObjectAtIndex(all, j));
			if (p != NULL)
				fn(sCatalog[i]->kb_identifier,
				    OSString_getCStringNoCopy(OSDictionary_getKeyAtIndex(all, j)),
				    p, ctx);
		}
	}
	lck_mtx_unlock(&sKextLock);
}

/* --- loading ------------------------------------------------------------------- */

struct load_request {
	uint32_t	flags;
	struct kext_msg	*msg;
	const char	*stack[KEXT_MAX_DEPTH];	/* identifiers being loaded, outermost first */
	unsigned	depth;
	OSKext		*loaded[KEXT_MAX_DEPTH * 4];	/* what this request loaded, in order */
	unsigned	nloaded;
};

static kern_return_t kext_load_bundle(struct load_request *req, const struct kext_bundle *b,
    OSKext **out);
static kern_return_t kext_unload_locked(OSKext *k, struct kext_msg *m, bool calling_stop);

/*
 * A library satisfies a request for version want if it is at least that
 * new and is compatible back to it (Apple's rule).
 */
static bool
kext_compatible(OSKextVersion have, OSKextVersion compat, OSKextVersion want)
{
	return compat >= 0 && have >= want && compat <= want;
}

static const char *
version_text(OSKextVersion v, char *buf, size_t len)
{
	if (!OSKextVersionGetString(v, buf, len))
		strlcpy(buf, "?", len);
	return buf;
}

/*
 * Find or load the library lib->kl_identifier for bundle b. *out is the
 * loaded record; for check-only requests of a library that is not loaded,
 * *out is NULL and *cat its catalog bundle.
 */
static kern_return_t
kext_resolve_library(struct load_request *req, const struct kext_bundle *b,
    const struct kext_library *lib, OSKext **out, const struct kext_bundle **cat)
{
	char want[kOSKextVersionMaxLength], have[kOSKextVersionMaxLength];
	char compat[kOSKextVersionMaxLength];
	const struct kext_bundle *c;
	OSKext *k;

	*out = NULL;
	*cat = NULL;
	version_text(lib->kl_version, want, sizeof want);
	k = kext_find_loaded(lib->kl_identifier);
	if (k != NULL) {
		if (k->k_flags & KEXT_STAT_KERNEL) {
			kext_say(req->msg, "%s: OSBundleLibraries names the kernel itself (%s); "
			    "name the KPIs instead (org.machina.kpi.*)", b->kb_path, k->k_id);
			return KERN_INVALID_ARGUMENT;
		}
		if (k->k_compat < 0) {
			kext_say(req->msg, "%s: depends on %s, which is not a library (its "
			    "Info.plist has no OSBundleCompatibleVersion)", b->kb_path, k->k_id);
			return KERN_NOT_FOUND;
		}
		if (!kext_compatible(k->k_version, k->k_compat, lib->kl_version)) {
			kext_say(req->msg, "%s: needs %s %s, but the loaded %s is version %s, "
			    "compatible back to %s", b->kb_path, lib->kl_identifier, want,
			    k->k_id, k->k_version_str, version_text(k->k_compat, compat, sizeof compat));
			return KERN_NOT_FOUND;
		}
		*out = k;
		return KERN_SUCCESS;
	}
	c = kext_find_catalog(lib->kl_identifier);
	if (c == NULL) {
		kext_say(req->msg, "%s: needs %s %s, which is not loaded and not in /%s",
		    b->kb_path, lib->kl_identifier, want, KEXT_EXTENSIONS);
		return KERN_NOT_FOUND;
	}
	if (c->kb_compat < 0) {
		kext_say(req->msg, "%s: depends on %s (%s), which is not a library (its "
		    "Info.plist has no OSBundleCompatibleVersion)", b->kb_path, c->kb_identifier,
		    c->kb_path);
		return KERN_NOT_FOUND;
	}
	if (!kext_compatible(c->kb_version, c->kb_compat, lib->kl_version)) {
		kext_say(req->msg, "%s: needs %s %s, but %s is version %s, compatible back to %s",
		    b->kb_path, lib->kl_identifier, want, c->kb_path,
		    version_text(c->kb_version, have, sizeof have),
		    version_text(c->kb_compat, compat, sizeof compat));
		return KERN_NOT_FOUND;
	}
	if (req->flags & KEXT_LOAD_CHECK_ONLY) {
		*cat = c;
		return KERN_SUCCESS;
	}
	return kext_load_bundle(req, c, out);
}

/* --- linking ------------------------------------------------------------------- */

struct link_ctx {
	const struct kext_bundle *lc_bundle;
	OSKext		**lc_deps;		/* loaded libraries */
	const struct kext_bundle **lc_cat;	/* check-only: libraries not loaded */
	uint32_t	lc_ndeps;
	uint32_t	*lc_used;		/* symbols each library gave */
	uint64_t	lc_fake;		/* check-only: addresses handed out */
};

/* Which of lc's libraries gives name (its index), or -1; *addr its address. */
static int
kext_attribute(struct link_ctx *lc, const char *name, uint64_t *addr)
{
	for (uint32_t i = 0; i < lc->lc_ndeps; i++) {
		if (lc->lc_deps[i] != NULL) {
			if (kext_provides(lc->lc_deps[i], name, addr))
				return (int)i;
		} else if (lc->lc_cat[i] != NULL && kext_bundle_exports(lc->lc_cat[i], name)) {
			/* check-only: a library not loaded yet; any address in range */
			*addr = 0xffffffff80000000ULL + (lc->lc_fake += 16);
			return (int)i;
		}
	}
	return -1;
}

/*
 * What the compiler calls in any kext, not the kext's author (the stack
 * protector: kernel/debug.h): every kext gets these, whatever its
 * OSBundleLibraries name. Only in the kernel; host tests link none.
 */
static bool
kext_compiler_runtime(const char *name, uint64_t *addr)
{
#ifdef KERNEL
	if (strcmp(name, "__stack_chk_guard") == 0) {
		*addr = (uint64_t)(uintptr_t)&__stack_chk_guard;
		return true;
	}
	if (strcmp(name, "__stack_chk_fail") == 0) {
		*addr = (uint64_t)(uintptr_t)__stack_chk_fail;
		return true;
	}
#else
	(void)name;
	(void)addr;
#endif
	return false;
}

static kern_return_t
kext_resolve_symbol(void *ctx, const char *name, uint64_t *addr)
{
	if (kext_attribute(ctx, name, addr) >= 0 || kext_compiler_runtime(name, addr))
		return KERN_SUCCESS;
	return KERN_NOT_FOUND;
}

/*
 * After a link failed over unresolved symbols: say, for each, which KPI or
 * loaded kext would have given it, so the fix is one line of Info.plist.
 */
static void
kext_explain_missing(struct load_request *req, struct link_ctx *lc, const struct elf_rel *rel)
{
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	unsigned said = 0;
	uint64_t addr;

	kxld_undefined_iter_init(&it, rel);
	while (kxld_undefined_next(&it, &sym)) {
		OSKext *k;

		if (sym.esym_bind == STB_WEAK || kext_attribute(lc, sym.esym_name, &addr) >= 0 ||
		    kext_compiler_runtime(sym.esym_name, &addr))
			continue;
		if (++said > KEXT_MAX_MISSES) {
			kext_say(req->msg, "  ...");
			return;
		}
		TAILQ_FOREACH(k, &sLoaded, k_link) {
			if (!(k->k_flags & KEXT_STAT_KERNEL) && kext_provides(k, sym.esym_name, NULL))
				break;
		}
		if (k != NULL)
			kext_say(req->msg, "  %s is exported by %s, which OSBundleLibraries "
			    "does not name", sym.esym_name, k->k_id);
		else
			kext_say(req->msg, "  %s is not exported by any KPI or loaded kext",
			    sym.esym_name);
	}
}

/* Count, per library, the distinct symbols the object takes from it. */
static void
kext_count_uses(struct link_ctx *lc, const struct elf_rel *rel)
{
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	uint64_t addr;

	kxld_undefined_iter_init(&it, rel);
	while (kxld_undefined_next(&it, &sym)) {
		int i = kext_attribute(lc, sym.esym_name, &addr);

		if (i >= 0)
			lc->lc_used[i]++;
	}
}

/* Copy the global symbols of a library kext into k's export table. */
static kern_return_t
kext_collect_exports(OSKext *k, const struct elf_rel *rel, const struct kxld_plan *plan)
{
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	uint64_t count = 0, names = 0, addr;
	char *p;

	kxld_export_iter_init(&it, rel, plan, k->k_addr);
	while (kxld_export_next(&it, &sym, &addr)) {
		count++;
		names += strlen(sym.esym_name) + 1;
	}
	if (count == 0)
		return KERN_SUCCESS;
	k->k_exports = kalloc(count * sizeof(k->k_exports[0]));
	k->k_names = kalloc(names);
	if (k->k_exports == NULL || k->k_names == NULL) {
		if (k->k_exports != NULL)
			kfree(k->k_exports, count * sizeof(k->k_exports[0]));
		if (k->k_names != NULL)
			kfree(k->k_names, names);
		k->k_exports = NULL;
		k->k_names = NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	k->k_nexports = (uint32_t)count;
	k->k_names_size = names;
	p = k->k_names;
	count = 0;
	kxld_export_iter_init(&it, rel, plan, k->k_addr);
	while (count < k->k_nexports && kxld_export_next(&it, &sym, &addr)) {
		struct kext_export e;
		uint64_t j;

		strlcpy(p, sym.esym_name, names - (size_t)(p - k->k_names));
		e.ke_name = p;
		e.ke_addr = addr;
		p += strlen(p) + 1;
		/* insertion sort: libraries export tens of symbols, not thousands */
		for (j = count++; j > 0 && strcmp(k->k_exports[j - 1].ke_name, e.ke_name) > 0; j--)
			k->k_exports[j] = k->k_exports[j - 1];
		k->k_exports[j] = e;
	}
	k->k_nexports = (uint32_t)count;
	return KERN_SUCCESS;
}

static kern_return_t
kext_record_sections(OSKext *k, const struct kxld_plan *plan)
{
	uint32_t n = plan->kp_nsections;

	if (n == 0)
		return KERN_SUCCESS;
	k->k_sections = kalloc(n * sizeof(k->k_sections[0]));
	if (k->k_sections == NULL)
		return KERN_RESOURCE_SHORTAGE;
	k->k_nsections = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct kext_section *s = &k->k_sections[k->k_nsections];
		const char *name;
		uint64_t addr;

		if (!kxld_section_address(plan, i, k->k_addr, &name, &addr))
			continue;
		strlcpy(s->ks_name, name, sizeof s->ks_name);
		s->ks_addr = addr;
		s->ks_size = plan->kp_sections[i].ksc_size;
		k->k_nsections++;
	}
	return KERN_SUCCESS;
}

/* Run an array of constructor or destructor pointers; each must point into text. */
static bool
kext_run_array(OSKext *k, uint64_t array, uint32_t count, bool reverse, struct kext_msg *m)
{
	for (uint32_t n = 0; n < count; n++) {
		uint32_t i = reverse ? count - 1 - n : n;
		uint64_t fn = ((const uint64_t *)array)[i];

		if (fn == 0 || fn == (uint64_t)-1)
			continue;
		if (fn < k->k_text || fn >= k->k_text_end) {
			kext_say(m, "%s: %s %u points at 0x%llx, outside its text; not called",
			    k->k_path, reverse ? "destructor" : "constructor", i,
			    (unsigned long long)fn);
			return false;
		}
		((void (*)(void))fn)();
	}
	return true;
}

/*
 * Link the executable of bundle b into a fresh range of the kext region
 * and fill in k. On failure everything is undone and reported.
 */
/* Not inlined: its buffers would sit in every level of kext_load_bundle's recursion. */
static __attribute__((noinline)) kern_return_t
kext_link(struct load_request *req, const struct kext_bundle *b, OSKext *k,
    struct link_ctx *lc, struct kxld_plan *plan)
{
	char err[KXLD_ERRLEN];
	struct elf_rel rel;
	uint64_t info_addr, data_lo, data_hi;
	bool check = req->flags & KEXT_LOAD_CHECK_ONLY;
	vm_offset_t addr = 0;
	void *image = NULL;
	kern_return_t kr;

	kr = elf_rel_open(&rel, b->kb_exec, b->kb_exec_len, err, sizeof err);
	if (kr != KERN_SUCCESS) {
		kext_say(req->msg, "%s: its executable is not a kext object: %s", b->kb_path, err);
		return KERN_INVALID_ARGUMENT;
	}
	kr = kxld_plan(&rel, plan, err, sizeof err);
	if (kr != KERN_SUCCESS) {
		kext_say(req->msg, "%s: cannot lay out its executable: %s", b->kb_path, err);
		return KERN_INVALID_ARGUMENT;
	}
	if (kxld_symbol_address(&rel, plan, 0, "kmod_info", &info_addr) != KERN_SUCCESS) {
		kext_say(req->msg, "%s: the executable defines no kmod_info (build it with the "
		    "SDK's kext.mk, or use KMOD_EXPLICIT_DECL)", b->kb_path);
		return KERN_INVALID_ARGUMENT;
	}
	if (check) {
		image = kalloc(plan->kp_size);
		addr = 0xffffffffc0000000ULL;
		if (image == NULL)
			return KERN_RESOURCE_SHORTAGE;
		memset(image, 0, plan->kp_size);
	} else {
		kr = kext_region_alloc(plan->kp_size, &addr);
		if (kr != KERN_SUCCESS) {
			kext_say(req->msg, "%s: no room for %zu bytes in the kext region",
			    b->kb_path, (size_t)plan->kp_size);
			return KERN_RESOURCE_SHORTAGE;
		}
		image = (void *)addr;
	}
	kr = kxld_link(&rel, plan, image, addr, kext_resolve_symbol, lc, err, sizeof err);
	if (kr != KERN_SUCCESS) {
		if (kr == KERN_FAILURE) {
			kext_say(req->msg, "%s: %s", b->kb_path, err);
			kext_explain_missing(req, lc, &rel);
			kr = KERN_NOT_FOUND;
		} else {
			kext_say(req->msg, "%s: cannot link: %s", b->kb_path, err);
			kr = KERN_INVALID_ARGUMENT;
		}
		goto fail;
	}
	kr = kxld_symbol_address(&rel, plan, addr, "kmod_info", &info_addr);
	data_lo = addr + plan->kp_segments[KXLD_SEG_DATA].ks_offset;
	data_hi = data_lo + plan->kp_segments[KXLD_SEG_DATA].ks_size;
	if (kr != KERN_SUCCESS || info_addr < data_lo || info_addr > data_hi ||
	    data_hi - info_addr < sizeof(kmod_info_t) || (info_addr & 7) != 0) {
		kext_say(req->msg, "%s: kmod_info is not a writable kmod_info_t in the kext's "
		    "data", b->kb_path);
		kr = KERN_INVALID_ARGUMENT;
		goto fail;
	}
	if (check) {
		kext_count_uses(lc, &rel);
		kfree(image, plan->kp_size);
		return KERN_SUCCESS;
	}
	k->k_addr = addr;
	k->k_size = plan->kp_size;
	k->k_info = (kmod_info_t *)info_addr;
	if (k->k_info->info_version != KMOD_INFO_VERSION) {
		kext_say(req->msg, "%s: kmod_info has info_version %d; this kernel reads %d",
		    b->kb_path, k->k_info->info_version, KMOD_INFO_VERSION);
		kr = KERN_INVALID_ARGUMENT;
		goto fail;
	}
	if (strncmp(k->k_info->name, b->kb_identifier, sizeof k->k_info->name) != 0) {
		kext_say(req->msg, "%s: kmod_info names %.*s, but CFBundleIdentifier is %s "
		    "(rebuild: kext.mk takes both from Info.plist)", b->kb_path,
		    (int)strnlen(k->k_info->name, sizeof k->k_info->name), k->k_info->name,
		    b->kb_identifier);
		kr = KERN_INVALID_ARGUMENT;
		goto fail;
	}
	if (b->kb_compat >= 0 && (kr = kext_collect_exports(k, &rel, plan)) != KERN_SUCCESS)
		goto fail;
	if ((kr = kext_record_sections(k, plan)) != KERN_SUCCESS)
		goto fail;
	k->k_fini = addr + plan->kp_fini_offset;
	k->k_nfini = (uint32_t)plan->kp_fini_count;
	k->k_text = addr + plan->kp_segments[KXLD_SEG_TEXT].ks_offset;
	k->k_text_end = k->k_text + plan->kp_segments[KXLD_SEG_TEXT].ks_size;
	/* Text RX, read-only data R+NX; the data stays RW+NX. */
	if (plan->kp_segments[KXLD_SEG_TEXT].ks_size != 0)
		kext_region_protect(k->k_text, plan->kp_segments[KXLD_SEG_TEXT].ks_size,
		    VM_PROT_READ | VM_PROT_EXECUTE);
	if (plan->kp_segments[KXLD_SEG_RODATA].ks_size != 0)
		kext_region_protect(addr + plan->kp_segments[KXLD_SEG_RODATA].ks_offset,
		    plan->kp_segments[KXLD_SEG_RODATA].ks_size, VM_PROT_READ);
	return KERN_SUCCESS;

fail:
	if (check)
		kfree(image, plan->kp_size);
	else
		kext_region_free(addr, plan->kp_size, b->kb_identifier);
	k->k_addr = 0;
	k->k_size = 0;
	k->k_info = &k->k_own_info;
	return kr;
}

/* Report what a check-only link found: where symbols come from, what is unused. */
static void
kext_report_check(struct load_request *req, const struct kext_bundle *b,
    const struct link_ctx *lc)
{
	kext_say(req->msg, "%s (%s %s): links", b->kb_path, b->kb_identifier, b->kb_version_str);
	for (uint32_t i = 0; i < lc->lc_ndeps; i++) {
		const char *id = lc->lc_deps[i] != NULL ? lc->lc_deps[i]->k_id :
		    lc->lc_cat[i]->kb_identifier;

		if (lc->lc_used[i] == 0 && b->kb_exec != NULL)
			kext_say(req->msg, "  %s: no symbol used (OSBundleLibraries may drop it)", id);
		else
			kext_say(req->msg, "  %s: %u symbol%s", id, lc->lc_used[i],
			    lc->lc_used[i] == 1 ? "" : "s");
	}
}

static void
kext_drop_deps(OSKext *k)
{
	for (uint32_t i = 0; i < k->k_ndeps; i++) {
		if (k->k_deps[i] != NULL)
			k->k_deps[i]->k_refs--;
	}
}

/* What one link needed for itself: the libraries' lists and the plan. */
static void
link_scratch_free(struct link_ctx *lc, struct kxld_plan *plan)
{
	if (lc->lc_cat != NULL)
		kfree(lc->lc_cat, lc->lc_ndeps * sizeof(lc->lc_cat[0]));
	if (lc->lc_used != NULL)
		kfree(lc->lc_used, lc->lc_ndeps * sizeof(lc->lc_used[0]));
	if (plan != NULL)
		kfree(plan, sizeof(*plan));
}

/* Load bundle b (its dependencies first); the kext lock is held. */
static kern_return_t
kext_load_bundle(struct load_request *req, const struct kext_bundle *b, OSKext **out)
{
	bool check = req->flags & KEXT_LOAD_CHECK_ONLY;
	struct link_ctx lc;
	struct kxld_plan *plan = NULL;	/* 6 KiB: not on the stack */
	OSKext *k, *existing;
	uint32_t n = b->kb_nlibraries;
	kern_return_t kr;

	*out = NULL;
	existing = kext_find_loaded(b->kb_identifier);
	if (existing != NULL) {
		kext_say(req->msg, "%s: %s is already loaded (index %u, version %s, from %s)",
		    b->kb_path, b->kb_identifier, existing->k_tag, existing->k_version_str,
		    existing->k_path[0] != '\0' ? existing->k_path : "the kernel");
		return KERN_NAME_EXISTS;
	}
	for (unsigned i = 0; i < req->depth; i++) {
		if (strcmp(req->stack[i], b->kb_identifier) == 0) {
			/* Static: this function recurses, and the kext lock is held. */
			static char chain[KEXT_MSG_MAX / 4];
			size_t used = 0;

			chain[0] = '\0';
			for (unsigned j = i; j < req->depth; j++) {
				int w = snprintf(chain + used, sizeof chain - used, "%s -> ",
				    req->stack[j]);
				if (w < 0 || (size_t)w >= sizeof chain - used)
					break;
				used += (size_t)w;
			}
			kext_say(req->msg, "dependency cycle: %s%s", chain, b->kb_identifier);
			return KERN_INVALID_ARGUMENT;
		}
	}
	if (req->depth == KEXT_MAX_DEPTH) {
		kext_say(req->msg, "%s: dependencies nest more than %d deep", b->kb_path,
		    KEXT_MAX_DEPTH);
		return KERN_INVALID_ARGUMENT;
	}
	if (!check && req->nloaded == sizeof req->loaded / sizeof req->loaded[0]) {
		kext_say(req->msg, "%s: one request may load at most %zu kexts", b->kb_path,
		    sizeof req->loaded / sizeof req->loaded[0]);
		return KERN_RESOURCE_SHORTAGE;
	}
	req->stack[req->depth++] = b->kb_identifier;

	k = kext_record_alloc(b->kb_identifier, b->kb_version_str, b->kb_path);
	memset(&lc, 0, sizeof lc);
	lc.lc_bundle = b;
	lc.lc_ndeps = n;
	if (k == NULL)
		goto nomem;
	if (n != 0) {
		k->k_deps = kalloc(n * sizeof(k->k_deps[0]));
		if (k->k_deps == NULL)
			goto nomem;
		memset(k->k_deps, 0, n * sizeof(k->k_deps[0]));
		k->k_ndeps = n;		/* from here kext_record_free frees k_deps */
		lc.lc_cat = kalloc(n * sizeof(lc.lc_cat[0]));
		lc.lc_used = kalloc(n * sizeof(lc.lc_used[0]));
		if (lc.lc_cat == NULL || lc.lc_used == NULL)
			goto nomem;
		memset(lc.lc_cat, 0, n * sizeof(lc.lc_cat[0]));
		memset(lc.lc_used, 0, n * sizeof(lc.lc_used[0]));
	}
	lc.lc_deps = k->k_deps;
	for (uint32_t i = 0; i < n; i++) {
		kr = kext_resolve_library(req, b, &b->kb_libraries[i], &k->k_deps[i], &lc.lc_cat[i]);
		if (kr != KERN_SUCCESS) {
			if (kr == KERN_NAME_EXISTS)
				kr = KERN_FAILURE;
			goto fail;
		}
		if (k->k_deps[i] != NULL)
			k->k_deps[i]->k_refs++;
	}
	k->k_compat = b->kb_compat;

	if (b->kb_exec != NULL) {
		plan = kalloc(sizeof(*plan));
		if (plan == NULL)
			goto nomem;
		kr = kext_link(req, b, k, &lc, plan);
		if (kr != KERN_SUCCESS)
			goto fail;
	} else {
		k->k_flags |= KEXT_STAT_CODELESS;
	}
	if (check) {
		kext_report_check(req, b, &lc);
		kr = KERN_SUCCESS;
		goto fail;	/* undo: a check loads nothing */
	}

	/* Fill in kmod_info; the kext sees its load tag and image from here on. */
	k->k_tag = sNextTag++;
	k->k_info->id = k->k_tag;
	k->k_info->address = k->k_addr;
	k->k_info->size = k->k_size;
	k->k_info->hdr_size = 0;
	k->k_info->reference_count = 0;
	if (n != 0) {
		k->k_refs_list = kalloc(n * sizeof(k->k_refs_list[0]));
		if (k->k_refs_list == NULL) {
			kr = KERN_RESOURCE_SHORTAGE;
			goto unmap;
		}
		for (uint32_t i = 0; i < n; i++) {
			k->k_refs_list[i].info = k->k_deps[i]->k_info;
			k->k_refs_list[i].next = i + 1 < n ? &k->k_refs_list[i + 1] : NULL;
		}
		k->k_info->reference_list = &k->k_refs_list[0];
	} else {
		k->k_info->reference_list = NULL;
	}
	OSKextLoadedHook(k, KEXT_HOOK_LOADED);
	sStartingKmod = k->k_info;	/* panics in its code name it */

	if (b->kb_exec != NULL) {
		uint64_t init;
		uint32_t ninit;
		kern_return_t start_kr;

		init = k->k_addr + plan->kp_init_offset;
		ninit = (uint32_t)plan->kp_init_count;
		kr = OSMetaClass_beginModLoad(k);
		if (kr != KERN_SUCCESS) {
			kext_say(req->msg, "%s: cannot register its classes (0x%x)", b->kb_path, kr);
			goto unhook;
		}
		if (!kext_run_array(k, init, ninit, false, req->msg)) {
			OSMetaClass_endModLoad(k, false);
			OSMetaClass_removeModClasses(k);
			kr = KERN_INVALID_ARGUMENT;
			goto unhook;
		}
		kr = OSMetaClass_endModLoad(k, true);
		if (kr != KERN_SUCCESS) {
			char why[160];

			if (!OSMetaClass_getModLoadError(k, why, sizeof why))
				strlcpy(why, "a class could not be registered", sizeof why);
			kext_say(req->msg, "%s: %s", b->kb_path, why);
			kr = KERN_INVALID_ARGUMENT;
			goto destruct;
		}
		if (k->k_info->start != NULL) {
			start_kr = k->k_info->start(k->k_info, NULL);
			if (start_kr != KERN_SUCCESS) {
				kext_say(req->msg, "%s: %s's start routine failed (0x%x); unloaded",
				    b->kb_path, b->kb_identifier, start_kr);
				kr = KERN_FAILURE;
				goto destruct;
			}
		}
	}

	/* Loaded: on the list, on the kmod chain, its libraries' counts up. */
	TAILQ_INSERT_TAIL(&sLoaded, k, k_link);
	sStartingKmod = NULL;
	for (uint32_t i = 0; i < n; i++)
		k->k_deps[i]->k_info->reference_count = k->k_deps[i]->k_refs;
	k->k_info->next = kmod;
	kmod = k->k_info;
	req->loaded[req->nloaded++] = k;
	req->depth--;
	link_scratch_free(&lc, plan);
	*out = k;
	return KERN_SUCCESS;

destruct:
	/* start failed or classes clashed: undo the constructors' work. */
	kext_run_array(k, k->k_fini, k->k_nfini, true, req->msg);
	OSMetaClass_removeModClasses(k);
unhook:
	sStartingKmod = NULL;
	OSKextLoadedHook(k, KEXT_HOOK_UNLOADING);
unmap:
	if (k->k_addr != 0) {
		char what[160];

		if (sUnloadCheck != NULL &&
		    sUnloadCheck(k->k_addr, k->k_addr + k->k_size, what, sizeof what)) {
			/* Something still points in: never free memory in use. */
			kext_say(req->msg, "%s: %s still points into it; its memory is kept",
			    b->kb_path, what);
		} else {
			kext_region_free(k->k_addr, k->k_size, b->kb_identifier);
		}
	}
	goto fail;
nomem:
	kext_say(req->msg, "%s: out of memory", b->kb_path);
	kr = KERN_RESOURCE_SHORTAGE;
fail:
	req->depth--;
	if (k != NULL) {
		kext_drop_deps(k);
		kext_record_free(k);
	}
	link_scratch_free(&lc, plan);
	return kr;
}

/*
 * KEXT_LOAD_LIBRARIES (kextlibs): which libraries the executable's symbols
 * come from, whatever OSBundleLibraries says: for each undefined symbol the
 * first KPI or loaded kext that exports it, else a catalog library that
 * does. One line per library ("org.machina.kpi.bsd 0.1.0"), then one per
 * symbol nothing exports ("unresolved: name").
 */
static kern_return_t
kext_report_libraries(const struct kext_bundle *b, struct kext_msg *m)
{
	const void *seen[64];
	unsigned nseen = 0, unresolved = 0;
	struct kxld_sym_iter it;
	struct elf_symbol sym;
	struct elf_rel rel;
	char err[ELF_ERRLEN];

	if (b->kb_exec == NULL) {
		kext_say(m, "%s: codeless: it needs no library", b->kb_path);
		return KERN_SUCCESS;
	}
	if (elf_rel_open(&rel, b->kb_exec, b->kb_exec_len, err, sizeof err) != KERN_SUCCESS) {
		kext_say(m, "%s: its executable is not a kext object: %s", b->kb_path, err);
		return KERN_INVALID_ARGUMENT;
	}
	for (int pass = 0; pass < 2; pass++) {
		kxld_undefined_iter_init(&it, &rel);
		while (kxld_undefined_next(&it, &sym)) {
			const void *who = NULL;
			const char *id = NULL, *version = NULL;
			OSKext *k;

			TAILQ_FOREACH(k, &sLoaded, k_link) {
				if (!(k->k_flags & KEXT_STAT_KERNEL) && k->k_compat >= 0 &&
				    kext_provides(k, sym.esym_name, NULL)) {
					who = k;
					id = k->k_id;
					version = k->k_version_str;
					break;
				}
			}
			for (uint32_t i = 0; who == NULL && i < sCatalogCount; i++) {
				if (sCatalog[i]->kb_compat >= 0 &&
				    kext_bundle_exports(sCatalog[i], sym.esym_name)) {
					who = sCatalog[i];
					id = sCatalog[i]->kb_identifier;
					version = sCatalog[i]->kb_version_str;
				}
			}
			if (who == NULL) {
				if (pass == 1 && sym.esym_bind != STB_WEAK) {
					kext_say(m, "unresolved: %s", sym.esym_name);
					unresolved++;
				}
				continue;
			}
			unsigned j;

			for (j = 0; j < nseen && seen[j] != who; j++)
				;
			if (j == nseen && pass == 0 && nseen < sizeof seen / sizeof seen[0]) {
				seen[nseen++] = who;
				kext_say(m, "%s %s", id, version);
			}
		}
	}
	return unresolved == 0 ? KERN_SUCCESS : KERN_NOT_FOUND;
}

/* Load b; on failure unload whatever the request loaded on its way. */
static kern_return_t
kext_load_request(const struct kext_bundle *b, uint32_t flags, uint32_t *tag,
    struct kext_msg *m)
{
	struct load_request *req;
	OSKext *k;
	kern_return_t kr;

	req = kalloc(sizeof(*req));
	if (req == NULL) {
		kext_say(m, "%s: out of memory", b->kb_path);
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(req, 0, sizeof(*req));
	req->flags = flags;
	req->msg = m;
	kr = kext_load_bundle(req, b, &k);
	if (kr != KERN_SUCCESS) {
		while (req->nloaded > 0) {
			OSKext *dep = req->loaded[--req->nloaded];

			kext_say(m, "%s: unloading %s again, which was loaded for it", b->kb_path,
			    dep->k_id);
			kext_unload_locked(dep, m, true);
		}
	} else if (!(flags & KEXT_LOAD_CHECK_ONLY)) {
		for (unsigned i = 0; i < req->nloaded; i++) {
			OSKext *l = req->loaded[i];

			printf("kext: loaded %s %s (index %u) at 0x%lx, %zu bytes\n", l->k_id,
			    l->k_version_str, l->k_tag, (unsigned long)l->k_addr, l->k_size);
			if (l == k) {
				bool log = m->log;

				m->log = false;		/* just logged, above */
				kext_say(m, "loaded %s %s (index %u)", l->k_id, l->k_version_str,
				    l->k_tag);
				m->log = log;
			}
		}
		if (tag != NULL)
			*tag = k->k_tag;
	}
	kfree(req, sizeof(*req));
	return kr;
}

kern_return_t
OSKextLoadFromData(const char *path, const void *plist, size_t plistlen, const void *exec,
    size_t execlen, uint32_t flags, uint32_t *tag, char *msg, size_t msglen)
{
	/* A check is the caller's business, not the kernel log's. */
	struct kext_msg m = { msg, msglen, 0,
	    !(flags & (KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES)), true };
	char err[KEXT_BUNDLE_ERRLEN];
	struct kext_bundle *b;
	kern_return_t kr;

	if (msg != NULL && msglen != 0)
		msg[0] = '\0';
	b = kext_bundle_create(path, plist, plistlen, err, sizeof err);
	if (b == NULL) {
		kext_say(&m, "%s", err);
		return KERN_INVALID_ARGUMENT;
	}
	if ((b->kb_executable != NULL) != (exec != NULL)) {
		kext_say(&m, b->kb_executable != NULL ?
		    "%s: Info.plist names the executable Contents/MacOS/%s, which is missing" :
		    "%s: an executable was given, but Info.plist has no CFBundleExecutable%s",
		    path, b->kb_executable != NULL ? b->kb_executable : "");
		kext_bundle_free(b);
		return KERN_INVALID_ARGUMENT;
	}
	b->kb_exec = exec;
	b->kb_exec_len = execlen;
	lck_mtx_lock(&sKextLock);
	if (flags & KEXT_LOAD_LIBRARIES)
		kr = kext_report_libraries(b, &m);
	else
		kr = kext_load_request(b, flags, tag, &m);
	lck_mtx_unlock(&sKextLock);
	if (kr == KERN_SUCCESS && !(flags & (KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES)))
		kext_tell_iokit_loaded(b->kb_identifier);
	kext_bundle_free(b);
	return kr;
}

kern_return_t
OSKextLoadKextWithIdentifier(const char *identifier, uint32_t flags, uint32_t *tag,
    char *msg, size_t msglen)
{
	struct kext_msg m = { msg, msglen, 0,
	    !(flags & (KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES)), true };
	const struct kext_bundle *b;
	kern_return_t kr;

	if (msg != NULL && msglen != 0)
		msg[0] = '\0';
	lck_mtx_lock(&sKextLock);
	b = kext_find_catalog(identifier);
	if (b == NULL) {
		OSKext *k = kext_find_loaded(identifier);

		if (k != NULL) {
			kext_say(&m, "%s is already loaded (index %u)", identifier, k->k_tag);
			kr = KERN_NAME_EXISTS;
		} else {
			kext_say(&m, "no kext %s in /%s", identifier, KEXT_EXTENSIONS);
			kr = KERN_NOT_FOUND;
		}
	} else if (flags & KEXT_LOAD_LIBRARIES) {
		kr = kext_report_libraries(b, &m);
	} else {
		kr = kext_load_request(b, flags, tag, &m);
	}
	lck_mtx_unlock(&sKextLock);
	if (kr == KERN_SUCCESS && !(flags & (KEXT_LOAD_CHECK_ONLY | KEXT_LOAD_LIBRARIES)))
		kext_tell_iokit_loaded(identifier);
	return kr;
}

/*
 * kext=: a comma-separated list of identifiers, each of which may be a
 * glob (org.machina.bench.*): every catalog kext it names is loaded.
 */
static void
load_boot_list(const char *list, struct kext_msg *m)
{
	const char *id = list;

	while (*id != '\0') {
		const char *comma = strchr(id, ',');
		size_t len = comma != NULL ? (size_t)(comma - id) : strlen(id);
		bool any = false;

		for (uint32_t i = 0; len != 0 && i < sCatalogCount; i++) {
			const struct kext_bundle *b = sCatalog[i];

			if (!glob_match(id, len, b->kb_identifier))
				continue;
			any = true;
			if (kext_find_loaded(b->kb_identifier) == NULL)
				kext_load_request(b, 0, NULL, m);
		}
		if (len != 0 && !any)
			kext_say(m, "kext=%.*s: no such kext in /%s", (int)len, id, KEXT_EXTENSIONS);
		id += len;
		if (*id == ',')
			id++;
	}
}

void
OSKextLoadBootKexts(void)
{
	struct kext_msg m = { .log = true };
	char list[512];

	lck_mtx_lock(&sKextLock);
	for (uint32_t i = 0; i < sCatalogCount; i++) {
		const struct kext_bundle *b = sCatalog[i];

		if (b->kb_required && kext_find_loaded(b->kb_identifier) == NULL)
			kext_load_request(b, 0, NULL, &m);
	}
	if (PE_parse_boot_arg_str("kext", list, sizeof list))
		load_boot_list(list, &m);
	lck_mtx_unlock(&sKextLock);
}

/* --- unloading ----------------------------------------------------------------- */

static kern_return_t
kext_unload_locked(OSKext *k, struct kext_msg *m, bool calling_stop)
{
	const char *cls;
	char what[160];
	int count;

	if (k->k_flags & (KEXT_STAT_KERNEL | KEXT_STAT_KPI)) {
		kext_say(m, "%s is part of the kernel and cannot be unloaded", k->k_id);
		return KERN_NO_ACCESS;
	}
	if (k->k_refs > 0) {
		OSKext *d;

		TAILQ_FOREACH(d, &sLoaded, k_link) {
			for (uint32_t i = 0; i < d->k_ndeps; i++) {
				if (d->k_deps[i] == k) {
					kext_say(m, "%s is in use: %s (index %u) depends on it",
					    k->k_id, d->k_id, d->k_tag);
					return KERN_FAILURE;
				}
			}
		}
		kext_say(m, "%s is in use by %d kext%s", k->k_id, k->k_refs,
		    k->k_refs == 1 ? "" : "s");
		return KERN_FAILURE;
	}
	if (OSMetaClass_modHasInstances(k, &cls, &count)) {
		kext_say(m, "%s cannot be unloaded: class %s has %d instance%s", k->k_id, cls,
		    count, count == 1 ? "" : "s");
		return KERN_FAILURE;
	}
	if (calling_stop && !(k->k_flags & KEXT_STAT_STOPPED) && k->k_info->stop != NULL) {
		kern_return_t kr = k->k_info->stop(k->k_info, NULL);

		if (kr != KERN_SUCCESS) {
			kext_say(m, "%s: its stop routine failed (0x%x); it stays loaded",
			    k->k_id, kr);
			return KERN_FAILURE;
		}
	}
	if (k->k_addr != 0 && sUnloadCheck != NULL &&
	    sUnloadCheck(k->k_addr, k->k_addr + k->k_size, what, sizeof what)) {
		k->k_flags |= KEXT_STAT_STOPPED;
		kext_say(m, "%s cannot be unloaded: %s still points into it (stop left it "
		    "registered); it stays loaded, stopped", k->k_id, what);
		return KERN_FAILURE;
	}
	kext_run_array(k, k->k_fini, k->k_nfini, true, m);
	OSMetaClass_removeModClasses(k);
	OSKextLoadedHook(k, KEXT_HOOK_UNLOADING);

	/* Off the kmod chain and the list; libraries' counts down; pages freed. */
	for (kmod_info_t **pp = &kmod; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == k->k_info) {
			*pp = k->k_info->next;
			break;
		}
	}
	TAILQ_REMOVE(&sLoaded, k, k_link);
	kext_drop_deps(k);
	for (uint32_t i = 0; i < k->k_ndeps; i++)
		k->k_deps[i]->k_info->reference_count = k->k_deps[i]->k_refs;
	printf("kext: unloaded %s (index %u)\n", k->k_id, k->k_tag);
	if (k->k_addr != 0)
		kext_region_free(k->k_addr, k->k_size, k->k_id);
	kext_record_free(k);
	return KERN_SUCCESS;
}

kern_return_t
OSKextUnloadKextWithIdentifier(const char *identifier, uint32_t flags, char *msg,
    size_t msglen)
{
	struct kext_msg m = { msg, msglen, 0, true, true };
	kern_return_t kr;
	OSKext *k;

	if (msg != NULL && msglen != 0)
		msg[0] = '\0';
	if (flags & (KEXT_UNLOAD_TERMINATE | KEXT_UNLOAD_PERSONALITIES_ONLY)) {
		char id[KEXT_NAME_MAX];
		size_t used;

		lck_mtx_lock(&sKextLock);
		k = (flags & KEXT_UNLOAD_BY_PATH) ? kext_find_loaded_path(identifier) :
		    kext_find_loaded(identifier);
		id[0] = '\0';
		/*
		 * Nothing is torn down for an unload refused anyway (a kext others
		 * link against), unless only the tearing down was asked for.
		 */
		if (k != NULL && !(k->k_flags & (KEXT_STAT_KERNEL | KEXT_STAT_KPI)) &&
		    (k->k_refs == 0 || (flags & KEXT_UNLOAD_PERSONALITIES_ONLY)))
			strlcpy(id, k->k_id, sizeof id);
		lck_mtx_unlock(&sKextLock);
		/* Unlocked: a driver's stop may run matching, which may load kexts. */
		if (id[0] != '\0' && sIOKitHooks != NULL && sIOKitHooks->terminate != NULL) {
			sIOKitHooks->terminate(id, msg, msglen);
			used = msg != NULL && msglen != 0 ? strnlen(msg, msglen - 1) : 0;
			m.used = used;
		}
		if (id[0] != '\0' && (flags & KEXT_UNLOAD_PERSONALITIES_ONLY))
			return KERN_SUCCESS;
		/* Otherwise the unload below says why not (or that it is not loaded). */
	}
	lck_mtx_lock(&sKextLock);
	k = (flags & KEXT_UNLOAD_BY_PATH) ? kext_find_loaded_path(identifier) :
	    kext_find_loaded(identifier);
	if (k == NULL) {
		kext_say(&m, "%s is not loaded", identifier);
		kr = KERN_NOT_FOUND;
	} else {
		kr = kext_unload_locked(k, &m, true);
	}
	lck_mtx_unlock(&sKextLock);
	return kr;
}

/* --- listing ------------------------------------------------------------------- */

uint32_t
OSKextCopyLoadedInfo(struct kext_stat_entry *out, uint32_t max)
{
	uint32_t n = 0;
	OSKext *k;

	lck_mtx_lock(&sKextLock);
	TAILQ_FOREACH(k, &sLoaded, k_link) {
		if (n < max) {
			struct kext_stat_entry *e = &out[n];

			memset(e, 0, sizeof(*e));
			e->tag = k->k_tag;
			e->refs = k->k_refs;
			e->address = k->k_addr;
			e->size = k->k_size;
			e->wired = k->k_size;
			e->flags = k->k_flags;
			e->ndeps = k->k_ndeps;
			for (uint32_t i = 0; i < k->k_ndeps && i < KEXT_STAT_MAX_DEPS; i++)
				e->deps[i] = k->k_deps[i]->k_tag;
			strlcpy(e->name, k->k_id, sizeof e->name);
			strlcpy(e->version, k->k_version_str, sizeof e->version);
			strlcpy(e->path, k->k_path, sizeof e->path);
		}
		n++;
	}
	lck_mtx_unlock(&sKextLock);
	return n;
}
