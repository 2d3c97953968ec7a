/* SHA-512 from FIPS 180-4 section 6.4: 80 rounds over 1024-bit blocks, 64-bit words. */
#include <config.h>
#include "util/sha512.h"
#include "util/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* First 64 bits of the fractional parts of the cube roots of the first 80 primes. */
static const uint64_t K[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

/* First 64 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint64_t H0[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static inline uint64_t rotr(uint64_t x, unsigned n)
{
	return (x >> n) | (x << (64 - n));
}

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void store_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

static void compress(uint64_t h[8], const uint8_t block[128])
{
	uint64_t w[80];
	for (int t = 0; t < 16; t++)
		w[t] = load_be64(block + 8 * t);
	for (int t = 16; t < 80; t++) {
		uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
		uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
		w[t] = s1 + w[t - 7] + s0 + w[t - 16];
	}
	uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 80; t++) {
		uint64_t S1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41);
		uint64_t ch = (e & f) ^ (~e & g);
		uint64_t t1 = hh + S1 + ch + K[t] + w[t];
		uint64_t S0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39);
		uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint64_t t2 = S0 + maj;
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void vc_sha512_init(vc_sha512 *s)
{
	memcpy(s->h, H0, sizeof(H0));
	s->len_lo = s->len_hi = 0;
	s->used = 0;
}

void vc_sha512_update(vc_sha512 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t old = s->len_lo;
	s->len_lo += (uint64_t)len;
	if (s->len_lo < old)
		s->len_hi++;
	if (s->used) {
		size_t take = sizeof(s->buf) - s->used;
		if (take > len)
			take = len;
		memcpy(s->buf + s->used, p, take);
		s->used += take;
		p += take;
		len -= take;
		if (s->used < sizeof(s->buf))
			return;
		compress(s->h, s->buf);
		s->used = 0;
	}
	for (; len >= 128; p += 128, len -= 128)
		compress(s->h, p);
	memcpy(s->buf, p, len);
	s->used = len;
}

void vc_sha512_final(vc_sha512 *s, uint8_t out[VC_SHA512_DIGEST_LEN])
{
	/* Length in bits, 128-bit big-endian, after a 1 bit and zeros up to 112 mod 128 bytes. */
	uint64_t bits_hi = (s->len_hi << 3) | (s->len_lo >> 61);
	uint64_t bits_lo = s->len_lo << 3;
	s->buf[s->used++] = 0x80;
	if (s->used > 112) {
		memset(s->buf + s->used, 0, sizeof(s->buf) - s->used);
		compress(s->h, s->buf);
		s->used = 0;
	}
	memset(s->buf + s->used, 0, 112 - s->used);
	store_be64(s->buf + 112, bits_hi);
	store_be64(s->buf + 120, bits_lo);
	compress(s->h, s->buf);
	for (int i = 0; i < 8; i++)
		store_be64(out + 8 * i, s->h[i]);
	memset(s, 0, sizeof(*s));
}

static void to_hex(const uint8_t d[VC_SHA512_DIGEST_LEN], char out[VC_SHA512_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < VC_SHA512_DIGEST_LEN; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 0xf];
	}
	out[VC_SHA512_HEX_LEN] = '\0';
}

void vc_sha512_hex(const void *data, size_t len, char out[VC_SHA512_HEX_LEN + 1])
{
	vc_sha512 s;
	uint8_t d[VC_SHA512_DIGEST_LEN];
	vc_sha512_init(&s);
	vc_sha512_update(&s, data, len);
	vc_sha512_final(&s, d);
	to_hex(d, out);
}

int vc_sha512_file_hex(const char *path, char out[VC_SHA512_HEX_LEN + 1], vc_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return vc_error_set_errno(err, errno, "cannot open '%s'", path);
	vc_sha512 s;
	vc_sha512_init(&s);
	uint8_t buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vc_error_set_errno(err, errno, "cannot read '%s'", path);
		if (n == 0)
			break;
		vc_sha512_update(&s, buf, (size_t)n);
	}
	uint8_t d[VC_SHA512_DIGEST_LEN];
	vc_sha512_final(&s, d);
	to_hex(d, out);
	return 0;
}

int vc_asset_verify_sha512(const char *path, const char *hex, vc_error **err)
{
	if (!hex)
		hex = "";
	while (isspace((unsigned char)*hex))
		hex++;
	size_t n = strlen(hex);
	while (n > 0 && isspace((unsigned char)hex[n - 1]))
		n--;
	char want[VC_SHA512_HEX_LEN + 1];
	if (n != VC_SHA512_HEX_LEN)
		return vc_error_set(err, VC_ERR_CONFIG,
				    "sha512 for '%s' must be %d hex digits, got %zu", path,
				    VC_SHA512_HEX_LEN, n);
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)hex[i]))
			return vc_error_set(err, VC_ERR_CONFIG,
					    "sha512 for '%s' is not hex: '%c' at position %zu",
					    path, hex[i], i + 1);
		want[i] = (char)tolower((unsigned char)hex[i]);
	}
	want[n] = '\0';
	char got[VC_SHA512_HEX_LEN + 1];
	if (vc_sha512_file_hex(path, got, err) < 0)
		return vc_error_wrap(err, "cannot verify the sha512 of an asset");
	if (strcmp(want, got) != 0)
		return vc_error_set(err, VC_ERR_CONFIG,
				    "sha512 mismatch for '%s': expected %.16s..., got %.16s...",
				    path, want, got);
	return 0;
}
