/*
 * collect.c — the helpers collectors share to record facts they could
 * not learn and to read policy parameters (see collect.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/collect.h"
#include "lib/json.h"
#include "lib/text.h"


json_t *
collect_section(struct collect_ctx *ctx, const char *name)
{
	json_t *s = json_object_get(ctx->facts, name);

	if (s == NULL || !json_is_object(s)) {
		s = json_object();
		json_object_set_new(ctx->facts, name, s);
	}
	return s;
}

void
collect_unavailable(struct collect_ctx *ctx, const char *path,
    const char *status, const char *reason_vi, const char *reason_en)
{
	if (json_object_get(ctx->unavailable, path) != NULL)
		return;
	json_object_set_new(ctx->unavailable, path,
	    json_pack("{s:s, s:{s:s, s:s}}", "status", status, "reason", "vi",
		reason_vi, "en", reason_en));
}

void
collect_file_error(struct collect_ctx *ctx, const char *path,
    const char *file, int err)
{
	const char *vi;
	char *rvi, *ren;

	if (err < 0)
		err = -err;
	if (err == EACCES && !ctx->privileged) {
		rvi = text_printf("cần quyền root để đọc %s", file);
		ren = text_printf("needs root to read %s", file);
	} else if (err == EFBIG) {
		rvi = text_printf("tệp %s quá lớn, vượt giới hạn cho phép",
		    file);
		ren = text_printf("file %s is too large (over the limit)", file);
	} else {
		vi = text_strerror_vi(err);
		rvi = text_printf("không đọc được %s: %s", file,
		    vi ? vi : strerror(err));
		ren = text_printf("cannot read %s: %s", file, strerror(err));
	}
	collect_unavailable(ctx, path, "error", rvi, ren);
	free(rvi);
	free(ren);
}

void
collect_not_live(struct collect_ctx *ctx, const char *path)
{
	collect_unavailable(ctx, path, "na",
	    "không áp dụng khi kiểm tra một ổ đĩa (--root)",
	    "not applicable when auditing a disk (--root)");
}

void
collect_parse_error(struct collect_ctx *ctx, const char *path,
    const char *file, int line, const char *what_vi, const char *what_en)
{
	char *rvi, *ren;

	if (line > 0) {
		rvi = text_printf("%s:%d: %s", file, line, what_vi);
		ren = text_printf("%s:%d: %s", file, line, what_en);
	} else {
		rvi = text_printf("%s: %s", file, what_vi);
		ren = text_printf("%s: %s", file, what_en);
	}
	collect_unavailable(ctx, path, "error", rvi, ren);
	free(rvi);
	free(ren);
}

json_t *
collect_param(struct collect_ctx *ctx, const char *name)
{
	if (ctx->params == NULL)
		return NULL;
	return json_object_get(ctx->params, name);
}

long long
collect_param_int(struct collect_ctx *ctx, const char *name, long long def)
{
	json_t *v = collect_param(ctx, name);

	return json_is_integer(v) ? json_integer_value(v) : def;
}


bool
collect_unit_enabled(struct collect_ctx *ctx, const char *unit, bool *known)
{
	json_t *en = json_path(ctx->facts, "services.enabled"), *v;
	size_t i;

	if (!json_is_array(en)) {
		*known = false;
		return false;
	}
	json_array_foreach(en, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), unit) == 0)
			return true;
	}
	return false;
}
