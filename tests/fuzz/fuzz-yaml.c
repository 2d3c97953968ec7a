/* libFuzzer target over the YAML loader alone. Replay one input: ./fuzz-yaml FILE. */
#include <config.h>
#include "config/yaml.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vc_error *err = NULL;
	vc_doc_node *root = vc_yaml_parse((const char *)data, size, "fuzz.yaml", &err);
	if (root)
		vc_doc_free(root);
	vc_error_free(err);
	return 0;
}
