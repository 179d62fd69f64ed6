/*
 * IOUserClient_test.c - the family's argument checks: a selector outside
 * the table or on an empty entry is kIOReturnUnsupported, any count or
 * size that differs from the entry's is kIOReturnBadArgument, and the
 * method runs only when everything matches; the default externalMethod
 * dispatches by the instance's table; close and death happen once; the
 * default newUserClient makes the class IOUserClientClass names.
 */

#include "iokit/Kernel/IOUserClient.h"

#include "iokit/Kernel/IOMemoryDescriptor.h"
#include "iokit/Kernel/iokit_rpc.h"
#include "libkern/OSString.h"
#include "libkern/string.h"
#include "mach/kern/task.h"
#include "tests/ktest.h"

static int test_calls;
static OSObject *test_target;

static IOReturn
test_add(OSObject *target, void *ref __unused, IOExternalMethodArguments *a)
{
	test_calls++;
	test_target = target;
	a->scalarOutput[0] = a->scalarInput[0] + a->scalarInput[1];
	return kIOReturnSuccess;
}

static IOReturn
test_echo(OSObject *target __unused, void *ref __unused, IOExternalMethodArguments *a)
{
	test_calls++;
	if (a->structureInput != NULL && a->structureOutput != NULL)
		memcpy(a->structureOutput, a->structureInput, 16);
	return kIOReturnSuccess;
}

static IOReturn
test_any(OSObject *target __unused, void *ref __unused, IOExternalMethodArguments *a __unused)
{
	test_calls++;
	return kIOReturnDeviceError;
}

static const IOExternalMethodDispatch test_table[] = {
	{ test_add, 2, 0, 1, 0 },
	{ test_echo, 0, 16, 0, 16 },
	{ test_any, kIOUCVariableStructureSize, kIOUCVariableStructureSize,
	    kIOUCVariableStructureSize, kIOUCVariableStructureSize },
	{ NULL, 0, 0, 0, 0 },
};
#define TEST_COUNT	(sizeof(test_table) / sizeof(test_table[0]))

/* Arguments for a call: scalars in and room for scalars out, no structures. */
static void
scalar_args(IOExternalMethodArguments *a, const uint64_t *in, uint32_t nin, uint64_t *out,
    uint32_t nout)
{
	memset(a, 0, sizeof(*a));
	a->version = kIOExternalMethodArgumentsCurrentVersion;
	a->scalarInput = in;
	a->scalarInputCount = nin;
	a->scalarOutput = out;
	a->scalarOutputCount = nout;
}

KTEST(IOUserClient, dispatch_refuses_unknown_selectors)
{
	IOExternalMethodArguments a;
	uint64_t in[2] = { 1, 2 }, out[1] = { 0 };

	test_calls = 0;
	scalar_args(&a, in, 2, out, 1);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(TEST_COUNT, &a, test_table, TEST_COUNT,
	    NULL, NULL), kIOReturnUnsupported);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0xffffffffU, &a, test_table, TEST_COUNT,
	    NULL, NULL), kIOReturnUnsupported);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(3, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnUnsupported);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, NULL, 0, NULL, NULL),
	    kIOReturnUnsupported);
	KT_EXPECT_EQ(test_calls, 0);
}

KTEST(IOUserClient, dispatch_checks_scalar_counts)
{
	IOExternalMethodArguments a;
	uint64_t in[3] = { 40, 2, 9 }, out[2] = { 0, 0 };

	test_calls = 0;
	scalar_args(&a, in, 1, out, 1);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	scalar_args(&a, in, 3, out, 1);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	scalar_args(&a, in, 2, out, 2);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	scalar_args(&a, in, 2, out, 0);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	KT_EXPECT_EQ(test_calls, 0);

	scalar_args(&a, in, 2, out, 1);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(0, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnSuccess);
	KT_EXPECT_EQ(out[0], 42u);
	KT_EXPECT_EQ(test_calls, 1);
}

