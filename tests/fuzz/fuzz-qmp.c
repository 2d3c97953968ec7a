/* libFuzzer target for the QMP message parser (vc_qmp_parse_message): any bytes must give either
 * a message of one of the four kinds whose required members have the right types, or an error;
 * never a crash or a leak. Build with --enable-fuzzing (clang); a corpus is in
 * tests/fuzz/corpus/qmp/. `fuzz-qmp FILE` (libFuzzer) replays one input. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qemu/qmp.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vc_error *err = NULL;
	json_t *msg = NULL;
	int kind = vc_qmp_parse_message((const char *)data, size, &msg, &err);
	if (kind < 0) {
		if (!err || msg)
			abort();
		vc_error_free(err);
		return 0;
	}
	if (err || !json_is_object(msg))
		abort();
	switch (kind) {
	case VC_QMP_MSG_GREETING:
		if (!json_is_object(json_object_get(msg, "QMP")))
			abort();
		break;
	case VC_QMP_MSG_RETURN:
		if (!json_object_get(msg, "return"))
			abort();
		break;
	case VC_QMP_MSG_ERROR: {
		json_t *e = json_object_get(msg, "error");
		if (!json_is_string(json_object_get(e, "class")) ||
		    !json_is_string(json_object_get(e, "desc")))
			abort();
		break;
	}
	case VC_QMP_MSG_EVENT:
		if (!json_is_string(json_object_get(msg, "event")))
			abort();
		break;
	default:
		abort();
	}
	json_decref(msg);
	return 0;
}
