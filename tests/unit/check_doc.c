#include <config.h>
#include "suites.h"
#include "config/doc.h"
#include "config/toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

START_TEST(test_table_order_and_lookup)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_table_set(t, "b", 1, 1, 1, vc_doc_new_integer(2, 1, 5));
	vc_doc_table_set(t, "a", 1, 2, 1, vc_doc_new_bool(true, 2, 5));
	ck_assert_str_eq(vc_doc_table_entries(t)[0].key, "b");
	ck_assert_str_eq(vc_doc_table_entries(t)[1].key, "a");
	ck_assert_int_eq(vc_doc_table_get(t, "b")->u.integer, 2);
	ck_assert_ptr_null(vc_doc_table_get(t, "c"));
	const vc_doc_entry *e = vc_doc_table_entry(t, "a", 1);
	ck_assert_int_eq(e->line, 2);
	ck_assert_int_eq(e->value->col, 5);
}
END_TEST

START_TEST(test_large_table_indexed)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_ptr_null(vc_doc_table_get(t, key));
		vc_doc_table_set(t, key, strlen(key), i + 1, 1, vc_doc_new_integer(i, i + 1, 5));
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert_int_eq(vc_doc_table_get(t, key)->u.integer, i);
	}
	ck_assert(vc_doc_table_remove(t, "k10"));
	ck_assert_ptr_null(vc_doc_table_get(t, "k10"));
	ck_assert_int_eq(vc_doc_table_get(t, "k11")->u.integer, 11);
	ck_assert_uint_eq(vc_doc_table_len(t), 4999);
}
END_TEST

START_TEST(test_keys_with_nul)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_table_set(t, "a\0b", 3, 1, 1, vc_doc_new_integer(1, 1, 1));
	ck_assert_ptr_null(vc_doc_table_get(t, "a"));
	ck_assert_ptr_nonnull(vc_doc_table_getn(t, "a\0b", 3));
}
END_TEST

START_TEST(test_clone_and_replace)
{
	cleanup_doc vc_doc_node *t = vc_doc_new(VC_DOC_TABLE, 1, 1);
	vc_doc_node *arr = vc_doc_new(VC_DOC_ARRAY, 1, 5);
	vc_doc_array_push(arr, vc_doc_new_string("x", 1, 1, 6));
	vc_doc_table_set(t, "list", 4, 1, 1, arr);
	cleanup_doc vc_doc_node *c = vc_doc_clone(t);
	vc_doc_table_replace(t, "list", 9, 1, vc_doc_new_float(1.5, 9, 8));
	ck_assert_int_eq(vc_doc_table_get(t, "list")->type, VC_DOC_FLOAT);
	vc_doc_node *cl = vc_doc_table_get(c, "list");
	ck_assert_int_eq(cl->type, VC_DOC_ARRAY);
	ck_assert_str_eq(vc_doc_str(vc_doc_array_items(cl)[0]), "x");
	ck_assert_str_eq(vc_doc_type_name(VC_DOC_BOOL), "boolean");
}
END_TEST

/* ---- arena documents ------------------------------------------------------------------------ */

START_TEST(test_arena_node_size)
{
	/* The decoder's memory use rests on this (lengths and capacities live in front of the
	 * data, date-times out of line). */
	if (sizeof(void *) == 8) {
		ck_assert_uint_eq(sizeof(vc_doc_node), 16);
		ck_assert_uint_eq(sizeof(vc_doc_entry), 24);
	}
	ck_assert_uint_eq(sizeof(vc_doc_datetime), 16);
}
END_TEST

