/* libFuzzer target for the TOML decoder: any byte string must decode or fail cleanly (no crash,
 * no out-of-bounds read, no leak), and a failure must carry a position. The input is copied to
 * a buffer of exactly its size so that reading past the end is caught by ASan. It is then
 * decoded a second time through vc_toml_parse_input (input in the document's arena, recycled
 * for the tree while parsing), which must agree: same success, same error message, same size
 * of tree. */
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
	else
		buf[0] = 0; /* (never read: the length is 0) */
	vc_error *err = NULL;
	vc_doc_node *doc = vc_toml_parse(buf, size, "fuzz.toml", &err);
	char *input = NULL;
	vc_doc_node *root = vc_toml_input_document(size, &input);
	if (size)
		memcpy(input, data, size);
	vc_error *err2 = NULL;
	vc_doc_node *doc2 = vc_toml_parse_input(root, input, size, "fuzz.toml", &err2);
	if (!doc != !doc2)
		abort(); /* both ways agree */
	if (doc) {
		if (err || err2)
			abort(); /* success must not leave an error behind */
		if (vc_doc_arena_used(doc) != vc_doc_arena_used(doc2))
			abort();
		vc_doc_free(doc);
		vc_doc_free(doc2);
	} else {
		if (!err || err->code != VC_ERR_PARSE || err->line < 1 || err->col < 1)
			abort(); /* every failure names its line:col */
		char *msg = vc_error_format(err);
		char *msg2 = vc_error_format(err2);
		if (strcmp(msg, msg2) != 0)
			abort();
		free(msg);
		free(msg2);
		vc_error_free(err);
		vc_error_free(err2);
	}
	free(buf);
	return 0;
}
