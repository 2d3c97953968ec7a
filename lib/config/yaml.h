/* The YAML loader (issue [3/8], libyaml): a byte buffer → the same vc_doc_node tree as TOML.
 * Anchors and aliases resolve; duplicate keys are errors; nesting is bounded; booleans only as
 * true/false. */
#ifndef VC_CONFIG_YAML_H
#define VC_CONFIG_YAML_H

#include <stddef.h>
#include "config/doc.h"
#include "util/error.h"

vc_doc_node *vc_yaml_parse(const char *buf, size_t len, const char *filename, vc_error **err);

#endif
