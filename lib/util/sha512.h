/* SHA-512 (FIPS 180-4), written here: vcrun links no crypto library. Used to check guest assets
 * (kernel, image, initrd, firmware) against the sha512 an annotation such as
 * io.katacontainers.config.hypervisor.kernel_hash carries, before QEMU starts. */
#ifndef VC_UTIL_SHA512_H
#define VC_UTIL_SHA512_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define VC_SHA512_DIGEST_LEN 64
#define VC_SHA512_HEX_LEN 128

typedef struct vc_sha512 {
	uint64_t h[8];
	uint64_t len_lo, len_hi; /* message length in bytes, 128 bits */
	uint8_t buf[128];
	size_t used;
} vc_sha512;

void vc_sha512_init(vc_sha512 *s);
void vc_sha512_update(vc_sha512 *s, const void *data, size_t len);
void vc_sha512_final(vc_sha512 *s, uint8_t out[VC_SHA512_DIGEST_LEN]);
/* One-shot: digest of a buffer as 128 lowercase hex digits plus NUL. */
void vc_sha512_hex(const void *data, size_t len, char out[VC_SHA512_HEX_LEN + 1]);

/* Digest of a file's contents as lowercase hex. Returns 0 or -1 with *err naming the file. */
int vc_sha512_file_hex(const char *path, char out[VC_SHA512_HEX_LEN + 1], vc_error **err);

/* Checks that the file at path has the SHA-512 given as 128 hex digits (either case, surrounding
 * blanks ignored). A malformed digest is a VC_ERR_CONFIG error; a mismatch names the file and
 * both digests' first 16 hex digits. Returns 0 or -1 with *err. */
int vc_asset_verify_sha512(const char *path, const char *hex, vc_error **err);

#endif
