/* Suite qemu, part 1: arch table, placement, bridge slots, drive specs, paths, escaping, uuid.
 * The argv matrix is in check_qemu_argv.c. */
#include <config.h>
#include "suites.h"
#include "check_qemu.h"
#include "qemu/arch.h"
#include "qemu/builder.h"
#include "qemu/placement.h"

#include <stdlib.h>
#include <string.h>

START_TEST(test_arch_lookup)
{
	ck_assert_ptr_eq(vc_arch_lookup("x86_64"), &vc_arch_x86_64);
	ck_assert_ptr_eq(vc_arch_lookup("amd64"), &vc_arch_x86_64);
	ck_assert_ptr_eq(vc_arch_lookup("aarch64"), &vc_arch_aarch64);
	ck_assert_ptr_eq(vc_arch_lookup("arm64"), &vc_arch_aarch64);
	ck_assert_ptr_null(vc_arch_lookup("riscv64"));
	ck_assert_ptr_null(vc_arch_lookup(NULL));
	ck_assert_ptr_nonnull(vc_arch_host());
	ck_assert_str_eq(vc_arch_x86_64.default_machine, "q35");
	ck_assert_str_eq(vc_arch_aarch64.default_machine, "virt");
	ck_assert_uint_eq(vc_arch_x86_64.max_vcpus, 240);
}
END_TEST

START_TEST(test_arch_bridge_bus)
{
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_x86_64, "q35"), "pcie.0");
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_x86_64, "pc"), "pci.0");
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_x86_64, "pc-i440fx-7.2"), "pci.0");
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_x86_64, "pc-q35-7.2"), "pcie.0");
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_x86_64, "pcx"), "pcie.0"); /* default */
	ck_assert_str_eq(vc_arch_bridge_bus(&vc_arch_aarch64, "virt"), "pcie.0");
	ck_assert(vc_arch_has_machine(&vc_arch_x86_64, "pc-i440fx-7.2"));
	ck_assert(!vc_arch_has_machine(&vc_arch_x86_64, "virt"));
	ck_assert(!vc_arch_has_machine(&vc_arch_x86_64, "pcx"));
	ck_assert_ptr_eq(vc_arch_of_machine("q35"), &vc_arch_x86_64);
	ck_assert_ptr_eq(vc_arch_of_machine("virt-7.2"), &vc_arch_aarch64);
	ck_assert_ptr_null(vc_arch_of_machine("microvm"));
}
END_TEST

START_TEST(test_scsi_coldplug_round_robin)
{
	vc_scsi_address a;
	vc_error *err = NULL;
	/* 5 drives over 3 controllers: 0,1,2,0,1 with units 0,0,0,1,1 */
	static const uint32_t ctrl[] = {0, 1, 2, 0, 1};
	static const uint32_t lun[] = {0, 0, 0, 1, 1};
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(vc_scsi_place_coldplug(i, 3, &a, &err), 0);
		ck_assert_uint_eq(a.controller, ctrl[i]);
		ck_assert_uint_eq(a.scsi_id, 0);
		ck_assert_uint_eq(a.lun, lun[i]);
	}
	/* unit 256 of one controller is scsi-id 1, lun 0 */
	ck_assert_int_eq(vc_scsi_place_coldplug(256, 1, &a, &err), 0);
	ck_assert_uint_eq(a.scsi_id, 1);
	ck_assert_uint_eq(a.lun, 0);
	ck_assert_int_eq(vc_scsi_place_coldplug(259 * 2 + 1, 2, &a, &err), 0);
	ck_assert_uint_eq(a.controller, 1);
	ck_assert_uint_eq(a.scsi_id, 1);
	ck_assert_uint_eq(a.lun, 3);
	ck_assert_ptr_null(err);
	ck_assert_int_lt(vc_scsi_place_coldplug(0, 0, &a, &err), 0);
	ck_assert_int_lt(vc_scsi_place_coldplug(VC_SCSI_UNITS, 1, &a, &err), 0);
	ck_assert_uint_eq(vc_error_count(err), 2);
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	vc_error_free(err);
}
END_TEST

