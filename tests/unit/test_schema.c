/*
 * test_schema.c — the facts schema loader (facts.schema's line format,
 * errors with their line), schema_validate over facts documents, and the
 * Markdown generated from the schema and a policy (policy_doc.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/policy_doc.h"
#include "agent/schema.h"
#include "lib/file.h"

static void
test_embedded(void **state)
{
	const struct schema *s = schema_embedded();
	const struct schema_field *f;
	struct schema *src;
	char *text, err[512];
	size_t len, i;

	(void)state;
	assert_ptr_equal(s, schema_embedded());	/* parsed once */
	assert_true(s->nfields > 200);
	f = schema_lookup(s, "accounts.users.name");
	assert_non_null(f);
	assert_int_equal(f->type, FT_STRING);
	assert_true(f->key);
	assert_string_equal(f->doc_vi, "Tên tài khoản");
	assert_string_equal(f->doc_en, "Account name");
	f = schema_lookup(s, "firewall.active");
	assert_true(f->live && f->root && !f->key);
	assert_int_equal(schema_lookup(s, "ssh.ports")->type, FT_LIST_INT);
	assert_int_equal(schema_lookup(s, "os.id_like")->type, FT_LIST_STRING);
	assert_int_equal(schema_lookup(s, "accounts")->type, FT_OBJECT);
	assert_int_equal(schema_lookup(s, "accounts.users")->type, FT_LIST);
	assert_null(schema_lookup(s, "accounts.users[].name"));
	assert_null(schema_lookup(s, "nope"));
	assert_string_equal(schema_key(s, "accounts.users"), "name");
	assert_string_equal(schema_key(s, "sockets.listening"), "port");
	assert_null(schema_key(s, "ssh"));
	assert_string_equal(ftype_name(FT_LIST_STRING), "list:string");
	/* the source file is the embedded one */
	assert_int_equal(file_read_path(testutil_source(
	    "src/agent/facts.schema"), FILE_MAX_SMALL, &text, &len), 0);
	src = schema_parse(text, len, "facts.schema", err, sizeof(err));
	assert_non_null(src);
	assert_int_equal(src->nfields, s->nfields);
	for (i = 0; i < s->nfields; i++)
		assert_string_equal(src->fields[i].path, s->fields[i].path);
	schema_free(src);
	free(text);
}

static void
refuse(const char *text, const char *want)
{
	char err[512];
	struct schema *s = schema_parse(text, strlen(text), "t.schema", err,
	    sizeof(err));

	if (s != NULL || strstr(err, want) == NULL)
		fprintf(stderr, "%s => %s\n", text, s ? "accepted" : err);
	assert_null(s);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, " — "));
}

