/*
 * OSMetaClass.h - libkern's class system in C: one OSMetaClass per class,
 * a registry of them by name, run-time type checks, and the bookkeeping
 * that ties classes to the kexts that define them.
 *
 * An object's first member is its class (`const OSMetaClass *meta`, inside
 * the OSObject it begins with: libkern/OSObject.h); a subclass's struct
 * embeds its superclass's struct as its first member, so a pointer to the
 * object is a pointer to each of its ancestors. A class is:
 *
 *	name		"OSString", "com_example_Driver"; unique among
 *			registered classes
 *	superclass	its OSMetaClass, NULL only for OSObject
 *	instance size	sizeof the class's struct: what OSObject_alloc gets
 *	methods		a table that begins with struct OSObject_methods (a
 *			subclass may extend it: struct Foo_methods { struct
 *			OSObject_methods os; bool (*start)(Foo *); }); NULL
 *			entries, or no table, inherit the superclass's,
 *			except `free`, which every class has for itself
 *	instances	live objects of exactly this class
 *	owner		the kext whose constructors registered the class
 *			(NULL: the kernel)
 *
 * Declaring a class in C (a kext's source; the kernel's own classes are
 * the same without the constructor, registered by OSMetaClass_init):
 *
 *	struct com_example_Counter {
 *		OSObject	ctr_os;		   the superclass, first
 *		uint32_t	ctr_count;
 *	};
 *	OSDeclareDefaultStructors(com_example_Counter);	   usually in a header
 *
 *	static void counter_free(OSObject *obj) { ... release what it holds ... }
 *	static const struct OSObject_methods counter_methods = {
 *		.free = counter_free,
 *	};
 *	OSDefineMetaClassAndStructorsWithMethods(com_example_Counter, OSObject,
 *	    &counter_methods);
 *
 *	com_example_Counter *c = OSTypeAlloc(com_example_Counter);
 *
 * OSDefineMetaClassAndStructors(Class, Super) is the same for a class with
 * no methods of its own. Either one defines `OSMetaClass Class_metaClass`
 * and a constructor (an .init_array entry) that registers it: the kext
 * manager runs the kext's constructors between OSMetaClass_beginModLoad
 * and OSMetaClass_endModLoad, so the class is recorded as the kext's.
 *
 * Registering a name that is already registered is refused: inside a kext
 * load the failure is recorded, the rest of the load's classes still
 * register, and OSMetaClass_endModLoad fails the load (removing every
 * class the load registered) and keeps a message naming the class. A
 * kext's classes may be removed at unload only while none of them has a
 * live instance (OSMetaClass_modHasInstances says which one has).
 *
 * Invariants
 *   - a registered class's superclass is registered (or it is OSObject);
 *   - names are unique among registered classes;
 *   - at most one kext load is between beginModLoad and endModLoad.
 *
 * Locks: one spin lock (hw_lock, interrupts off) covers the registry and
 * the load in progress; it is a leaf: nothing is called with it held,
 * nothing is allocated under it. Keys on the fields below:
 *   [I] set by the defining macro, never changed
 *   [L] the registry lock
 *   [a] atomic (instance counts)
 */

#ifndef LIBKERN_OSMETACLASS_H
#define LIBKERN_OSMETACLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mach/kern_return.h"

typedef struct OSMetaClass	OSMetaClass;
typedef struct OSObject		OSObject;
typedef struct OSSerialize	OSSerialize;

/* The methods every class has (a subclass's table begins with these). */
struct OSObject_methods {
	/*
	 * free: release what this class's own fields hold. Not inherited:
	 * when an object dies the free of its class runs, then its
	 * superclass's, up to OSObject (which gives the memory back). Must
	 * cope with a half-initialised (zero-filled) object.
	 */
	void	(*free)(OSObject *obj);
	/* isEqualTo: whether obj and other have equal contents. Inherited. */
	bool	(*isEqualTo)(const OSObject *obj, const OSObject *other);
	/* serialize: append obj as a plist element to s. Inherited. */
	bool	(*serialize)(const OSObject *obj, OSSerialize *s);
};

/*
 * A class. The first five fields are set by the defining macro and never
 * change ([I]); the rest belong to the registry.
 */
struct OSMetaClass {
	const char			*className;	/* [I] */
	const OSMetaClass		*superClass;	/* [I] NULL for OSObject */
	uint32_t			instanceSize;	/* [I] bytes of an object */
	uint32_t			methodsSize;	/* [I] bytes of *methods */
	const struct OSObject_methods	*methods;	/* [I] may be NULL */
	volatile int32_t		instanceCount;	/* [a] live objects */
	void				*owner;		/* [L] kext, or NULL */
	OSMetaClass			*next;		/* [L] registry list */
	bool				registered;	/* [L] */
};

#define OSMETACLASS_INITIALIZER(Class, Super, Methods) {		\
	.className = #Class,						\
	.superClass = &Super##_metaClass,				\
	.instanceSize = sizeof(struct Class),				\
	.methodsSize = sizeof(*(Methods)),				\
	.methods = (const struct OSObject_methods *)(Methods),		\
}

/* No methods of a class's own (every one inherited, no free). */
#define OS_NO_METHODS	((const struct OSObject_methods *)NULL)

/* In a header: the class's typedef and its metaclass. */
#define OSDeclareDefaultStructors(Class)				\
	typedef struct Class Class;					\
	extern OSMetaClass Class##_metaClass

/* The metaclass alone, registered by hand (the kernel's own classes). */
#define OSDefineMetaClass(Class, Super, Methods)			\
	OSMetaClass Class##_metaClass =					\
	    OSMETACLASS_INITIALIZER(Class, Super, Methods)