START_TEST(test_scsi_hotplug_least_loaded)
{
	vc_scsi_controller c[3];
	memset(c, 0, sizeof(c));
	vc_scsi_address a;
	vc_error *err = NULL;
	/* cold plug 5 drives, recording them */
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(vc_scsi_place_coldplug(i, 3, &a, &err), 0);
		ck_assert_int_eq(vc_scsi_mark(c, 3, &a, true), 0);
	}
	ck_assert_uint_eq(c[0].load, 2);
	ck_assert_uint_eq(c[2].load, 1);
	/* least loaded is scsi2, its first free unit is lun 1 */
	ck_assert_int_eq(vc_scsi_place_hotplug(c, 3, &a, &err), 0);
	ck_assert_uint_eq(a.controller, 2);
	ck_assert_uint_eq(a.lun, 1);
	ck_assert_int_eq(vc_scsi_mark(c, 3, &a, true), 0);
	ck_assert_int_lt(vc_scsi_mark(c, 3, &a, true), 0); /* twice */
	/* all at 2: tie goes to the lowest index, unit 2 */
	ck_assert_int_eq(vc_scsi_place_hotplug(c, 3, &a, &err), 0);
	ck_assert_uint_eq(a.controller, 0);
	ck_assert_uint_eq(a.lun, 2);
	/* unplug scsi1 lun 0: scsi1 is now least loaded and lun 0 is reused */
	vc_scsi_address gone = {1, 0, 0};
	ck_assert_int_eq(vc_scsi_mark(c, 3, &gone, false), 0);
	ck_assert_int_lt(vc_scsi_mark(c, 3, &gone, false), 0);
	ck_assert_int_eq(vc_scsi_place_hotplug(c, 3, &a, &err), 0);
	ck_assert_uint_eq(a.controller, 1);
	ck_assert_uint_eq(a.lun, 0);
	vc_scsi_address bad = {3, 0, 0};
	/* the same state rebuilt from the cold-plug count */
	vc_scsi_controller c2[3];
	memset(c2, 0, sizeof(c2));
	ck_assert_int_eq(vc_scsi_mark_coldplug(c2, 3, 5, &err), 0);
	ck_assert_uint_eq(c2[0].load, 2);
	ck_assert_uint_eq(c2[1].load, 2);
	ck_assert_uint_eq(c2[2].load, 1);
	ck_assert_int_eq(vc_scsi_place_hotplug(c2, 3, &a, &err), 0);
	ck_assert_uint_eq(a.controller, 2);
	ck_assert_uint_eq(a.lun, 1);
	ck_assert_int_lt(vc_scsi_mark_coldplug(c2, 3, 1, &err), 0); /* already marked */
	ck_assert_int_eq(err->code, VC_ERR_STATE);
	vc_error_free(err);
	err = NULL;
	ck_assert_int_lt(vc_scsi_mark(c, 3, &bad, true), 0);
	ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_scsi_hotplug_full)
{
	vc_scsi_controller c[1];
	memset(c, 0, sizeof(c));
	vc_scsi_address a;
	vc_error *err = NULL;
	for (uint32_t u = 0; u < VC_SCSI_UNITS; u++) {
		ck_assert_int_eq(vc_scsi_place_hotplug(c, 1, &a, &err), 0);
		ck_assert_uint_eq(vc_scsi_address_unit(&a), u);
		ck_assert_int_eq(vc_scsi_mark(c, 1, &a, true), 0);
	}
	ck_assert_int_lt(vc_scsi_place_hotplug(c, 1, &a, &err), 0);
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	vc_error_free(err);
	err = NULL;
	ck_assert_int_lt(vc_scsi_place_hotplug(c, 0, &a, &err), 0);
	vc_error_free(err);
}
END_TEST

