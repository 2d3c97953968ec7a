/* The loader and the key table, on documents in memory (vc_config_load_buffer). */
#include <config.h>
#include "suites.h"
#include "config/load.h"
#include "config/schema.h"
#include "util/features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static vc_config_request request(void)
{
	vc_config_request r = {0};
	r.host_cpus = 4;
	r.kvm_path = "/nonexistent/kvm";
	return r;
}

static vc_hypervisor_config *load(const vc_config_request *req, const char *yaml, vc_error **err)
{
	return vc_config_load_buffer(req, yaml, strlen(yaml), "t.yaml", err);
}

#define BASE "hypervisor:\n  qemu:\n    kernel: /k\n    initrd: /i\n"

START_TEST(test_table_is_consistent)
{
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		const vc_config_key *k = &vc_config_keys[i];
		ck_assert_ptr_eq(vc_config_key_find(k->name), k); /* names are unique */
		if (k->type == VC_KEY_IGNORED)
			continue;
		ck_assert_msg(k->doc && *k->doc, "%s has no documentation", k->name);
		ck_assert_ptr_nonnull(k->def);
		if (k->type == VC_KEY_INT) {
			ck_assert(k->size == 4 || k->size == 8);
			long long d = strtoll(k->def, NULL, 10);
			ck_assert_msg(d >= k->min && d <= k->max, "%s: default out of range",
				      k->name);
		}
		if (k->type == VC_KEY_ENUM)
			ck_assert_ptr_nonnull(k->choices);
	}
}
END_TEST

/* Every key of Kata's current [hypervisor.qemu] table is known: a line scan of the file's
 * `key = value` lines (not a TOML parse) finds them. */
START_TEST(test_kata_keys_known)
{
	const char *ups[] = {"..", "../.."};
	FILE *f = NULL;
	for (size_t i = 0; i < 2 && !f; i++) {
		char *p = NULL;
		if (asprintf(&p, "%s/%s/shared/kata-configs/configuration-qemu-current.toml",
			     vc_test_srcdir(), ups[i]) < 0)
			ck_abort();
		f = fopen(p, "r");
		free(p);
	}
	if (!f)
		return; /* /work/shared absent: nothing to compare with */
	char line[1024];
	bool in_table = false;
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '[') {
			in_table = strncmp(line, "[hypervisor.qemu]", 17) == 0;
			continue;
		}
		char key[128];
		if (!in_table || sscanf(line, "%127[a-z0-9_] =", key) != 1 || !strchr(line, '='))
			continue;
		ck_assert_msg(vc_config_key_find(key), "Kata key '%s' unknown", key);
		n++;
	}
	fclose(f);
	ck_assert_int_gt(n, 60);
}
END_TEST

START_TEST(test_suggestions)
{
	ck_assert_str_eq(vc_config_key_suggest("enable_iothread"), "enable_iothreads");
	ck_assert_str_eq(vc_config_key_suggest("defualt_memory"), "default_memory");
	ck_assert_str_eq(vc_config_key_suggest("kernal"), "kernel");
	ck_assert_ptr_null(vc_config_key_suggest("completely_unrelated_thing"));
	ck_assert_ptr_null(vc_config_key_suggest(""));
}
END_TEST

