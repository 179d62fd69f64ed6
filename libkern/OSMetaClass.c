/*
 * OSMetaClass.c - the class registry: a list of registered classes under
 * one spin lock, the kext load in progress, and the type checks.
 *
 * The registry is an intrusive list through OSMetaClass.next, so
 * registering never allocates and cannot run out of memory. It holds tens
 * to hundreds of classes; lookups walk it.
 */

#include "libkern/OSMetaClass.h"

#include "libkern/OSArray.h"
#include "libkern/OSBoolean.h"
#include "libkern/OSCollection.h"
#include "libkern/OSCollectionIterator.h"
#include "libkern/OSData.h"
#include "libkern/OSDictionary.h"
#include "libkern/OSNumber.h"
#include "libkern/OSObject.h"
#include "libkern/OSSerialize.h"
#include "libkern/OSSet.h"
#include "libkern/OSString.h"
#include "libkern/OSSymbol.h"
#include "libkern/panic.h"
#include "libkern/printf.h"
#include "libkern/string.h"
#include "mach/kern/simple_lock.h"

/* Locks used in this file: [L] osmetaclass_globals.lock. */

#define OSMETACLASS_ERROR_MAX	160

static struct {
	hw_lock_data_t	lock;
	OSMetaClass	*classes;		/* [L] registered, newest first */
	void		*loading;		/* [L] kext between begin and end */
	kern_return_t	loadResult;		/* [L] its first failure */
	void		*errorKext;		/* [L] whose load errorMessage tells */
	char		errorMessage[OSMETACLASS_ERROR_MAX];	/* [L] */
} osmetaclass_globals = {
	.lock = HW_LOCK_INITIALIZER,
};

/* libkern's own classes, superclasses before subclasses. */
static OSMetaClass *const osmetaclass_builtin[] = {
	&OSObject_metaClass,
	&OSString_metaClass,
	&OSSymbol_metaClass,
	&OSNumber_metaClass,
	&OSBoolean_metaClass,
	&OSData_metaClass,
	&OSCollection_metaClass,
	&OSArray_metaClass,
	&OSDictionary_metaClass,
	&OSSet_metaClass,
	&OSCollectionIterator_metaClass,
	&OSSerialize_metaClass,
};

static boolean_t
osmetaclass_lock(void)
{
	boolean_t s = ml_set_interrupts_enabled(FALSE);

	hw_lock_lock(&osmetaclass_globals.lock);
	return s;
}

static void
osmetaclass_unlock(boolean_t s)
{
	hw_lock_unlock(&osmetaclass_globals.lock);
	ml_set_interrupts_enabled(s);
}

void
OSMetaClass_init(void)
{
	for (size_t i = 0; i < sizeof(osmetaclass_builtin) / sizeof(osmetaclass_builtin[0]); i++) {
		if (!osmetaclass_builtin[i]->registered &&
		    OSMetaClass_register(osmetaclass_builtin[i]) != KERN_SUCCESS)
			panic("OSMetaClass_init: cannot register %s",
			    osmetaclass_builtin[i]->className);
	}
}

/* The registered class called name, or NULL. Locks: [L]. */
static OSMetaClass *
osmetaclass_find_locked(const char *name)
{
	OSMetaClass *m;

	for (m = osmetaclass_globals.classes; m != NULL; m = m->next)
		if (strcmp(m->className, name) == 0)
			return m;
	return NULL;
}