/* The metaclass and a constructor that registers it (kexts). */
#define OSDefineMetaClassAndStructorsWithMethods(Class, Super, Methods)	\
	OSDefineMetaClass(Class, Super, Methods);			\
	static void Class##_registerClass(void)				\
	    __attribute__((constructor, used));				\
	static void							\
	Class##_registerClass(void)					\
	{								\
		(void)OSMetaClass_register(&Class##_metaClass);		\
	}

#define OSDefineMetaClassAndStructors(Class, Super)			\
	OSDefineMetaClassAndStructorsWithMethods(Class, Super, OS_NO_METHODS)

/* The class of a type, of an object. */
#define OSTypeID(Type)		((const OSMetaClass *)&Type##_metaClass)
#define OSTypeIDInst(obj)	(((const OSObject *)(obj))->meta)

/* A new object of Type (retain count 1, zero-filled), or NULL. */
#define OSTypeAlloc(Type)	((Type *)OSObject_alloc(OSTypeID(Type)))

/*
 * OSDynamicCast: obj as a Type *, if obj is a Type or a subclass of it;
 * NULL if it is not, or if obj is NULL.
 */
#define OSDynamicCast(Type, obj)					\
	((Type *)OSMetaClass_safeMetaCast((const OSObject *)(obj), OSTypeID(Type)))

/* OSCheckTypeInst: whether inst is of typeinst's class or a subclass of it. */
#define OSCheckTypeInst(typeinst, inst)					\
	OSMetaClass_checkTypeInst((const OSObject *)(inst),		\
	    (const OSObject *)(typeinst))

/* OSMetaClass_init: the registry, with libkern's own classes. Once, after kalloc_init. */
void		OSMetaClass_init(void);

/*
 * OSMetaClass_register: add meta to the registry, owned by the kext being
 * loaded (if any). Returns KERN_SUCCESS; KERN_NAME_EXISTS if the name is
 * taken, KERN_INVALID_ARGUMENT if meta is malformed or its superclass is
 * not registered (inside a load the failure is also recorded for
 * OSMetaClass_endModLoad).
 */
kern_return_t	OSMetaClass_register(OSMetaClass *meta);

/* OSMetaClass_lookup: the registered class of that name, or NULL. */
const OSMetaClass *OSMetaClass_lookup(const char *name);

/* A new instance of the class called name; NULL if none or out of memory. */
OSObject	*OSMetaClass_allocClassWithName(const char *name);

/* Whether meta is superMeta or one of its subclasses. */
bool		OSMetaClass_isSubclassOf(const OSMetaClass *meta,
		    const OSMetaClass *superMeta);

/* obj if its class is toMeta or a subclass of it, else NULL (and for NULL). */
OSObject	*OSMetaClass_safeMetaCast(const OSObject *obj, const OSMetaClass *toMeta);
bool		OSMetaClass_checkTypeInst(const OSObject *inst, const OSObject *typeinst);

const char	*OSMetaClass_getClassName(const OSMetaClass *meta);
const OSMetaClass *OSMetaClass_getSuperClass(const OSMetaClass *meta);
int32_t		OSMetaClass_getInstanceCount(const OSMetaClass *meta);

/*
 * OSMetaClass_findMethod: the function at byte `offset` of the method
 * tables of meta or its nearest ancestor that sets it; NULL if none.
 * OSMetaClass_method(meta, Class, name) is the typed form.
 */
void		(*OSMetaClass_findMethod(const OSMetaClass *meta, size_t offset))(void);
#define OSMetaClass_method(meta, Class, name)				\
	((__typeof__(((const struct Class##_methods *)0)->name))	\
	    OSMetaClass_findMethod((meta), offsetof(struct Class##_methods, name)))

/* --- kexts: the kext manager's interface --------------------------------- */

/*
 * OSMetaClass_beginModLoad: classes registered from now until
 * OSMetaClass_endModLoad belong to kext. Returns KERN_SUCCESS, or
 * KERN_ALREADY_WAITING if another load is in progress (loads are one at a
 * time), KERN_INVALID_ARGUMENT for a NULL kext.
 */
kern_return_t	OSMetaClass_beginModLoad(void *kext);

/*
 * OSMetaClass_endModLoad: end kext's load. If success is false, or a
 * registration failed during the load, every class the load registered is
 * removed. Returns the first registration failure (KERN_NAME_EXISTS for a
 * duplicate name, its message kept for OSMetaClass_getModLoadError),
 * KERN_INVALID_ARGUMENT if kext's load is not the one in progress,
 * otherwise KERN_SUCCESS.
 */
kern_return_t	OSMetaClass_endModLoad(void *kext, bool success);

/*
 * OSMetaClass_getModLoadError: the message of the last failed load of
 * kext, as `class "com_foo_Bar" is already registered`, into buf; false
 * (and buf empty) if its last load recorded no failure.
 */
bool		OSMetaClass_getModLoadError(void *kext, char *buf, size_t len);

/*
 * OSMetaClass_modHasInstances: whether a class of kext has live
 * instances; if so its name and instance count go to *className and
 * *count (either may be NULL).
 */
bool		OSMetaClass_modHasInstances(void *kext, const char **className,
		    int *count);

/*
 * OSMetaClass_removeModClasses: unregister every class kext registered.
 * Returns KERN_SUCCESS, or KERN_FAILURE (and removes nothing) while one of
 * them has live instances.
 */
kern_return_t	OSMetaClass_removeModClasses(void *kext);

#endif /* LIBKERN_OSMETACLASS_H */
