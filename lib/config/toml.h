/* The TOML 1.0.0 decoder (issue [2/8]): a byte buffer → a vc_doc_node table. Errors carry
 * `filename` (may be NULL) and the line:col of the problem. */
#ifndef VC_CONFIG_TOML_H
#define VC_CONFIG_TOML_H

#include <stddef.h>
#include "config/doc.h"
#include "util/error.h"

/* Bits of vc_doc_node.flags set by the decoder (bookkeeping for the redefinition rules):
 *  DEFINED - a table written as a [header] (or an element of an array of tables, or the root);
 *  DOTTED  - a table created or extended by a dotted key (`a.b = 1` makes `a`);
 *  INLINE  - an inline table `{...}` or a static array `[...]`: complete once written;
 *  AOT     - an array created by [[header]]s.
 * Tables with none of DEFINED/DOTTED were created implicitly by a longer header. */
#define VC_TOML_DEFINED 0x1u
#define VC_TOML_DOTTED 0x2u
#define VC_TOML_INLINE 0x4u
#define VC_TOML_AOT 0x8u

/* Arrays and inline tables nested deeper than this are an error (the parser recurses once per
 * level, so this bounds its stack use). */
#define VC_TOML_MAX_DEPTH 128

/* Returns the root table, or NULL with *err set to "LINE:COL: what is wrong" (VC_ERR_PARSE,
 * file/line/col filled). buf need not be NUL-terminated. */
vc_doc_node *vc_toml_parse(const char *buf, size_t len, const char *filename, vc_error **err);

/* For a caller that reads a document only to decode it (the toml-test decoder): the input
 * lives in the document's arena and the parser gives each part it has finished with back to
 * the arena, where the tree's later nodes reuse it, so that input and tree together take about
 * the tree's size rather than the sum.
 * vc_toml_input_document returns a new, empty document and sets *input to a buffer of len bytes
 * in its arena (with room for the tree behind it). Fill the buffer, then pass both to
 * vc_toml_parse_input, which behaves like vc_toml_parse on (buf, len) except that it takes
 * ownership of root (returned when the document is valid, freed otherwise) and overwrites the
 * buffer. */
vc_doc_node *vc_toml_input_document(size_t len, char **input);
vc_doc_node *vc_toml_parse_input(vc_doc_node *root, const char *buf, size_t len,
				 const char *filename, vc_error **err);

#endif