static void
test_parse_errors(void **state)
{
	struct schema *s;
	char err[512];
	const char *good = "# c\n\na object A | B\na.b int [key] x | y\n";

	(void)state;
	refuse("", "t.schema:0: lược đồ rỗng — empty schema");
	refuse("a object A | B\na.b integer x | y\n", "t.schema:2: kiểu không "
	    "hợp lệ");
	refuse("a object A | B\na.b int [kee] x | y\n", "t.schema:2: cờ không "
	    "hợp lệ");
	refuse("a object A | B\na.b int [key x | y\n", "t.schema:2:");
	refuse("a object A | B\na.b int x y\n", "t.schema:2: thiếu mô tả");
	refuse("a object A | B\na.b int x | \n", "t.schema:2: mô tả");
	refuse("a object A | B\nb.c int x | y\n", "t.schema:2: thông tin cha");
	refuse("a object A | B\na int x | y\n", "t.schema:2: thông tin đã "
	    "khai báo");
	refuse("a list A | B\na.b int x | y\n", "written \"list[].field\"");
	refuse("a object A | B\na[].b int x | y\n", "written \"list[].field\"");
	refuse("a list A | B\na[].b int [key] x | y\na[].c int [key] x | y\n",
	    "t.schema:3: cờ key");
	refuse("a object A | B\n  a.b int x | y\n", "t.schema:2: dòng không "
	    "được thụt lề");
	refuse("A object A | B\n", "t.schema:1: đường dẫn chỉ gồm");
	refuse("a..b object A | B\n", "empty segment");
	refuse("a object A | B\n\xff int x | y\n", "UTF-8");
	/* bad flag placement: a key on a top-level fact */
	refuse("a int [key] A | B\n", "t.schema:1:");
	s = schema_parse(good, strlen(good), "t.schema", err, sizeof(err));
	assert_null(s);	/* key outside a list */
	good = "a list A | B\na[].b int [key,live] x | y\n";
	s = schema_parse(good, strlen(good), "t.schema", err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(s->nfields, 2);
	assert_int_equal(s->fields[1].line, 2);
	assert_true(s->fields[1].key && s->fields[1].live);
	assert_string_equal(schema_key(s, "a"), "b");
	schema_free(s);
}

static void
test_validate(void **state)
{
	const struct schema *s = schema_embedded();
	json_t *facts, *problems = json_array();
	size_t n;

	(void)state;
	facts = json_loads("{\"schema\":1,\"ssh\":{\"installed\":true,"
	    "\"ports\":[22],\"ciphers\":[\"aes128-ctr\"]},\"accounts\":"
	    "{\"users\":[{\"name\":\"root\",\"uid\":0}]}}", 0, NULL);
	assert_int_equal(schema_validate(s, facts, problems), 0);
	json_decref(facts);
	facts = json_loads("{\"ssh\":{\"installed\":\"yes\",\"ports\":[\"22\"],"
	    "\"nope\":1},\"accounts\":{\"users\":[{\"name\":\"root\","
	    "\"uid\":\"0\",\"extra\":true}, 3]},\"zzz\":{}}", 0, NULL);
	n = schema_validate(s, facts, problems);
	assert_int_equal(n, 7);
	assert_int_equal(json_array_size(problems), 7);
	assert_non_null(strstr(json_string_value(json_array_get(problems, 0)),
	    "ssh.installed: sai kiểu, cần bool — wrong type, expected bool"));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 1)),
	    "ssh.ports[0]: "));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 2)),
	    "ssh.nope: "));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 3)),
	    "accounts.users[0].uid: "));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 4)),
	    "accounts.users[0].extra: "));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 5)),
	    "accounts.users[1]: "));
	assert_non_null(strstr(json_string_value(json_array_get(problems, 6)),
	    "zzz: thông tin không khai báo trong lược đồ — not declared"));
	/* counting without a list */
	assert_true(schema_validate(s, facts, NULL) == 7);
	json_decref(facts);
	json_decref(problems);
	facts = json_array();
	assert_int_equal(schema_validate(s, facts, NULL), 1);
	json_decref(facts);
}

static void
test_docs(void **state)
{
	char err[512], *md;
	struct policy *p;

	(void)state;
	md = policy_doc_facts(schema_embedded());
	assert_non_null(md);
	assert_non_null(strstr(md, "| `accounts.users.name` | string | key | "
	    "Tên tài khoản | Account name |\n"));
	assert_non_null(strstr(md, "| `firewall.active` | bool | live, root "
	    "|"));
	free(md);
	p = policy_load(testutil_source("tests/policy/good/001-full.yml"),
	    NULL, err, sizeof(err));
	assert_non_null(p);
	md = policy_doc_checks(p, "2026-07-01");
	assert_non_null(md);
	assert_non_null(strstr(md, "## Điểm 3 — Biện pháp kỹ thuật / Point 3 "
	    "— Technical measures"));
	assert_non_null(strstr(md, "### `ssh-root` — Không cho root đăng nhập "
	    "SSH"));
	/* the successor in force on that day is cited */
	assert_non_null(strstr(md, "  - Luật An ninh mạng 116/2025/QH15"));
	assert_non_null(strstr(md, "- Cấp độ / levels: 1, 2, 3\n"));
	assert_non_null(strstr(md, "| `lock_seconds` | `900` |"));
	assert_non_null(strstr(md, "| `luat-anm-2018` | 24/2018/QH14 |"));
	assert_non_null(strstr(md, "*Chưa có tiêu chí tự động."));
	free(md);
	policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_docs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
