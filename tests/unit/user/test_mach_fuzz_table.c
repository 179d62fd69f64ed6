/*
 * test_mach_fuzz_table.c - the Mach message fuzzer's table
 * (tools/mig/mig.py --fuzz-table, docs/fuzzing.md) against the kernel's
 * .defs: a few known routines have their XNU ids, request port kinds and
 * request layouts (descriptors first, then inline scalars, counts, variable
 * arrays and strings in argument order), and every entry is well formed.
 */

#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "mach_fuzz_table.h"

static const struct mfz_routine *
find(const char *name)
{
	for (size_t i = 0; i < MFZ_ROUTINE_COUNT; i++)
		if (strcmp(mfz_routines[i].name, name) == 0)
			return &mfz_routines[i];
	return NULL;
}

static void
expect_field(const struct mfz_routine *r, int i, int kind, int value, int elem, int max,
    const char *name)
{
	const struct mfz_field *f;

	cr_assert_lt(i, r->nfields, "%s has no field %d", r->name, i);
	f = &r->field[i];
	cr_expect_eq(f->kind, kind, "%s.%s kind", r->name, name);
	cr_expect_eq(f->value, value, "%s.%s value", r->name, name);
	cr_expect_eq(f->elem, elem, "%s.%s elem", r->name, name);
	cr_expect_eq(f->max, max, "%s.%s max", r->name, name);
	cr_expect_str_eq(f->name, name);
}

Test(mach_fuzz_table, every_subsystem)
{
	static const char *const subs[] = {
		"iokit", "mach_host", "mach_port", "mach_vm", "task", "thread_act",
	};

	for (size_t s = 0; s < sizeof(subs) / sizeof(subs[0]); s++) {
		int n = 0;

		for (size_t i = 0; i < MFZ_ROUTINE_COUNT; i++)
			n += strcmp(mfz_routines[i].subsystem, subs[s]) == 0;
		cr_expect_gt(n, 3, "subsystem %s has %d routines in the table", subs[s], n);
	}
}

Test(mach_fuzz_table, entries_are_well_formed)
{
	for (size_t i = 0; i < MFZ_ROUTINE_COUNT; i++) {
		const struct mfz_routine *r = &mfz_routines[i];
		int ndesc = 0, inline_seen = 0;

		cr_expect_leq(r->nfields, MFZ_FIELDS_MAX, "%s", r->name);
		for (size_t j = 0; j < i; j++)
			cr_expect_neq(mfz_routines[j].id, r->id, "%s and %s share an id",
			    mfz_routines[j].name, r->name);
		for (int f = 0; f < r->nfields; f++) {
			int desc = r->field[f].kind <= MFZ_OOL_PORTS;

			ndesc += desc;
			cr_expect(!(desc && inline_seen), "%s: descriptor %s after inline data",
			    r->name, r->field[f].name);
			inline_seen |= !desc;
			if (r->field[f].value == MFZ_V_OOLCNT) {
				int of = r->field[f].max;

				cr_expect(of < f && (r->field[of].kind == MFZ_OOL ||
				    r->field[of].kind == MFZ_OOL_PORTS), "%s.%s counts no array",
				    r->name, r->field[f].name);
			}
		}
		cr_expect_eq(ndesc, r->ndesc, "%s", r->name);
	}
}

Test(mach_fuzz_table, task_info)
{
	const struct mfz_routine *r = find("task_info");

	cr_assert_not_null(r);
	cr_expect_eq(r->id, 3405);
	cr_expect_eq(r->target, MFZ_T_TASK);
	cr_expect_eq(r->simple, 0);
	cr_expect_eq(r->ndesc, 0);
	cr_expect_eq(r->nfields, 2);
	expect_field(r, 0, MFZ_SCALAR, MFZ_V_FLAVOR, 4, 0, "flavor");
	expect_field(r, 1, MFZ_SCALAR, MFZ_V_OUTCNT, 4, 87, "task_info_outCnt");
}

Test(mach_fuzz_table, mach_vm_write)
{
	const struct mfz_routine *r = find("mach_vm_write");

	cr_assert_not_null(r);
	cr_expect_eq(r->id, 4806);
	cr_expect_eq(r->target, MFZ_T_TASK);
	cr_expect_eq(r->ndesc, 1);
	cr_expect_eq(r->nfields, 3);
	expect_field(r, 0, MFZ_OOL, MFZ_V_INT, 1, 0, "data");
	expect_field(r, 1, MFZ_SCALAR, MFZ_V_ADDR, 8, 0, "address");
	expect_field(r, 2, MFZ_SCALAR, MFZ_V_OOLCNT, 4, 0, "dataCnt");
}

Test(mach_fuzz_table, ports_and_dispositions)
{
	const struct mfz_routine *r = find("semaphore_destroy");

	cr_assert_not_null(r);
	cr_expect_eq(r->id, 3419);
	cr_expect_eq(r->field[0].kind, MFZ_PORT);
	cr_expect_eq(r->field[0].target, MFZ_T_SEMAPHORE);
	cr_expect_eq(r->field[0].disp, 17);		/* MACH_MSG_TYPE_MOVE_SEND */

	r = find("mach_port_insert_right");
	cr_assert_not_null(r);
	cr_expect_eq(r->id, 3214);
	cr_expect_eq(r->ndesc, 1);
	cr_expect_eq(r->field[0].disp, 0);		/* polymorphic */
	expect_field(r, 1, MFZ_SCALAR, MFZ_V_NAME, 4, 0, "name");

	r = find("mach_port_request_notification");
	cr_assert_not_null(r);
	cr_expect_eq(r->field[0].target, MFZ_T_SEND_ONCE);
	cr_expect_eq(r->field[0].disp, 18);		/* MACH_MSG_TYPE_MOVE_SEND_ONCE */

	r = find("io_service_open");
	cr_assert_not_null(r);
	cr_expect_eq(r->target, MFZ_T_IO_OBJECT);
	cr_expect_eq(r->field[0].target, MFZ_T_TASK);
}

Test(mach_fuzz_table, arrays_and_strings)
{
	const struct mfz_routine *r = find("thread_set_state");

	cr_assert_not_null(r);
	cr_expect_eq(r->id, 3604);
	cr_expect_eq(r->target, MFZ_T_THREAD);
	expect_field(r, 0, MFZ_SCALAR, MFZ_V_FLAVOR, 4, 0, "flavor");
	expect_field(r, 1, MFZ_VAR, MFZ_V_INT, 4, 1296, "new_state");

	r = find("io_registry_entry_from_path");
	cr_assert_not_null(r);
	cr_expect_eq(r->id, 2809);
	cr_expect_eq(r->target, MFZ_T_IO_MASTER);
	expect_field(r, 0, MFZ_STRING, MFZ_V_INT, 1, 512, "path");

	r = find("io_connect_method");
	cr_assert_not_null(r);
	cr_expect_eq(r->id, 2865);
	cr_expect_eq(r->target, MFZ_T_IO_CONNECT);
	cr_expect_eq(r->nfields, 9);
	expect_field(r, 1, MFZ_VAR, MFZ_V_INT, 8, 16, "scalar_input");
	expect_field(r, 5, MFZ_SCALAR, MFZ_V_OUTCNT, 4, 4096, "inband_outputCnt");
	expect_field(r, 8, MFZ_SCALAR, MFZ_V_SIZE, 8, 0, "ool_output_size");

	r = find("host_info");
	cr_assert_not_null(r);
	cr_expect_eq(r->id, 200);
	cr_expect_eq(r->target, MFZ_T_HOST);
}