START_TEST(test_bridge_slots)
{
	vc_bridge_slots s;
	vc_error *err = NULL;
	uint32_t b, sl;
	vc_bridge_slots_init(&s, 2);
	ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_uint_eq(sl, 1);
	ck_assert_int_eq(vc_bridge_slot_reserve(&s, 0, 2), 0);
	ck_assert_int_lt(vc_bridge_slot_reserve(&s, 0, 2), 0);
	ck_assert_int_lt(vc_bridge_slot_reserve(&s, 0, 0), 0);
	ck_assert_int_lt(vc_bridge_slot_reserve(&s, 0, 32), 0);
	ck_assert_int_lt(vc_bridge_slot_reserve(&s, 2, 5), 0);
	ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_uint_eq(sl, 3);
	/* fill bridge 0, then bridge 1 starts at slot 1 */
	for (int i = 4; i <= 31; i++) {
		ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
		ck_assert_uint_eq(b, 0);
		ck_assert_uint_eq(sl, (uint32_t)i);
	}
	ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_uint_eq(b, 1);
	ck_assert_uint_eq(sl, 1);
	/* a released slot is the first free one again */
	ck_assert_int_eq(vc_bridge_slot_release(&s, 0, 17), 0);
	ck_assert_int_lt(vc_bridge_slot_release(&s, 0, 17), 0);
	ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_uint_eq(sl, 17);
	for (int i = 2; i <= 31; i++)
		ck_assert_int_eq(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_lt(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	vc_error_free(err);
	err = NULL;
	vc_bridge_slots_init(&s, 0);
	ck_assert_int_lt(vc_bridge_slot_alloc(&s, &b, &sl, &err), 0);
	vc_error_free(err);
}
END_TEST

START_TEST(test_drive_spec_parse)
{
	vc_drive_spec d;
	vc_error *err = NULL;
	ck_assert_int_eq(vc_drive_spec_parse("/img/a.raw", &d, &err), 0);
	ck_assert_str_eq(d.path, "/img/a.raw");
	ck_assert_str_eq(d.format, "raw");
	ck_assert(!d.readonly);
	ck_assert_ptr_null(d.cache);
	vc_drive_spec_clear(&d);

	ck_assert_int_eq(
	    vc_drive_spec_parse("/img/b.qcow2,format=qcow2,readonly,cache=none", &d, &err), 0);
	ck_assert_str_eq(d.format, "qcow2");
	ck_assert(d.readonly);
	ck_assert_str_eq(d.cache, "none");
	vc_drive_spec_clear(&d);

	/* ",," is a comma of the path */
	ck_assert_int_eq(vc_drive_spec_parse("/img/x,,y.raw,readonly=off", &d, &err), 0);
	ck_assert_str_eq(d.path, "/img/x,y.raw");
	ck_assert(!d.readonly);
	vc_drive_spec_clear(&d);
	ck_assert_ptr_null(err);

	static const char *const bad[] = {
	    "",	    ",format=raw",	 "/a,format=vmdk", "/a,cache=fast",
	    "/a,b", "/a,readonly=maybe", "/a,format",	   "/a,file=/etc/passwd"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_lt(vc_drive_spec_parse(bad[i], &d, &err), 0);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_null(d.path);
		vc_error_free(err);
		err = NULL;
	}
	ck_assert_int_lt(vc_drive_spec_parse("/a,b", &d, &err), 0);
	ck_assert_ptr_nonnull(strstr(err->msg, "',,'"));
	vc_error_free(err);
}
END_TEST

START_TEST(test_paths)
{
	vc_qemu_paths p;
	vc_error *err = NULL;
	ck_assert_int_eq(vc_qemu_paths_init(&p, "/run/vcrun/sb", &err), 0);
	ck_assert_str_eq(p.qmp_socket, "/run/vcrun/sb/qmp.sock");
	ck_assert_str_eq(p.console_socket, "/run/vcrun/sb/console.sock");
	ck_assert_str_eq(p.console_log, "/run/vcrun/sb/console.log");
	ck_assert_str_eq(p.pidfile, "/run/vcrun/sb/qemu.pid");
	vc_qemu_paths_clear(&p);

	/* 107 bytes fit sun_path (with its NUL), 108 do not */
	char dir[200];
	size_t n = 107 - strlen("/console.sock");
	memset(dir, 'd', n);
	dir[0] = '/';
	dir[n] = '\0';
	ck_assert_int_eq(vc_qemu_paths_init(&p, dir, &err), 0);
	ck_assert_uint_eq(strlen(p.console_socket), 107);
	vc_qemu_paths_clear(&p);
	dir[n] = 'd';
	dir[n + 1] = '\0';
	ck_assert_int_lt(vc_qemu_paths_init(&p, dir, &err), 0);
	ck_assert_int_eq(err->code, VC_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(err->msg, "--root"));
	ck_assert_ptr_null(p.qmp_socket);
	vc_error_free(err);
}
END_TEST

START_TEST(test_escape)
{
	vc_error *err = NULL;
	char *s = vc_qemu_path_unescape("kernel", "/a,,b,,,,c", &err);
	ck_assert_str_eq(s, "/a,b,,c");
	char *e = vc_qemu_opt_escape(s);
	ck_assert_str_eq(e, "/a,,b,,,,c");
	free(s);
	free(e);
	ck_assert_ptr_null(vc_qemu_path_unescape("kernel", "/a,b", &err));
	ck_assert_ptr_nonnull(strstr(err->msg, "kernel '/a,b'"));
	vc_error_free(err);
	err = NULL;
	ck_assert_ptr_null(vc_qemu_path_unescape("kernel", "/a,,,b", &err));
	vc_error_free(err);
	err = NULL;
	ck_assert_ptr_null(vc_qemu_path_unescape("kernel", "/a,", &err));
	vc_error_free(err);
}
END_TEST

START_TEST(test_uuid)
{
	char a[37], b[37], c[37];
	vc_qemu_uuid("sb1", a);
	vc_qemu_uuid("sb1", b);
	vc_qemu_uuid("sb2", c);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_uint_eq(strlen(a), 36);
	ck_assert_int_eq(a[8], '-');
	ck_assert_int_eq(a[13], '-');
	ck_assert_int_eq(a[14], '8'); /* version 8 */
	ck_assert(strchr("89ab", a[19]));
	ck_assert_int_eq(a[23], '-');
}
END_TEST

Suite *qemu_suite(void)
{
	Suite *s = suite_create("qemu");
	TCase *tc = tcase_create("units");
	tcase_add_test(tc, test_arch_lookup);
	tcase_add_test(tc, test_arch_bridge_bus);
	tcase_add_test(tc, test_scsi_coldplug_round_robin);
	tcase_add_test(tc, test_scsi_hotplug_least_loaded);
	tcase_add_test(tc, test_scsi_hotplug_full);
	tcase_add_test(tc, test_bridge_slots);
	tcase_add_test(tc, test_drive_spec_parse);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_uuid);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, vc_qemu_argv_tcase());
	return s;
}