KTEST(IOUserClient, dispatch_checks_structure_sizes)
{
	IOExternalMethodArguments a;
	uint8_t in[32], out[32];
	IOMemoryDescriptor *md;

	test_calls = 0;
	memset(in, 0x5a, sizeof(in));
	scalar_args(&a, NULL, 0, NULL, 0);
	a.structureInput = in;
	a.structureOutput = out;
	a.structureInputSize = 15;
	a.structureOutputSize = 16;
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(1, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	a.structureInputSize = 16;
	a.structureOutputSize = 17;
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(1, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	/* A scalar where none is taken. */
	a.structureOutputSize = 16;
	a.scalarInputCount = 1;
	a.scalarInput = (const uint64_t *)(const void *)in;
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(1, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnBadArgument);
	a.scalarInputCount = 0;
	KT_EXPECT_EQ(test_calls, 0);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(1, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnSuccess);
	KT_EXPECT_EQ(memcmp(in, out, 16), 0);

	/* By descriptor, the descriptor's size is the one checked. */
	md = IOMemoryDescriptor_withAddress(in, 16, kIODirectionOut);
	KT_ASSERT_TRUE(md != NULL);
	a.structureInput = NULL;
	a.structureInputSize = 0;
	a.structureInputDescriptor = md;
	KT_EXPECT_EQ(IOUserClient_checkArguments(&test_table[1], &a), kIOReturnSuccess);
	OSObject_release(OSOBJ(md));
	md = IOMemoryDescriptor_withAddress(in, 32, kIODirectionOut);
	KT_ASSERT_TRUE(md != NULL);
	a.structureInputDescriptor = md;
	a.structureInputSize = 16;
	KT_EXPECT_EQ(IOUserClient_checkArguments(&test_table[1], &a), kIOReturnBadArgument);
	OSObject_release(OSOBJ(md));
}

KTEST(IOUserClient, variable_sizes_take_anything)
{
	IOExternalMethodArguments a;
	uint64_t in[16] = { 0 }, out[16];
	uint8_t buf[100];

	test_calls = 0;
	scalar_args(&a, in, 16, out, 16);
	a.structureInput = buf;
	a.structureInputSize = sizeof(buf);
	a.structureOutput = buf;
	a.structureOutputSize = 7;
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(2, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnDeviceError);
	scalar_args(&a, NULL, 0, NULL, 0);
	KT_EXPECT_EQ(IOUserClient_dispatchExternalMethod(2, &a, test_table, TEST_COUNT, NULL,
	    NULL), kIOReturnDeviceError);
	KT_EXPECT_EQ(test_calls, 2);
}

KTEST(IOUserClient, default_externalMethod_uses_the_instance_table)
{
	IOUserClient *uc = OSTypeAlloc(IOUserClient);
	IOExternalMethodArguments a;
	uint64_t in[2] = { 3, 4 }, out[1] = { 0 };
	OSObject *other = OSOBJ(IOService_getResourceService());

	KT_ASSERT_TRUE(uc != NULL);
	KT_ASSERT_TRUE(IOUserClient_initWithTask(uc, kernel_task, kernel_task, 7, NULL));
	KT_EXPECT_EQ(uc->uc_type, 7u);
	scalar_args(&a, in, 2, out, 1);
	/* No table yet: nothing is supported. */
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 0, &a, NULL, NULL, NULL),
	    kIOReturnUnsupported);
	IOUserClient_setExternalMethods(uc, test_table, TEST_COUNT);
	test_target = NULL;
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 0, &a, NULL, NULL, NULL), kIOReturnSuccess);
	KT_EXPECT_EQ(out[0], 7u);
	KT_EXPECT_EQ(test_target, OSOBJ(uc));
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 9, &a, NULL, NULL, NULL),
	    kIOReturnUnsupported);
	/* An entry passed in (a subclass's override calling the default): checked too. */
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 0, &a, &test_table[1], NULL, NULL),
	    kIOReturnBadArgument);
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 0, &a, &test_table[0], other, NULL),
	    kIOReturnSuccess);
	KT_EXPECT_EQ(test_target, other);
	KT_EXPECT_EQ(IOUserClient_externalMethod(uc, 0, NULL, NULL, NULL, NULL),
	    kIOReturnBadArgument);
	OSObject_release(OSOBJ(uc));
}