START_TEST(test_column_limit)
{
	/* Node columns are 20 bits wide: beyond, they read as VC_DOC_COL_MAX. Lines are full ints.
	 */
	cleanup_doc vc_doc_node *a = vc_doc_new(VC_DOC_INTEGER, INT_MAX, VC_DOC_COL_MAX);
	ck_assert_int_eq(a->line, INT_MAX);
	ck_assert_int_eq(a->col, VC_DOC_COL_MAX);
	cleanup_doc vc_doc_node *b = vc_doc_new_integer(7, 2, VC_DOC_COL_MAX + 1);
	ck_assert_int_eq(b->col, VC_DOC_COL_MAX);
	ck_assert_int_eq(b->type, VC_DOC_INTEGER);
	cleanup_doc vc_doc_node *c = vc_doc_new_bool(true, 3, INT_MAX);
	ck_assert_int_eq(c->col, VC_DOC_COL_MAX);
	vc_doc_set_pos(c, 4, -5);
	ck_assert_int_eq(c->line, 4);
	ck_assert_int_eq(c->col, 0);
	/* The other fields sharing the word are untouched by a saturated column. */
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	vc_doc_node *s = vc_doc_arena_string(root, "v", 1, 9, VC_DOC_COL_MAX + 1000);
	s->flags |= 0xf;
	ck_assert_int_eq(s->type, VC_DOC_STRING);
	ck_assert_int_eq(s->col, VC_DOC_COL_MAX);
	ck_assert_uint_eq(s->flags & ~VC_DOC_FLAGS_INTERNAL, 0xf);
	/* Entries keep full-width columns. */
	vc_doc_entry *e = vc_doc_table_set(root, "k", 1, 9, VC_DOC_COL_MAX + 1000, s);
	ck_assert_int_eq(e->col, VC_DOC_COL_MAX + 1000);
	cleanup_doc vc_doc_node *cl = vc_doc_clone(root);
	ck_assert_int_eq(vc_doc_table_get(cl, "k")->col, VC_DOC_COL_MAX);
	ck_assert_int_eq(vc_doc_table_entry(cl, "k", 1)->col, VC_DOC_COL_MAX + 1000);
}
END_TEST

/* root = { name = "x\0y", shared = { k = 1 }, other = { k = 2 }, list = [ 1, "malloc'd" ] } with
 * the key "k" shared by two tables, as the decoder's interned keys are. */
static vc_doc_node *build_arena_doc(void)
{
	vc_doc_node *root = vc_doc_new_document(1, 1);
	ck_assert_uint_eq(root->type, VC_DOC_TABLE);
	vc_doc_node *s = vc_doc_arena_string(root, "x\0y", 3, 1, 8);
	ck_assert_uint_eq(vc_doc_str_len(s), 3);
	ck_assert_int_eq(memcmp(vc_doc_str(s), "x\0y", 4), 0);
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "name", 4), 4, 1, 1, s);
	char *k = vc_doc_arena_strndup(root, "k", 1);
	const char *names[] = {"shared", "other"};
	for (int i = 0; i < 2; i++) {
		vc_doc_node *t = vc_doc_arena_node(root, VC_DOC_TABLE, 2 + i, 1);
		t->flags |= 0x5; /* a producer's bits */
		vc_doc_node *v = vc_doc_arena_node(root, VC_DOC_INTEGER, 2 + i, 5);
		v->u.integer = i + 1;
		vc_doc_table_set_arena_key(t, k, 1, 2 + i, 1, v);
		char *name = vc_doc_arena_strndup(root, names[i], strlen(names[i]));
		vc_doc_table_set_arena_key(root, name, strlen(name), 2 + i, 1, t);
	}
	vc_doc_node *list = vc_doc_arena_node(root, VC_DOC_ARRAY, 4, 8);
	vc_doc_node *one = vc_doc_arena_node(root, VC_DOC_INTEGER, 4, 9);
	one->u.integer = 1;
	vc_doc_array_push(list, one);
	vc_doc_array_push(list, vc_doc_new_string("malloc'd", 8, 4, 12));
	vc_doc_shrink(list);
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "list", 4), 4, 4, 1, list);
	vc_doc_shrink(root);
	return root;
}