START_TEST(test_defaults)
{
	vc_config_request req = request();
	vc_error *err = NULL;
	vc_hypervisor_config *c = load(&req, BASE, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->hypervisor_name, "qemu");
	ck_assert_str_eq(c->hypervisor_path, VC_DEFAULT_QEMU_PATH);
	ck_assert_str_eq(c->machine_type, "q35");
	ck_assert_str_eq(c->cpu_features, "pmu=off");
	ck_assert_uint_eq(c->default_vcpus, 1);
	ck_assert_uint_eq(c->default_maxvcpus, 4);
	ck_assert_uint_eq(c->default_memory, 2048);
	ck_assert_uint_eq(c->memory_slots, 10);
	ck_assert_uint_eq(c->default_bridges, 1);
	ck_assert_uint_eq(c->scsi_controllers, 1);
	ck_assert_int_eq(c->block_device_driver, VC_BLOCK_VIRTIO_SCSI);
	ck_assert_int_eq(c->accelerator, VC_ACCEL_TCG); /* no usable KVM device */
	ck_assert_str_eq(c->entropy_source, "/dev/urandom");
	ck_assert_uint_eq(c->valid_entropy_sources.n, 3);
	ck_assert_str_eq(c->valid_entropy_sources.v[2], "");
	ck_assert_ptr_null(c->valid_entropy_sources.v[3]);
	ck_assert_uint_eq(c->msize_9p, 8192);
	ck_assert(!c->disable_seccomp);
	ck_assert(!c->mlock);
	vc_config_free(c);
}
END_TEST

START_TEST(test_values_and_params)
{
	vc_config_request req = request();
	vc_error *err = NULL;
	vc_hypervisor_config *c = load(&req,
				       BASE "    kernel_params: \"console=hvc0 a=b=c quiet\"\n"
					    "    hypervisor_params: \"x=1\"\n"
					    "    accelerator: kvm\n"
					    "    block_device_driver: virtio-blk\n"
					    "    memory_offset: 9000000000\n"
					    "    realtime: true\n"
					    "    pflashes: [/a, /b]\n"
					    "    disable_seccomp: true\n",
				       &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->kernel_params.n, 3);
	ck_assert_str_eq(c->kernel_params.items[1].key, "a");
	ck_assert_str_eq(c->kernel_params.items[1].value, "b=c");
	ck_assert_ptr_null(c->kernel_params.items[2].value);
	ck_assert_str_eq(c->hypervisor_params.items[0].value, "1");
	ck_assert_int_eq(c->accelerator, VC_ACCEL_KVM); /* explicit: not probed */
	ck_assert_int_eq(c->block_device_driver, VC_BLOCK_VIRTIO_BLK);
	ck_assert_uint_eq(c->memory_offset, 9000000000ULL);
	ck_assert(c->mlock);
	ck_assert_uint_eq(c->pflashes.n, 2);
	ck_assert(c->disable_seccomp);
	vc_config_free(c);
}
END_TEST

START_TEST(test_all_errors_chained)
{
	vc_config_request req = request();
	vc_error *err = NULL;
	vc_hypervisor_config *c = load(&req,
				       "hypervisor:\n  qemu:\n"
				       "    kernel: 5\n"
				       "    bogus: 1\n"
				       "    scsi_controllers: 20\n"
				       "    default_memory: 0\n",
				       &err);
	ck_assert_ptr_null(c);
	/* unknown key, kernel type, scsi range, memory zero, missing kernel, no initrd/image */
	ck_assert_uint_eq(vc_error_count(err), 6);
	char *first = vc_error_format(err);
	ck_assert_str_eq(first, "t.yaml:4:5: unknown key 'bogus' in [hypervisor.qemu]");
	free(first);
	vc_error_free(err);
}
END_TEST

