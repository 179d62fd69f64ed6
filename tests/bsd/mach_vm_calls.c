/*
 * mach_vm_calls.c - the mach_vm interface through task ports: allocate,
 * protect, inherit, read, write, copy, read_overwrite, region and named
 * entries in the caller's own space and, through task_for_pid, in a
 * child's (checked by the child itself over a pipe); the errors for bad
 * addresses, sizes and protections, for ports of the wrong kind, for names
 * the caller does not hold, and for a message id nobody serves. No port or
 * message is left behind.
 */

#include <mach/mach.h>
#include <mach/mig.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mach_test.h"
#include "tap.h"

#define PAGE	4096
#define trunc_page(x)	((x) & ~(uint64_t)(PAGE - 1))

static mach_port_t self;

static void
own_space(void)
{
	mach_vm_address_t addr = 0, fixed, dst = 0;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	mach_vm_size_t outsize = 0, size;
	vm_region_basic_info_data_64_t info;
	mach_port_t object = MACH_PORT_NULL;
	char *p;

	TAP_EQ(mach_vm_allocate(self, &addr, 4 * PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS,
	    "mach_vm_allocate anywhere");
	p = (char *)(uintptr_t)addr;
	TAP_OK(addr != 0 && (addr & (PAGE - 1)) == 0 && p[0] == 0 && p[4 * PAGE - 1] == 0,
	    "page-aligned, zero-filled");
	memcpy(p + 100, "written directly", 17);

	TAP_EQ(mach_vm_read(self, addr + 100, 17, &data, &count), KERN_SUCCESS, "mach_vm_read");
	TAP_EQ(count, 17, "mach_vm_read's count");
	TAP_OK(data != 0 && memcmp((void *)data, "written directly", 17) == 0,
	    "mach_vm_read's bytes arrive as new memory");
	TAP_EQ(mach_vm_write(self, addr + 2 * PAGE + 5, data, count), KERN_SUCCESS,
	    "mach_vm_write");
	TAP_OK(memcmp(p + 2 * PAGE + 5, "written directly", 17) == 0, "mach_vm_write's bytes");
	TAP_EQ(mach_vm_deallocate(self, trunc_page(data), PAGE), KERN_SUCCESS,
	    "the read's memory is the caller's to free");

	TAP_EQ(mach_vm_copy(self, addr, PAGE, addr + 3 * PAGE), KERN_SUCCESS, "mach_vm_copy");
	TAP_OK(memcmp(p + 3 * PAGE + 100, "written directly", 17) == 0, "mach_vm_copy's bytes");
	TAP_EQ(mach_vm_allocate(self, &dst, PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS,
	    "a buffer");
	TAP_EQ(mach_vm_read_overwrite(self, addr + 100, 17, dst, &outsize), KERN_SUCCESS,
	    "mach_vm_read_overwrite");
	TAP_OK(outsize == 17 && memcmp((void *)(uintptr_t)dst, "written directly", 17) == 0,
	    "mach_vm_read_overwrite's bytes and size");

	/* Protection, and region's view of it. */
	TAP_EQ(mach_vm_protect(self, addr + PAGE, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS,
	    "mach_vm_protect read-only");
	TAP_EQ(mach_vm_write(self, addr + PAGE, (vm_offset_t)p, 16), KERN_PROTECTION_FAILURE,
	    "mach_vm_write to a read-only page");
	fixed = addr + PAGE;
	count = VM_REGION_BASIC_INFO_COUNT_64;
	TAP_EQ(mach_vm_region(self, &fixed, &size, VM_REGION_BASIC_INFO_64,
	    (vm_region_info_t)&info, &count, &object), KERN_SUCCESS, "mach_vm_region");
	TAP_OK(fixed == addr + PAGE && size == PAGE && info.protection == VM_PROT_READ &&
	    (info.max_protection & VM_PROT_WRITE) && object == MACH_PORT_NULL,
	    "region: the read-only page alone, no object port");
	TAP_EQ(mach_vm_protect(self, addr + PAGE, PAGE, TRUE, VM_PROT_READ), KERN_SUCCESS,
	    "lower max_protection");
	TAP_EQ(mach_vm_protect(self, addr + PAGE, PAGE, FALSE, VM_PROT_DEFAULT),
	    KERN_PROTECTION_FAILURE, "protect above max_protection");
	TAP_EQ(mach_vm_inherit(self, addr, PAGE, VM_INHERIT_NONE), KERN_SUCCESS,
	    "mach_vm_inherit");
	TAP_EQ(mach_vm_inherit(self, addr, PAGE, 77), KERN_INVALID_ARGUMENT,
	    "mach_vm_inherit, bad value");

	/* Bad addresses and sizes. */
	fixed = addr;
	TAP_EQ(mach_vm_allocate(self, &fixed, PAGE, VM_FLAGS_FIXED), KERN_NO_SPACE,
	    "fixed allocate over a mapping");
	fixed = 0;
	TAP_EQ(mach_vm_allocate(self, &fixed, PAGE, 0x10000000 | 0x2), KERN_INVALID_ARGUMENT,
	    "allocate with a bad flag");
	TAP_EQ(mach_vm_deallocate(self, addr + 1, PAGE), KERN_INVALID_ARGUMENT,
	    "deallocate unaligned");
	TAP_EQ(mach_vm_deallocate(self, addr, ~0ULL - PAGE), KERN_INVALID_ARGUMENT,
	    "deallocate a size that wraps");
	TAP_EQ(mach_vm_read(self, 0, PAGE, &data, &count), KERN_INVALID_ADDRESS,
	    "read page 0");
	TAP_EQ(mach_vm_read(self, 0xffff800000000000ULL, PAGE, &data, &count),
	    KERN_INVALID_ADDRESS, "read kernel memory");
	TAP_EQ(mach_vm_read(self, addr, 1ULL << 33, &data, &count), KERN_INVALID_ARGUMENT,
	    "read more than a message can count");
	TAP_EQ(mach_vm_write(self, 0, (vm_offset_t)p, 16), KERN_INVALID_ADDRESS,
	    "write to an unmapped page");
	TAP_EQ(mach_vm_protect(self, addr, PAGE, FALSE, 0x40), KERN_INVALID_ARGUMENT,
	    "protect with bad bits");
	TAP_EQ(mach_vm_read_overwrite(self, addr, PAGE, 0, &outsize), KERN_INVALID_ADDRESS,
	    "read_overwrite into an unmapped page");
	TAP_EQ(mach_vm_deallocate(self, addr, 4 * PAGE), KERN_SUCCESS, "mach_vm_deallocate");
	TAP_EQ(mach_vm_deallocate(self, dst, PAGE), KERN_SUCCESS, "and the buffer");
	TAP_EQ(mach_vm_protect(self, addr, PAGE, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS,
	    "protect what is gone");
}

static void
legacy_names(void)
{
	vm_address_t a = 0;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	TAP_EQ(vm_allocate(self, &a, PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS, "vm_allocate");
	strcpy((char *)a, "legacy");
	TAP_EQ(vm_read(self, a, 7, &data, &count), KERN_SUCCESS, "vm_read");
	TAP_OK(count == 7 && strcmp((char *)data, "legacy") == 0, "vm_read's bytes");
	TAP_EQ(vm_write(self, a + 64, data, count), KERN_SUCCESS, "vm_write");
	TAP_OK(strcmp((char *)a + 64, "legacy") == 0, "vm_write's bytes");
	TAP_EQ(vm_protect(self, a, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS, "vm_protect");
	TAP_EQ(vm_deallocate(self, trunc_page(data), PAGE), KERN_SUCCESS, "vm_deallocate");
	TAP_EQ(vm_deallocate(self, a, PAGE), KERN_SUCCESS, "vm_deallocate again");
}

static void
named_entries(int ports0)
{
	mach_vm_address_t a = 0, b = 0, c = 0;
	memory_object_size_t size = 2 * PAGE;
	mach_port_t entry = MACH_PORT_NULL, sub = MACH_PORT_NULL, host = mach_host_self();

	TAP_EQ(mach_vm_allocate(self, &a, 2 * PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS,
	    "memory to name");
	TAP_EQ(mach_make_memory_entry_64(self, &size, a, VM_PROT_DEFAULT, &entry,
	    MACH_PORT_NULL), KERN_SUCCESS, "mach_make_memory_entry_64");
	TAP_OK(MACH_PORT_VALID(entry) && size == 2 * PAGE, "a send right to the entry");
	TAP_EQ(ipc_count("ports"), ports0 + 1, "the entry's port counts");
	TAP_EQ(mach_vm_map(self, &b, 2 * PAGE, 0, VM_FLAGS_ANYWHERE, entry, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_DEFAULT), KERN_SUCCESS,
	    "mach_vm_map of the entry");
	strcpy((char *)(uintptr_t)a + PAGE, "shared");
	TAP_OK(b != a && strcmp((char *)(uintptr_t)b + PAGE, "shared") == 0,
	    "one memory at two addresses");
	size = PAGE;
	TAP_EQ(_mach_make_memory_entry(self, &size, PAGE, VM_PROT_READ, &sub, entry),
	    KERN_SUCCESS, "an entry within the entry");
	TAP_EQ(mach_vm_map(self, &c, PAGE, 0, VM_FLAGS_ANYWHERE, sub, 0, FALSE, VM_PROT_READ,
	    VM_PROT_READ, VM_INHERIT_DEFAULT), KERN_SUCCESS, "mapped read-only");
	TAP_OK(strcmp((char *)(uintptr_t)c, "shared") == 0, "its second page");
	TAP_EQ(mach_vm_map(self, &c, PAGE, 0, VM_FLAGS_ANYWHERE, sub, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_DEFAULT), KERN_PROTECTION_FAILURE,
	    "not writable beyond the entry's rights");
	TAP_EQ(mach_vm_map(self, &c, 4 * PAGE, 0, VM_FLAGS_ANYWHERE, entry, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_DEFAULT), KERN_INVALID_ARGUMENT,
	    "not beyond the entry's end");
	TAP_EQ(mach_vm_map(self, &c, PAGE, 0, VM_FLAGS_ANYWHERE, host, 0, FALSE,
	    VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_DEFAULT), KERN_INVALID_ARGUMENT,
	    "mach_vm_map of the host port");
	size = PAGE;
	TAP_EQ(_mach_make_memory_entry(self, &size, 0, VM_PROT_READ, &sub, host),
	    KERN_INVALID_ARGUMENT, "a parent that is not an entry");
	TAP_EQ(_mach_make_memory_entry(self, &size, 0, VM_PROT_READ, &sub, MACH_PORT_NULL),
	    KERN_INVALID_ADDRESS, "an entry for nothing mapped");
	TAP_EQ(mach_port_deallocate(self, sub), KERN_SUCCESS, "drop the sub-entry");
	TAP_EQ(mach_port_deallocate(self, entry), KERN_SUCCESS, "drop the entry");
	TAP_EQ(ipc_count("ports"), ports0, "their ports went with the last rights");
	TAP_OK(strcmp((char *)(uintptr_t)b + PAGE, "shared") == 0,
	    "the mapping outlives the entry");
	(void)mach_vm_deallocate(self, a, 2 * PAGE);
	(void)mach_vm_deallocate(self, b, 2 * PAGE);
	(void)mach_vm_deallocate(self, c, PAGE);
	(void)mach_port_deallocate(self, host);
}

/* The child: told an address and a length, it prints what is there. */
static void
child_main(int cmd, int answer)
{
	uint64_t req[2];
	mach_vm_address_t a = 0;

	/* It holds no port of its parent: a name it makes up names nothing. */
	if (mach_vm_allocate((mach_port_t)0x7777, &a, PAGE, VM_FLAGS_ANYWHERE) !=
	    MACH_SEND_INVALID_DEST)
		_exit(3);
	while (read(cmd, req, sizeof(req)) == sizeof(req)) {
		if (req[1] == 0)
			_exit(0);
		if (write(answer, (void *)(uintptr_t)req[0], req[1]) != (ssize_t)req[1])
			_exit(2);
	}
	_exit(1);
}

static void
other_task(void)
{
	int cmd[2], answer[2], status = -1, ports0;
	mach_port_t child = MACH_PORT_NULL, host = mach_host_self(), thread;
	mach_vm_address_t a = 0;
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	uint64_t req[2];
	char buf[64];
	pid_t pid;

	if (pipe(cmd) != 0 || pipe(answer) != 0) {
		TAP_OK(0, "pipes");
		return;
	}
	ports0 = ipc_count("ports");
	pid = fork();
	if (pid == 0) {
		close(cmd[1]);
		close(answer[0]);
		child_main(cmd[0], answer[1]);
	}
	close(cmd[0]);
	close(answer[1]);
	TAP_EQ(task_for_pid(self, pid, &child), KERN_SUCCESS, "task_for_pid of the child");
	TAP_EQ(mach_vm_allocate(child, &a, 2 * PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS,
	    "mach_vm_allocate in the child");
	strcpy(buf, "from the parent");
	TAP_EQ(mach_vm_write(child, a + PAGE - 4, (vm_offset_t)buf, 16), KERN_SUCCESS,
	    "mach_vm_write into the child, across a page boundary");
	TAP_EQ(mach_vm_read(child, a + PAGE - 4, 16, &data, &count), KERN_SUCCESS,
	    "mach_vm_read from the child");
	TAP_OK(count == 16 && memcmp((void *)data, buf, 16) == 0, "the bytes read back");
	(void)mach_vm_deallocate(self, trunc_page(data), PAGE);

	req[0] = a + PAGE - 4;
	req[1] = 16;
	memset(buf, 0, sizeof(buf));
	TAP_OK(write(cmd[1], req, sizeof(req)) == sizeof(req) && read(answer[0], buf, 16) == 16 &&
	    strcmp(buf, "from the parent") == 0, "the child sees what the parent wrote");
	TAP_EQ(mach_vm_protect(child, a, PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS,
	    "mach_vm_protect in the child");
	TAP_EQ(mach_vm_read(child, a, 16, &data, &count), KERN_PROTECTION_FAILURE,
	    "reading a page the child may not read");
	TAP_EQ(mach_vm_deallocate(child, a, 2 * PAGE), KERN_SUCCESS,
	    "mach_vm_deallocate in the child");
	TAP_EQ(mach_vm_read(child, a + PAGE, 16, &data, &count), KERN_INVALID_ADDRESS,
	    "what was deallocated is gone");

	/* Ports of the wrong kind. */
	a = 0;
	TAP_EQ(mach_vm_allocate(host, &a, PAGE, VM_FLAGS_ANYWHERE), KERN_INVALID_ARGUMENT,
	    "mach_vm_allocate on the host port");
	thread = mach_thread_self();
	TAP_EQ(mach_vm_allocate(thread, &a, PAGE, VM_FLAGS_ANYWHERE), KERN_INVALID_ARGUMENT,
	    "mach_vm_allocate on a thread port");
	(void)mach_port_deallocate(self, thread);

	/* Without the port, no power: the name is gone. */
	TAP_EQ(mach_port_deallocate(self, child), KERN_SUCCESS, "give the child's port up");
	TAP_EQ(mach_vm_allocate(child, &a, PAGE, VM_FLAGS_ANYWHERE), MACH_SEND_INVALID_DEST,
	    "no call without the port");

	req[1] = 0;
	(void)write(cmd[1], req, sizeof(req));
	TAP_EQ(waitpid(pid, &status, 0), pid, "the child ends");
	TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the child's own checks passed (its made-up name named nothing)");
	TAP_EQ(ipc_count("ports"), ports0, "no port left of the child's");
	close(cmd[1]);
	close(answer[0]);
	(void)mach_port_deallocate(self, host);
}

/* A request for an id the interface skips gets MIG_BAD_ID. */
static void
bad_id(void)
{
	struct {
		mach_msg_header_t	head;
		char			body[64];
	} msg;
	mig_reply_error_t *reply = (mig_reply_error_t *)&msg;
	mach_port_t rp = mig_get_reply_port();
	mach_msg_id_t ids[] = { 4805, 9999 };

	for (int i = 0; i < 2; i++) {
		memset(&msg, 0, sizeof(msg));
		msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE);
		msg.head.msgh_remote_port = self;
		msg.head.msgh_local_port = rp;
		msg.head.msgh_id = ids[i];
		TAP_EQ(mach_msg(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(msg.head),
		    sizeof(msg), rp, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS,
		    "a request nobody serves is answered");
		TAP_OK(msg.head.msgh_id == ids[i] + 100 && reply->RetCode == MIG_BAD_ID,
		    "with MIG_BAD_ID");
	}
}

int
main(void)
{
	mach_vm_address_t a = 0;
	int ports0, kmsgs0;

	self = mach_task_self();
	/* The thread's port, made on first use, stays with the thread. */
	(void)mach_port_deallocate(self, mach_thread_self());
	/* The first call makes the thread's MIG reply port, which stays. */
	TAP_EQ(mach_vm_allocate(self, &a, PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS, "a first call");
	(void)mach_vm_deallocate(self, a, PAGE);
	ports0 = ipc_count("ports");
	kmsgs0 = ipc_count("kmsgs");
	own_space();
	legacy_names();
	named_entries(ports0);
	other_task();
	bad_id();
	TAP_EQ(ipc_count("ports"), ports0, "no port left behind");
	TAP_EQ(ipc_count("kmsgs"), kmsgs0, "no message left behind");
	return tap_done();
}