START_TEST(test_arena_build_and_free)
{
	cleanup_doc vc_doc_node *root = build_arena_doc();
	ck_assert_uint_eq(vc_doc_table_len(root), 4);
	ck_assert_int_eq(vc_doc_table_get(vc_doc_table_get(root, "other"), "k")->u.integer, 2);
	ck_assert_str_eq(vc_doc_str(vc_doc_array_items(vc_doc_table_get(root, "list"))[1]),
			 "malloc'd");
	/* Growing an arena table after it was shrunk. */
	for (int i = 0; i < 40; i++) {
		char key[16];
		snprintf(key, sizeof(key), "n%d", i);
		vc_doc_node *v = vc_doc_arena_node(root, VC_DOC_BOOL, 9, 9);
		vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, key, strlen(key)),
					   strlen(key), 9, 1, v);
	}
	ck_assert_ptr_nonnull(vc_doc_table_get(root, "n39")); /* through the hash index */
	ck_assert_ptr_nonnull(vc_doc_table_get(root, "shared"));
	/* cleanup_doc frees the root: the arena and the malloc'd string go (ASan/valgrind). */
}
END_TEST

START_TEST(test_arena_free_subtrees)
{
	cleanup_doc vc_doc_node *root = build_arena_doc();
	/* Removing an arena subtree holding a malloc'd node frees that node now. */
	ck_assert(vc_doc_table_remove(root, "list"));
	ck_assert_ptr_null(vc_doc_table_get(root, "list"));
	/* Replacing an arena value with a malloc'd one, then that one with another. */
	vc_doc_table_replace(root, "other", 7, 1, vc_doc_new_string("new", 3, 7, 9));
	ck_assert_str_eq(vc_doc_str(vc_doc_table_get(root, "other")), "new");
	vc_doc_table_replace(root, "other", 8, 1, vc_doc_new_integer(8, 8, 9));
	ck_assert_int_eq(vc_doc_table_get(root, "other")->u.integer, 8);
	/* Freeing an arena node on its own (e.g. a producer dropping a value) is harmless. */
	vc_doc_node *shared = vc_doc_table_get(root, "shared");
	vc_doc_node *k = vc_doc_table_get(shared, "k");
	ck_assert(vc_doc_table_remove(shared, "k"));
	ck_assert_uint_eq(vc_doc_table_len(shared), 0);
	(void)k;
	vc_doc_node *orphan = vc_doc_arena_node(root, VC_DOC_ARRAY, 1, 1);
	vc_doc_array_push(orphan, vc_doc_new_bool(true, 1, 2));
	vc_doc_free(orphan); /* frees the malloc'd item and the items storage, not the node */
	ck_assert_uint_eq(vc_doc_array_len(orphan), 0);
}
END_TEST

START_TEST(test_arena_set_mixes_keys)
{
	cleanup_doc vc_doc_node *root = build_arena_doc();
	vc_doc_node *shared = vc_doc_table_get(root, "shared");
	vc_doc_node *other = vc_doc_table_get(root, "other");
	ck_assert_ptr_eq(vc_doc_table_entries(shared)[0].key, vc_doc_table_entries(other)[0].key);
	/* An ordinary set into a decoded table: its keys become its own, the shared one stays
	 * in the other table. */
	vc_doc_table_set(shared, "m", 1, 5, 1, vc_doc_new_integer(5, 5, 5));
	ck_assert_ptr_ne(vc_doc_table_entries(shared)[0].key, vc_doc_table_entries(other)[0].key);
	ck_assert_str_eq(vc_doc_table_entries(shared)[0].key, "k");
	ck_assert_int_eq(vc_doc_table_get(shared, "m")->u.integer, 5);
	/* An arena key given to such a table now is copied like any other. */
	vc_doc_table_set_arena_key(shared, vc_doc_arena_strndup(root, "z", 1), 1, 6, 1,
				   vc_doc_new_integer(6, 6, 5));
	ck_assert(vc_doc_table_remove(shared, "k"));
	ck_assert(vc_doc_table_remove(shared, "z"));
	ck_assert_str_eq(vc_doc_table_entries(other)[0].key, "k");
	ck_assert(vc_doc_table_remove(root, "name"));
}
END_TEST

