/* The TOML 1.0.0 decoder (issue [2/8]): a byte buffer → a vc_doc_node table. Errors carry
 * `filename` (may be NULL) and the line:col of the problem. */
#ifndef VC_CONFIG_TOML_H
#define VC_CONFIG_TOML_H

#include <stddef.h>
#include "config/doc.h"
#include "util/error.h"

vc_doc_node *vc_toml_parse(const char *buf, size_t len, const char *filename, vc_error **err);

#endif