KTEST(IOUserClient, close_happens_once)
{
	IOUserClient *uc = OSTypeAlloc(IOUserClient);

	KT_ASSERT_TRUE(uc != NULL);
	KT_ASSERT_TRUE(IOUserClient_initWithTask(uc, kernel_task, kernel_task, 0, NULL));
	KT_EXPECT_FALSE(IOUserClient_isClosed(uc));
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, false), kIOReturnSuccess);
	KT_EXPECT_TRUE(IOUserClient_isClosed(uc));
	KT_EXPECT_TRUE(IOService_isInactive(&uc->uc_service));	/* the default: terminate */
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, true), kIOReturnNotOpen);
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, false), kIOReturnNotOpen);
	OSObject_release(OSOBJ(uc));
}

/* A service (not registered) whose IOUserClientClass property is cls, or none. */
static IOService *
test_service(const char *cls)
{
	IOService *s = OSTypeAlloc(IOService);
	OSString *name = cls != NULL ? OSString_withCString(cls) : NULL;

	if (s != NULL && (!IOService_init(s, NULL) || (cls != NULL && (name == NULL ||
	    !IORegistryEntry_setProperty(&s->sv_entry, kIOUserClientClassKey, OSOBJ(name))))))
		OSSafeReleaseNULL(s);
	OSSafeReleaseNULL(name);
	return s;
}

KTEST(IOUserClient, newUserClient_makes_the_named_class)
{
	IOService *plain = test_service(NULL), *wrong = test_service("OSString");
	IOService *good = test_service("IOUserClient");
	int32_t before = OSMetaClass_getInstanceCount(OSTypeID(IOUserClient));
	IOUserClient *uc = NULL;

	KT_ASSERT_TRUE(plain != NULL && wrong != NULL && good != NULL);
	KT_EXPECT_EQ(IOService_newUserClient(plain, kernel_task, kernel_task, 0, NULL, &uc),
	    kIOReturnUnsupported);
	KT_EXPECT_EQ(IOService_newUserClient(wrong, kernel_task, kernel_task, 0, NULL, &uc),
	    kIOReturnUnsupported);
	KT_EXPECT_EQ(uc, NULL);
	KT_EXPECT_EQ(IOService_newUserClient(good, kernel_task, kernel_task, 0, NULL, NULL),
	    kIOReturnBadArgument);
	KT_ASSERT_EQ(IOService_newUserClient(good, kernel_task, kernel_task, 3, NULL, &uc),
	    kIOReturnSuccess);
	KT_EXPECT_EQ(uc->uc_type, 3u);
	KT_EXPECT_EQ(IOService_getProvider(&uc->uc_service), good);
	KT_EXPECT_TRUE(IOService_isStarted(&uc->uc_service));
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOUserClient)), before + 1);
	/* Closed: terminated, so detached from the service. */
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, false), kIOReturnSuccess);
	KT_EXPECT_EQ(IOService_getProvider(&uc->uc_service), NULL);
	OSObject_release(OSOBJ(uc));
	KT_EXPECT_EQ(OSMetaClass_getInstanceCount(OSTypeID(IOUserClient)), before);

	/*
	 * A service going away takes its clients with it: their calls are
	 * kIOReturnNotAttached until they are closed; and it makes no more.
	 */
	KT_ASSERT_EQ(IOService_newUserClient(good, kernel_task, kernel_task, 0, NULL, &uc),
	    kIOReturnSuccess);
	IOUserClient_setExternalMethods(uc, test_table, TEST_COUNT);
	(void)IOService_terminate(good, 0);
	KT_EXPECT_TRUE(IOService_isInactive(&uc->uc_service));
	{
		io_scalar_inband64_t in = { 1, 2 }, out = { 0 };
		static io_struct_inband_t inband, outband;
		mach_msg_type_number_t nout = 1, bout = 0;
		mach_vm_size_t ool_out = 0;

		KT_EXPECT_EQ(is_io_connect_method(OSOBJ(uc), 0, in, 2, inband, 0, 0, 0, outband,
		    &bout, out, &nout, 0, &ool_out), kIOReturnNotAttached);
	}
	KT_EXPECT_EQ(IOUserClient_closeOnce(uc, false), kIOReturnSuccess);
	OSObject_release(OSOBJ(uc));
	KT_EXPECT_EQ(IOService_newUserClient(good, kernel_task, kernel_task, 0, NULL, &uc),
	    kIOReturnNotAttached);
	OSObject_release(OSOBJ(plain));
	OSObject_release(OSOBJ(wrong));
	OSObject_release(OSOBJ(good));
}