START_TEST(test_arena_clone_outlives_root)
{
	vc_doc_node *root = build_arena_doc();
	cleanup_doc vc_doc_node *c = vc_doc_clone(vc_doc_table_get(root, "shared"));
	cleanup_doc vc_doc_node *all = vc_doc_clone(root);
	vc_doc_free(root);
	ck_assert_uint_eq(c->flags & VC_DOC_FLAGS_INTERNAL, 0);
	ck_assert_uint_eq(c->flags, 0x5);
	ck_assert_int_eq(vc_doc_table_get(c, "k")->u.integer, 1);
	ck_assert_int_eq(memcmp(vc_doc_str(vc_doc_table_get(all, "name")), "x\0y", 4), 0);
	/* A clone is an ordinary tree: freeing a piece of it frees it. */
	ck_assert(vc_doc_table_remove(all, "list"));
	vc_doc_table_replace(c, "k", 1, 1, vc_doc_new_integer(3, 1, 1));
}
END_TEST

START_TEST(test_decoded_document_is_editable)
{
	static const char src[] = "a = 1\n[t]\nx = [1, {y = 'z'}]\n[[aot]]\nq = 1\n[[aot]]\n";
	cleanup_error vc_error *err = NULL;
	cleanup_doc vc_doc_node *root = vc_toml_parse(src, sizeof(src) - 1, "t.toml", &err);
	ck_assert_ptr_nonnull(root);
	vc_doc_node *t = vc_doc_table_get(root, "t");
	vc_doc_node *x = vc_doc_table_get(t, "x");
	vc_doc_array_push(x, vc_doc_new_string("pushed", 6, 9, 9));
	ck_assert_uint_eq(vc_doc_array_len(x), 3);
	vc_doc_table_set(vc_doc_array_items(vc_doc_table_get(root, "aot"))[1], "r", 1, 9, 9,
			 vc_doc_new_bool(false, 9, 9));
	vc_doc_table_replace(root, "a", 9, 9, vc_doc_clone(t));
	ck_assert(vc_doc_table_remove(root, "t"));
	ck_assert_ptr_null(vc_doc_table_get(root, "t"));
	vc_doc_node *a = vc_doc_table_get(root, "a");
	ck_assert_str_eq(vc_doc_str(vc_doc_array_items(vc_doc_table_get(a, "x"))[2]), "pushed");
	ck_assert_str_eq(
	    vc_doc_str(vc_doc_table_get(vc_doc_array_items(vc_doc_table_get(a, "x"))[1], "y")),
	    "z");
}
END_TEST

START_TEST(test_arena_reserve_and_large_document)
{
	/* Small and large (huge-page) reservations, then allocations on both sides of them. */
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	vc_doc_arena_reserve(root, 1000);
	char *z = vc_doc_arena_alloc(root, 64);
	for (int i = 0; i < 64; i++)
		ck_assert_int_eq(z[i], 0);
	vc_doc_arena_reserve(root, (size_t)3 << 20);
	vc_doc_node *big = vc_doc_arena_string(root, "", 0, 1, 1);
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "big", 3), 3, 1, 1, big);
	vc_doc_node *huge = vc_doc_arena_node(root, VC_DOC_ARRAY, 1, 1);
	ck_assert_uint_eq(vc_doc_array_len(huge), 0);
	ck_assert_ptr_null(vc_doc_array_items(huge));
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "arr", 3), 3, 1, 1, huge);
	vc_doc_array_push(huge, vc_doc_new_integer(1, 1, 1)); /* malloc'd, held by the arena */

	/* A decoded document above the decoder's reservation threshold (256 KiB): its tables'
	 * storage is referenced from the huge-page block; freeing it all must leave nothing. */
	size_t cap = (size_t)400 << 10, n = 0;
	char *src = malloc(cap);
	ck_assert_ptr_nonnull(src);
	for (int i = 0; n + 128 < cap; i++)
		n += (size_t)snprintf(src + n, cap - n,
				      "[[t]]\nname = \"n%d\"\nv = [%d, 'x']\nin = { a.b = %d }\n",
				      i, i, i);
	cleanup_error vc_error *err = NULL;
	vc_doc_node *doc = vc_toml_parse(src, n, "big.toml", &err);
	free(src);
	ck_assert_ptr_nonnull(doc);
	vc_doc_node *t = vc_doc_table_get(doc, "t");
	ck_assert_uint_gt(vc_doc_array_len(t), 5000);
	vc_doc_node *last = vc_doc_array_items(t)[vc_doc_array_len(t) - 1];
	vc_doc_table_set(last, "extra", 5, 1, 1, vc_doc_new_bool(true, 1, 1));
	ck_assert(vc_doc_table_remove(vc_doc_array_items(t)[0], "v"));
	vc_doc_free(doc);
}
END_TEST

