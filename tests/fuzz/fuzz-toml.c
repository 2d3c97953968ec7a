/* libFuzzer target for the TOML decoder: any byte string must decode or fail cleanly (no crash,
 * no out-of-bounds read, no leak), and a failure must carry a position. The input is copied to
 * a buffer of exactly its size so that reading past the end is caught by ASan. */
#include <config.h>
#include "config/toml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	vc_error *err = NULL;
	vc_doc_node *doc = vc_toml_parse(buf, size, "fuzz.toml", &err);
	if (doc) {
		if (err)
			abort(); /* success must not leave an error behind */
		vc_doc_free(doc);
	} else {
		if (!err || err->code != VC_ERR_PARSE || err->line < 1 || err->col < 1)
			abort(); /* every failure names its line:col */
		char *msg = vc_error_format(err);
		free(msg);
		vc_error_free(err);
	}
	free(buf);
	return 0;
}