static char *bundle_with(const char *annotations)
{
	char *dir = strdup("/tmp/vcrun-bundle-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *p = NULL;
	ck_assert_int_gt(asprintf(&p, "%s/config.json", dir), 0);
	FILE *f = fopen(p, "w");
	fprintf(f, "{\"annotations\": {%s}}", annotations);
	fclose(f);
	free(p);
	return dir;
}

static void bundle_remove(char *dir)
{
	char *p = NULL;
	ck_assert_int_gt(asprintf(&p, "%s/config.json", dir), 0);
	unlink(p);
	rmdir(dir);
	free(p);
	free(dir);
}

START_TEST(test_annotations_and_assets)
{
	vc_config_request req = request();
	char *dir =
	    bundle_with("\"io.katacontainers.config.hypervisor.kernel_hash\": "
			"\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
			"\"io.katacontainers.config.hypervisor.initrd\": \"/ann/initrd\","
			"\"io.katacontainers.config.hypervisor.default_memory\": \"1024\"");
	req.bundle = dir;
	req.assets[VC_ASSET_KERNEL] = "/cli/kernel";
	vc_error *err = NULL;
	vc_hypervisor_config *c = load(
	    &req, BASE "    enable_annotations: [\".*_hash\", \"initrd\", \"default_memory\"]\n",
	    &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->asset_hashes[VC_ASSET_KERNEL],
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_assert_ptr_null(c->asset_hashes[VC_ASSET_INITRD]);
	ck_assert_str_eq(vc_config_asset_path(c, VC_ASSET_KERNEL), "/cli/kernel");
	ck_assert_str_eq(vc_config_asset_path(c, VC_ASSET_INITRD), "/ann/initrd");
	ck_assert_str_eq(c->initrd_path, "/i"); /* the file's value is kept beside the override */
	ck_assert_uint_eq(c->default_memory, 1024);
	vc_config_free(c);

	/* The same annotations without enable_annotations: all refused, each named. */
	err = NULL;
	req.assets[VC_ASSET_KERNEL] = NULL;
	c = load(&req, BASE, &err);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(vc_error_count(err), 3);
	ck_assert_ptr_nonnull(strstr(err->msg, "is not allowed by enable_annotations"));
	vc_error_free(err);
	bundle_remove(dir);
}
END_TEST

START_TEST(test_dump_formats)
{
	vc_config_request req = request();
	vc_error *err = NULL;
	vc_hypervisor_config *c = load(&req, BASE "    kernel_params: \"a=\\\"q\\\"\"\n", &err);
	ck_assert_ptr_nonnull(c);
	char *json = vc_config_dump(c, "json", &err);
	char *toml = vc_config_dump(c, "toml", &err);
	char *yaml = vc_config_dump(c, "yaml", &err);
	ck_assert_ptr_nonnull(strstr(json, "\"kernel_params\": \"a=\\\"q\\\"\""));
	ck_assert_ptr_nonnull(strstr(toml, "[hypervisor.qemu]\npath = "));
	ck_assert_ptr_nonnull(strstr(toml, "\nkernel_params = \"a=\\\"q\\\"\"\n"));
	ck_assert_ptr_nonnull(strstr(yaml, "hypervisor:\n  qemu:\n    path: "));
	/* every key vcrun acts on is shown, ignored ones are not */
	for (size_t i = 0; i < vc_config_keys_count; i++) {
		char *needle = NULL;
		ck_assert_int_gt(asprintf(&needle, "\n%s = ", vc_config_keys[i].name), 0);
		bool shown = strstr(toml, needle) != NULL;
		ck_assert_msg(shown == (vc_config_keys[i].type != VC_KEY_IGNORED), "%s",
			      vc_config_keys[i].name);
		free(needle);
	}
	/* the YAML dump loads back to the same configuration */
	vc_hypervisor_config *again = load(&req, yaml, &err);
	ck_assert_ptr_nonnull(again);
	char *json2 = vc_config_dump(again, "json", &err);
	ck_assert_str_eq(json, json2);
	ck_assert_ptr_null(vc_config_dump(c, "xml", &err));
	ck_assert_int_eq(err->code, VC_ERR_USAGE);
	vc_error_free(err);
	free(json);
	free(json2);
	free(toml);
	free(yaml);
	vc_config_free(again);
	vc_config_free(c);
}
END_TEST

START_TEST(test_detect_format)
{
	ck_assert_int_eq(vc_config_detect_format("a.toml", "x: 1", 4), VC_CONFIG_TOML);
	ck_assert_int_eq(vc_config_detect_format("a.yml", "[x]", 3), VC_CONFIG_YAML);
	const char *y = "# c\n\nhypervisor:\n  qemu: {}\n";
	ck_assert_int_eq(vc_config_detect_format("conf", y, strlen(y)), VC_CONFIG_YAML);
	const char *t = "# c\n[hypervisor.qemu]\n";
	ck_assert_int_eq(vc_config_detect_format("conf", t, strlen(t)), VC_CONFIG_TOML);
	const char *t2 = "a = \"b:c\"\n";
	ck_assert_int_eq(vc_config_detect_format(NULL, t2, strlen(t2)), VC_CONFIG_TOML);
}
END_TEST

/* The same settings in TOML and YAML give the same configuration: everything after parsing is
 * shared. */
START_TEST(test_toml_equals_yaml)
{
	const char *toml = "[hypervisor.qemu]\n"
			   "kernel = \"/k\"\n"
			   "initrd = \"/i\"\n"
			   "kernel_params = \"console=hvc0 quiet\"\n"
			   "default_vcpus = -1\n"
			   "default_memory = 512\n"
			   "enable_iothreads = true\n"
			   "valid_entropy_sources = [\"/dev/urandom\", \"\"]\n"
			   "machine_accelerators = \" nosmm,,nofw\"\n"
			   "rootless = false\n"
			   "[runtime]\n"
			   "enable_debug = true\n";
	const char *yaml = "hypervisor:\n"
			   "  qemu:\n"
			   "    kernel: /k\n"
			   "    initrd: /i\n"
			   "    kernel_params: console=hvc0 quiet\n"
			   "    default_vcpus: -1\n"
			   "    default_memory: 512\n"
			   "    enable_iothreads: true\n"
			   "    valid_entropy_sources: [/dev/urandom, \"\"]\n"
			   "    machine_accelerators: \" nosmm,,nofw\"\n"
			   "    rootless: false\n"
			   "runtime:\n"
			   "  enable_debug: true\n";
	vc_config_request req = request();
	vc_error *err = NULL;
	vc_hypervisor_config *t = vc_config_load_buffer(&req, toml, strlen(toml), "t.toml", &err);
	ck_assert_ptr_nonnull(t);
	vc_hypervisor_config *y = load(&req, yaml, &err);
	ck_assert_ptr_nonnull(y);
	char *jt = vc_config_dump(t, "json", &err);
	char *jy = vc_config_dump(y, "json", &err);
	ck_assert_str_eq(jt, jy);
	free(jt);
	free(jy);
	vc_config_free(t);
	vc_config_free(y);
}
END_TEST

/* `vcrun features` claims only annotations the loader accepts, and lists all of them. */
START_TEST(test_features_annotations)
{
	static const char prefix[] = "io.katacontainers.config.hypervisor.";
	size_t listed = 0;
	for (const char *const *a = vc_features_annotations(); *a; a++) {
		ck_assert_int_eq(strncmp(*a, prefix, sizeof(prefix) - 1), 0);
		const char *name = *a + sizeof(prefix) - 1;
		size_t n = strlen(name);
		if (n > 5 && strcmp(name + n - 5, "_hash") == 0)
			continue;
		const vc_config_key *k = vc_config_key_find(name);
		ck_assert_msg(k && k->annotation && k->type != VC_KEY_IGNORED, "%s", *a);
		listed++;
	}
	size_t accepted = 0;
	for (size_t i = 0; i < vc_config_keys_count; i++)
		if (vc_config_keys[i].annotation && vc_config_keys[i].type != VC_KEY_IGNORED)
			accepted++;
	ck_assert_uint_eq(listed, accepted);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table_is_consistent);
	tcase_add_test(tc, test_kata_keys_known);
	tcase_add_test(tc, test_suggestions);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values_and_params);
	tcase_add_test(tc, test_all_errors_chained);
	tcase_add_test(tc, test_annotations_and_assets);
	tcase_add_test(tc, test_dump_formats);
	tcase_add_test(tc, test_detect_format);
	tcase_add_test(tc, test_toml_equals_yaml);
	tcase_add_test(tc, test_features_annotations);
	suite_add_tcase(s, tc);
	return s;
}