/* A reservation of several MiB is handed out from its first 2 MiB (huge pages), its second
 * (4 KiB pages, handed out in steps) and the rest (huge pages again): allocations of every size
 * across those boundaries are distinct, zeroed and keep what was written. */
START_TEST(test_arena_reservation_regions)
{
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	vc_doc_arena_reserve(root, (size_t)5 << 20);
	enum { N = 2600 };
	static unsigned char *blocks[N];
	static size_t sizes[N];
	size_t total = 0;
	for (size_t i = 0; i < N; i++) {
		/* 8 bytes to 5 KiB, and now and then more than a populate step (64 KiB). */
		sizes[i] = i % 97 == 0 ? (size_t)70 << 10 : 8 + (i * 2654435761u) % 5000;
		blocks[i] = vc_doc_arena_alloc(root, sizes[i]);
		unsigned char any = 0;
		for (size_t k = 0; k < sizes[i]; k++)
			any |= blocks[i][k];
		ck_assert_int_eq(any, 0);
		memset(blocks[i], (int)(i % 251) + 1, sizes[i]);
		total += sizes[i];
	}
	ck_assert_uint_gt(total, (size_t)5 << 20);
	ck_assert_uint_ge(vc_doc_arena_used(root), total);
	for (size_t i = 0; i < N; i++) {
		ck_assert_int_eq(blocks[i][0], (int)(i % 251) + 1);
		ck_assert_int_eq(blocks[i][sizes[i] - 1], (int)(i % 251) + 1);
	}
	/* Nodes and strings after all that are as usable as the first ones. */
	vc_doc_node *s = vc_doc_arena_string(root, "tail", 4, 9, 9);
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "s", 1), 1, 9, 1, s);
	ck_assert_str_eq(vc_doc_str(vc_doc_table_get(root, "s")), "tail");
}
END_TEST

