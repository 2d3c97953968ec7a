/* libFuzzer target over the whole configuration loader, both formats: the first byte picks
 * TOML or YAML, the rest is the document. Host facts are fixed so runs are reproducible.
 * Replay one input: ./fuzz-config FILE. */
#include <config.h>
#include "config/load.h"
#include "util/log.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) {
		vc_log_open(NULL, VC_LOG_TEXT, VC_LOG_ERROR, NULL);
		quiet = true;
	}
	if (size < 1)
		return 0;
	const char *name = (data[0] & 1) ? "fuzz.toml" : "fuzz.yaml";
	vc_config_request req = {0};
	req.host_cpus = 2;
	req.kvm_path = "/nonexistent/kvm";
	req.meminfo_path = "/nonexistent/meminfo";
	req.check_host = false;
	vc_error *err = NULL;
	vc_hypervisor_config *c =
		vc_config_load_buffer(&req, (const char *)data + 1, size - 1, name, &err);
	vc_config_free(c);
	vc_error_free(err);
	return 0;
}
