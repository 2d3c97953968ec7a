/* SHA-512: the FIPS 180-2 (appendix C) vectors, padding boundaries, chunked updates and
 * vc_asset_verify_sha512's errors. Boundary digests were produced by coreutils sha512sum. */
#include <config.h>
#include "suites.h"
#include "util/sha512.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void expect_digest(const char *msg, size_t len, const char *want)
{
	char hex[VC_SHA512_HEX_LEN + 1];
	vc_sha512_hex(msg, len, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(test_fips_vectors)
{
	expect_digest("abc", 3,
		      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	const char *two = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	expect_digest(two, strlen(two),
		      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
	expect_digest("", 0,
		      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}
END_TEST

START_TEST(test_million_a)
{
	/* One million 'a' fed in uneven pieces, exercising the partial-block path. */
	char chunk[997];
	memset(chunk, 'a', sizeof(chunk));
	vc_sha512 s;
	vc_sha512_init(&s);
	size_t left = 1000000;
	size_t step = 1;
	while (left) {
		size_t n = step < left ? step : left;
		vc_sha512_update(&s, chunk, n);
		left -= n;
		step = (step + 37) % sizeof(chunk) + 1; /* 1..997, uneven */
	}
	uint8_t d[VC_SHA512_DIGEST_LEN];
	vc_sha512_final(&s, d);
	char hex[VC_SHA512_HEX_LEN + 1];
	for (int i = 0; i < VC_SHA512_DIGEST_LEN; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	ck_assert_str_eq(hex, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
			      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}
END_TEST

/* Lengths around the 112-byte padding limit and the 128-byte block. */
static const struct {
	size_t len;
	const char *hex;
} boundaries[] = {
    {111, "a467698069eae8ed1e0c6dbfd1b4a247a9f1e7ff4e3af62145ed26f4468bc094"
	  "610878b7644091141370a47a7638bddc95dbfe8971c34d13c4815d4bb1b3e7f2"},
    {112, "a473c93732eef627d02e86d19047a422b586110848ec17dcea13af282a152f76"
	  "54b0c711e277fd42c1d94bea8b7fed615c52bb0f849227e16240afffc7c56e29"},
    {127, "c6ce82cb15c8d7040ef3704b1cb161ae3a7f0ac430433e6d52e3f37bf561271b"
	  "fd014328660d29ee733a9f7f178671390eb0f80231603c8360246753e6406b8d"},
    {128, "217d3d9c0952c3e4907f06d4fbf34460ee852c6af591b07c2fa1c5e164558363"
	  "74c95ae33e184227913f8a2e227e3bbd5187ce57aa1bad11a80f622412eb0884"},
    {129, "18d5a20f40cd7903e625ac1e4fc10971fb3bd6cecb12a684f7600975340649ee"
	  "bccd11cc97fe9e36bbcb3ae75d6d7a0dc2e60e0022c579e87c3ee2e3ffaf65cc"},
    {239, "df67332219c555aafc7007e63cc14df8e3c1dec24902a96d559c099a66724abd"
	  "deb5788807621c703b16ad4817c99a528bce4f1344764b2f05c7650583392b89"},
    {240, "6b0d01025ae2c8179e3a1c14627b6b2559faee6c92b1338e5a2d3e4ecfc79655"
	  "929d35eb2f7179876e2aec19824a813183a77e35a3981954f2fde7bfbcd1bc1d"},
};

START_TEST(test_padding_boundaries)
{
	char msg[256];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++)
		expect_digest(msg, boundaries[i].len, boundaries[i].hex);
}
END_TEST

static char *write_temp(const char *content)
{
	char *path = xstrdup("/tmp/vcrun-sha512-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

START_TEST(test_verify)
{
	char *path = write_temp("abc");
	vc_error *err = NULL;
	const char *good = "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
			   "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F\n";
	ck_assert_int_eq(vc_asset_verify_sha512(path, good, &err), 0);
	ck_assert_ptr_null(err);

	/* one digit off: a mismatch naming the file and both prefixes */
	char bad[VC_SHA512_HEX_LEN + 1];
	vc_sha512_hex("abd", 3, bad);
	ck_assert_int_eq(vc_asset_verify_sha512(path, bad, &err), -1);
	ck_assert_int_eq(err->code, VC_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err->msg, path));
	ck_assert_ptr_nonnull(strstr(err->msg, "expected "));
	ck_assert_ptr_nonnull(strstr(err->msg, "got ddaf35a193617aba..."));
	char prefix[17];
	memcpy(prefix, bad, 16);
	prefix[16] = '\0';
	ck_assert_ptr_nonnull(strstr(err->msg, prefix));
	vc_error_free(err);
	err = NULL;

	ck_assert_int_eq(vc_asset_verify_sha512(path, "abc123", &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "must be 128 hex digits, got 6"));
	vc_error_free(err);
	err = NULL;

	char notHex[VC_SHA512_HEX_LEN + 1];
	memset(notHex, 'a', VC_SHA512_HEX_LEN);
	notHex[VC_SHA512_HEX_LEN] = '\0';
	notHex[5] = 'g';
	ck_assert_int_eq(vc_asset_verify_sha512(path, notHex, &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "not hex: 'g' at position 6"));
	vc_error_free(err);
	err = NULL;

	unlink(path);
	ck_assert_int_eq(vc_asset_verify_sha512(path, good, &err), -1);
	ck_assert_int_eq(err->code, VC_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err->msg, "cannot open"));
	ck_assert_ptr_nonnull(strstr(err->msg, path));
	vc_error_free(err);
	free(path);
}
END_TEST

Suite *sha512_suite(void)
{
	Suite *s = suite_create("sha512");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fips_vectors);
	tcase_add_test(tc, test_million_a);
	tcase_add_test(tc, test_padding_boundaries);
	tcase_add_test(tc, test_verify);
	suite_add_tcase(s, tc);
	return s;
}