START_TEST(test_arena_grown_vectors)
{
	/* Tables and arrays grown in the arena: blocks they outgrow or leave when compacted are
	 * reused by the next ones, and each keeps its items and order throughout. */
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	char *k[40];
	for (int i = 0; i < 40; i++) {
		char name[8];
		snprintf(name, sizeof(name), "k%d", i);
		k[i] = vc_doc_arena_strndup(root, name, strlen(name));
	}
	vc_doc_node *t[3], *a[3];
	for (int j = 0; j < 3; j++) {
		t[j] = vc_doc_arena_node(root, VC_DOC_TABLE, j + 1, 1);
		a[j] = vc_doc_arena_node(root, VC_DOC_ARRAY, j + 1, 1);
		int n = j == 1 ? 40 : 7; /* the second goes past the hash index threshold */
		for (int i = 0; i < n; i++) {
			vc_doc_node *v = vc_doc_arena_node(root, VC_DOC_INTEGER, j + 1, i + 1);
			v->u.integer = j * 100 + i;
			vc_doc_arena_table_set(root, t[j], k[i], strlen(k[i]), j + 1, i + 1, v);
			vc_doc_arena_array_push(root, a[j], v);
		}
		vc_doc_compact(root, t[j]);
		vc_doc_compact(root, a[j]);
		vc_doc_arena_table_set(root, root, k[j], strlen(k[j]), j + 1, 1, t[j]);
		vc_doc_arena_table_set(root, root, k[10 + j], strlen(k[10 + j]), j + 1, 1, a[j]);
	}
	/* The first table's 8-entry block went back when it was compacted; the third reused it. */
	ck_assert_uint_eq(vc_doc_table_len(t[0]), 7);
	ck_assert_uint_eq(vc_doc_table_len(t[1]), 40);
	for (int j = 0; j < 3; j++)
		for (size_t i = 0; i < vc_doc_table_len(t[j]); i++) {
			ck_assert_str_eq(vc_doc_table_entries(t[j])[i].key, k[i]);
			ck_assert_int_eq(vc_doc_table_entries(t[j])[i].value->u.integer,
					 j * 100 + (int)i);
			ck_assert_int_eq(vc_doc_table_get(t[j], k[i])->u.integer, j * 100 + (int)i);
			ck_assert_ptr_eq(vc_doc_array_items(a[j])[i],
					 vc_doc_table_entries(t[j])[i].value);
		}
	ck_assert_ptr_null(vc_doc_table_get(t[0], "k7"));
	/* Reopened after compaction: the arena path grows it again, the ordinary one moves it
	 * to malloc; both keep what was there. */
	vc_doc_node *v = vc_doc_arena_node(root, VC_DOC_BOOL, 9, 9);
	vc_doc_arena_table_set(root, t[0], k[20], 3, 9, 9, v);
	vc_doc_table_set(t[2], "extra", 5, 9, 9, vc_doc_new_bool(true, 9, 9));
	vc_doc_array_push(a[2], vc_doc_new_integer(-1, 9, 9));
	vc_doc_arena_array_push(root, a[2], vc_doc_arena_node(root, VC_DOC_BOOL, 9, 9));
	ck_assert_ptr_eq(vc_doc_table_get(t[0], "k20"), v);
	ck_assert_int_eq(vc_doc_table_get(t[0], "k6")->u.integer, 6);
	ck_assert_int_eq(vc_doc_table_get(t[2], "k6")->u.integer, 206);
	ck_assert_uint_eq(vc_doc_array_len(a[2]), 9);
	ck_assert_int_eq(vc_doc_array_items(a[2])[7]->u.integer, -1);
	ck_assert_int_eq(vc_doc_array_items(a[2])[6]->u.integer, 206);
}
END_TEST

/* The lengths stored in front of strings and keys (doc.h's layout). */
START_TEST(test_length_prefixes)
{
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	/* Strings with NUL, empty ones, and lengths of every alignment: malloc'd, arena, clone. */
	char bytes[40];
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = i % 3 ? (char)('a' + i) : 0;
	for (size_t len = 0; len < sizeof(bytes); len++) {
		vc_doc_node *m = vc_doc_new_string(bytes, len, 1, 1);
		vc_doc_node *a = vc_doc_arena_string(root, bytes, len, 1, 1);
		vc_doc_node *c = vc_doc_clone(a);
		const vc_doc_node *all[] = {m, a, c};
		for (size_t k = 0; k < 3; k++) {
			ck_assert_uint_eq(vc_doc_str_len(all[k]), len);
			ck_assert_int_eq(memcmp(vc_doc_str(all[k]), bytes, len), 0);
			ck_assert_int_eq(vc_doc_str(all[k])[len], 0);
		}
		char *key = vc_doc_arena_strndup(root, bytes, len);
		vc_doc_table_set_arena_key(root, key, len, 1, 1, c);
		vc_doc_free(m);
		ck_assert_uint_eq(vc_doc_entry_key_len(&vc_doc_table_entries(root)[len]), len);
		ck_assert_ptr_eq(vc_doc_table_getn(root, bytes, len), c);
		vc_doc_free(a);
	}
	/* A string node made empty by vc_doc_new reads as "". */
	cleanup_doc vc_doc_node *e = vc_doc_new(VC_DOC_STRING, 1, 1);
	ck_assert_str_eq(vc_doc_str(e), "");
	ck_assert_uint_eq(vc_doc_str_len(e), 0);
	/* Lengths from 4 GiB up: UINT32_MAX in the 32-bit prefix, the length in 64 bits before. */
	union {
		uint64_t align;
		char b[24];
	} big = {0};
	uint64_t n64 = (uint64_t)UINT32_MAX + 5;
	uint32_t mark = UINT32_MAX, small = UINT32_MAX - 1;
	memcpy(big.b, &n64, 8);
	memcpy(big.b + 8, &mark, 4);
	if (sizeof(size_t) == 8)
		ck_assert_uint_eq(vc_doc_prefixed_len_(big.b + 12), (size_t)n64);
	memcpy(big.b + 8, &small, 4);
	ck_assert_uint_eq(vc_doc_prefixed_len_(big.b + 12), UINT32_MAX - 1);
}
END_TEST