/* Why meta cannot be registered, into msg; KERN_SUCCESS if it can. Locks: [L]. */
static kern_return_t
osmetaclass_check_locked(const OSMetaClass *meta, char *msg, size_t len)
{
	if (meta->className == NULL || meta->className[0] == '\0') {
		snprintf(msg, len, "a class has no name");
		return KERN_INVALID_ARGUMENT;
	}
	if (meta->registered || osmetaclass_find_locked(meta->className) != NULL) {
		snprintf(msg, len, "class \"%s\" is already registered", meta->className);
		return KERN_NAME_EXISTS;
	}
	if (meta->superClass == NULL ? meta != &OSObject_metaClass :
	    !meta->superClass->registered) {
		snprintf(msg, len, "class \"%s\": its superclass is not registered",
		    meta->className);
		return KERN_INVALID_ARGUMENT;
	}
	if (meta->methods != NULL && meta->methodsSize < sizeof(struct OSObject_methods)) {
		snprintf(msg, len, "class \"%s\": its method table is too small",
		    meta->className);
		return KERN_INVALID_ARGUMENT;
	}
	if (meta->superClass != NULL && meta->instanceSize < meta->superClass->instanceSize) {
		snprintf(msg, len, "class \"%s\" is smaller than its superclass",
		    meta->className);
		return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}

kern_return_t
OSMetaClass_register(OSMetaClass *meta)
{
	char msg[OSMETACLASS_ERROR_MAX];
	kern_return_t kr;
	boolean_t s;

	s = osmetaclass_lock();
	kr = osmetaclass_check_locked(meta, msg, sizeof(msg));
	if (kr == KERN_SUCCESS) {
		meta->owner = osmetaclass_globals.loading;
		meta->registered = true;
		meta->next = osmetaclass_globals.classes;
		osmetaclass_globals.classes = meta;
	} else if (osmetaclass_globals.loading != NULL &&
	    osmetaclass_globals.loadResult == KERN_SUCCESS) {
		osmetaclass_globals.loadResult = kr;
		osmetaclass_globals.errorKext = osmetaclass_globals.loading;
		strlcpy(osmetaclass_globals.errorMessage, msg,
		    sizeof(osmetaclass_globals.errorMessage));
	}
	osmetaclass_unlock(s);
	return kr;
}

const OSMetaClass *
OSMetaClass_lookup(const char *name)
{
	const OSMetaClass *m;
	boolean_t s;

	if (name == NULL)
		return NULL;
	s = osmetaclass_lock();
	m = osmetaclass_find_locked(name);
	osmetaclass_unlock(s);
	return m;
}

OSObject *
OSMetaClass_allocClassWithName(const char *name)
{
	const OSMetaClass *m = OSMetaClass_lookup(name);

	return m != NULL ? OSObject_alloc(m) : NULL;
}

bool
OSMetaClass_isSubclassOf(const OSMetaClass *meta, const OSMetaClass *superMeta)
{
	for (; meta != NULL; meta = meta->superClass)
		if (meta == superMeta)
			return true;
	return false;
}

OSObject *
OSMetaClass_safeMetaCast(const OSObject *obj, const OSMetaClass *toMeta)
{
	if (obj == NULL || !OSMetaClass_isSubclassOf(obj->meta, toMeta))
		return NULL;
	return (OSObject *)(uintptr_t)obj;
}

bool
OSMetaClass_checkTypeInst(const OSObject *inst, const OSObject *typeinst)
{
	return inst != NULL && typeinst != NULL &&
	    OSMetaClass_isSubclassOf(inst->meta, typeinst->meta);
}

const char *
OSMetaClass_getClassName(const OSMetaClass *meta)
{
	return meta->className;
}

const OSMetaClass *
OSMetaClass_getSuperClass(const OSMetaClass *meta)
{
	return meta->superClass;
}

int32_t
OSMetaClass_getInstanceCount(const OSMetaClass *meta)
{
	return __atomic_load_n(&meta->instanceCount, __ATOMIC_RELAXED);
}

void
(*OSMetaClass_findMethod(const OSMetaClass *meta, size_t offset))(void)
{
	void (*fn)(void);

	for (; meta != NULL; meta = meta->superClass) {
		if (meta->methods == NULL || offset + sizeof(fn) > meta->methodsSize)
			continue;
		memcpy(&fn, (const char *)meta->methods + offset, sizeof(fn));
		if (fn != NULL)
			return fn;
	}
	return NULL;
}

/* --- kexts ----------------------------------------------------------------- */

kern_return_t
OSMetaClass_beginModLoad(void *kext)
{
	kern_return_t kr = KERN_SUCCESS;
	boolean_t s;

	if (kext == NULL)
		return KERN_INVALID_ARGUMENT;
	s = osmetaclass_lock();
	if (osmetaclass_globals.loading != NULL) {
		kr = KERN_ALREADY_WAITING;
	} else {
		osmetaclass_globals.loading = kext;
		osmetaclass_globals.loadResult = KERN_SUCCESS;
		if (osmetaclass_globals.errorKext == kext) {
			osmetaclass_globals.errorKext = NULL;
			osmetaclass_globals.errorMessage[0] = '\0';
		}
	}
	osmetaclass_unlock(s);
	return kr;
}

/* Unlink every class owned by kext. Locks: [L]. */
static void
osmetaclass_remove_locked(void *kext)
{
	OSMetaClass **link = &osmetaclass_globals.classes;
	OSMetaClass *m;

	while ((m = *link) != NULL) {
		if (m->owner == kext) {
			*link = m->next;
			m->next = NULL;
			m->registered = false;
			m->owner = NULL;
		} else {
			link = &m->next;
		}
	}
}

kern_return_t
OSMetaClass_endModLoad(void *kext, bool success)
{
	kern_return_t kr;
	boolean_t s;

	s = osmetaclass_lock();
	if (kext == NULL || osmetaclass_globals.loading != kext) {
		osmetaclass_unlock(s);
		return KERN_INVALID_ARGUMENT;
	}
	kr = osmetaclass_globals.loadResult;
	if (!success || kr != KERN_SUCCESS)
		osmetaclass_remove_locked(kext);
	osmetaclass_globals.loading = NULL;
	osmetaclass_globals.loadResult = KERN_SUCCESS;
	osmetaclass_unlock(s);
	return kr;
}

bool
OSMetaClass_getModLoadError(void *kext, char *buf, size_t len)
{
	bool found;
	boolean_t s;

	s = osmetaclass_lock();
	found = kext != NULL && osmetaclass_globals.errorKext == kext;
	if (len > 0)
		strlcpy(buf, found ? osmetaclass_globals.errorMessage : "", len);
	osmetaclass_unlock(s);
	return found;
}

bool
OSMetaClass_modHasInstances(void *kext, const char **className, int *count)
{
	const OSMetaClass *m;
	int32_t n = 0;
	boolean_t s;

	s = osmetaclass_lock();
	for (m = osmetaclass_globals.classes; m != NULL; m = m->next) {
		if (kext == NULL || m->owner != kext)
			continue;
		n = OSMetaClass_getInstanceCount(m);
		if (n > 0)
			break;
	}
	osmetaclass_unlock(s);
	if (m == NULL)
		return false;
	if (className != NULL)
		*className = m->className;
	if (count != NULL)
		*count = n;
	return true;
}

kern_return_t
OSMetaClass_removeModClasses(void *kext)
{
	const OSMetaClass *m;
	boolean_t s;

	if (kext == NULL)
		return KERN_INVALID_ARGUMENT;
	s = osmetaclass_lock();
	for (m = osmetaclass_globals.classes; m != NULL; m = m->next) {
		if (m->owner == kext && OSMetaClass_getInstanceCount(m) > 0) {
			osmetaclass_unlock(s);
			return KERN_FAILURE;
		}
	}
	osmetaclass_remove_locked(kext);
	osmetaclass_unlock(s);
	return KERN_SUCCESS;
}