/* Lengths of tables and arrays live in their vectors' headers: empty ones have none, and a
 * vector moved to the arena at its exact size (vc_doc_compact) grows again (back in malloc),
 * past the hash index's threshold, with every lookup still right. */
START_TEST(test_vector_headers)
{
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	vc_doc_node *t = vc_doc_arena_node(root, VC_DOC_TABLE, 2, 1);
	vc_doc_node *a = vc_doc_arena_node(root, VC_DOC_ARRAY, 3, 1);
	ck_assert_uint_eq(vc_doc_table_len(t), 0);
	ck_assert_ptr_null(vc_doc_table_entries(t));
	ck_assert_uint_eq(vc_doc_array_len(a), 0);
	ck_assert_ptr_null(vc_doc_array_items(a));
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "t", 1), 1, 2, 1, t);
	vc_doc_table_set_arena_key(root, vc_doc_arena_strndup(root, "a", 1), 1, 3, 1, a);
	char name[16];
	char *keys[100];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "key%d", i);
		keys[i] = vc_doc_arena_strndup(root, name, strlen(name));
	}
	for (int i = 0; i < 10; i++) {
		vc_doc_arena_table_set(root, t, keys[i], strlen(keys[i]), 10 + i, 1,
				       vc_doc_arena_node(root, VC_DOC_INTEGER, 10 + i, 7));
		vc_doc_arena_array_push(root, a, vc_doc_new_integer(i, 20 + i, 1));
	}
	vc_doc_compact(root, t);
	vc_doc_compact(root, a);
	ck_assert_uint_eq(vc_doc_table_len(t), 10);
	ck_assert_uint_eq(vc_doc_array_len(a), 10);
	/* Past INDEX_THRESHOLD (24) through both kinds of set, then compacted again. */
	for (int i = 10; i < 100; i++) {
		if (i % 2)
			vc_doc_arena_table_set(root, t, keys[i], strlen(keys[i]), 10 + i, 1,
					       vc_doc_new_integer(i, 10 + i, 7));
		else
			vc_doc_table_set(t, keys[i], strlen(keys[i]), 10 + i, 1,
					 vc_doc_new_integer(i, 10 + i, 7));
		vc_doc_array_push(a, vc_doc_new_integer(i, 20 + i, 1));
		if (i == 50) {
			vc_doc_compact(root, t);
			vc_doc_compact(root, a);
		}
	}
	ck_assert_uint_eq(vc_doc_table_len(t), 100);
	ck_assert_uint_eq(vc_doc_array_len(a), 100);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "key%d", i);
		const vc_doc_entry *e = vc_doc_table_entry(t, name, strlen(name));
		ck_assert_ptr_nonnull(e);
		ck_assert_ptr_eq(e, &vc_doc_table_entries(t)[i]);
		ck_assert_int_eq(e->line, 10 + i);
		ck_assert_uint_eq(vc_doc_entry_key_len(e), strlen(name));
		ck_assert_int_eq(vc_doc_array_items(a)[i]->line, 20 + i);
	}
	ck_assert(vc_doc_table_remove(t, "key0"));
	ck_assert_uint_eq(vc_doc_table_len(t), 99);
	ck_assert_ptr_null(vc_doc_table_get(t, "key0"));
	ck_assert_int_eq(vc_doc_table_get(t, "key99")->line, 10 + 99);
	vc_doc_shrink(t);
	vc_doc_shrink(a);
	cleanup_doc vc_doc_node *c = vc_doc_clone(root);
	ck_assert_uint_eq(vc_doc_table_len(vc_doc_table_get(c, "t")), 99);
	ck_assert_uint_eq(vc_doc_array_len(vc_doc_table_get(c, "a")), 100);
}
END_TEST

/* Date-times live in the node (from its payload on, 24 bytes): zeroed, copied by clone. */
START_TEST(test_datetime_out_of_line)
{
	const vc_doc_type types[] = {VC_DOC_DATETIME, VC_DOC_DATETIME_LOCAL, VC_DOC_DATE_LOCAL,
				     VC_DOC_TIME_LOCAL};
	cleanup_doc vc_doc_node *root = vc_doc_new_document(1, 1);
	for (size_t i = 0; i < 4; i++) {
		cleanup_doc vc_doc_node *m = vc_doc_new(types[i], 1, 2);
		vc_doc_node *a = vc_doc_arena_node(root, types[i], 3, 4);
		ck_assert_ptr_nonnull(vc_doc_dt(m));
		ck_assert_ptr_nonnull(vc_doc_dt(a));
		ck_assert_int_eq(vc_doc_dt(m)->year, 0);
		ck_assert_int_eq(vc_doc_dt(a)->nanosecond, 0);
		vc_doc_dt_mut(a)->year = 1979;
		vc_doc_dt_mut(a)->nanosecond = 999999999;
		vc_doc_dt_mut(a)->offset_minutes = -480;
		vc_doc_dt_mut(a)->offset_z = true;
		/* The value does not disturb the node's own fields. */
		ck_assert_int_eq(a->type, types[i]);
		ck_assert_int_eq(a->line, 3);
		ck_assert_int_eq(a->col, 4);
		cleanup_doc vc_doc_node *c = vc_doc_clone(a);
		ck_assert_ptr_ne(vc_doc_dt(c), vc_doc_dt(a));
		ck_assert_int_eq(memcmp(vc_doc_dt(c), vc_doc_dt(a), sizeof(vc_doc_datetime)), 0);
		ck_assert_int_eq(c->type, types[i]);
		vc_doc_table_set(root, vc_doc_type_name(types[i]),
				 strlen(vc_doc_type_name(types[i])), 3, 1, a);
	}
	ck_assert_int_eq(vc_doc_dt(vc_doc_table_get(root, "datetime"))->year, 1979);
}
END_TEST

Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table_order_and_lookup);
	tcase_add_test(tc, test_large_table_indexed);
	tcase_add_test(tc, test_keys_with_nul);
	tcase_add_test(tc, test_clone_and_replace);
	tcase_add_test(tc, test_arena_node_size);
	tcase_add_test(tc, test_column_limit);
	tcase_add_test(tc, test_arena_build_and_free);
	tcase_add_test(tc, test_arena_free_subtrees);
	tcase_add_test(tc, test_arena_set_mixes_keys);
	tcase_add_test(tc, test_arena_clone_outlives_root);
	tcase_add_test(tc, test_decoded_document_is_editable);
	tcase_add_test(tc, test_arena_reserve_and_large_document);
	tcase_add_test(tc, test_arena_reservation_regions);
	tcase_add_test(tc, test_arena_grown_vectors);
	tcase_add_test(tc, test_length_prefixes);
	tcase_add_test(tc, test_vector_headers);
	tcase_add_test(tc, test_datetime_out_of_line);
	suite_add_tcase(s, tc);
	return s;
}
