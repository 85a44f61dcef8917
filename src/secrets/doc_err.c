/*
 * doc_err.c — the reasons a document could not be read (doc.h's enum
 * doc_err): a stable code for JSON and the words for people in Vietnamese
 * and English. Apart from extract.c so that the scanner, which reports
 * them, links none of the extractors (they live in canhgac-docread).
 */
#include <stdbool.h>
#include <stddef.h>

#include "secrets/doc.h"

static const struct {
	enum doc_err err;
	const char *code, *vi, *en;
} reasons[] = {
	{DOC_OK, "ok", "đọc được", "read"},
	{DOC_ERR_ENCRYPTED, "encrypted", "tệp được mã hóa (có mật khẩu)",
	    "encrypted (password-protected)"},
	{DOC_ERR_CORRUPT, "corrupt", "tệp hỏng, sai cấu trúc",
	    "corrupt or malformed"},
	{DOC_ERR_TRUNCATED, "truncated", "tệp bị cắt cụt", "truncated"},
	{DOC_ERR_TOO_LARGE, "too-large", "quá lớn (vượt giới hạn dung lượng)",
	    "too large (over the size limit)"},
	{DOC_ERR_TOO_DEEP, "too-deep", "lồng nhau quá sâu (tệp nén trong tệp "
	    "nén)", "nested too deeply (archives within archives)"},
	{DOC_ERR_TOO_MANY, "too-many", "quá nhiều thành phần bên trong",
	    "too many entries inside"},
	{DOC_ERR_TIMEOUT, "timeout", "đọc quá thời gian cho phép",
	    "took longer than the time limit"},
	{DOC_ERR_UNSUPPORTED, "unsupported", "định dạng chưa được hỗ trợ",
	    "format variant not supported"},
	{DOC_ERR_IO, "io", "không mở hoặc không đọc được tệp",
	    "could not open or read the file"},
	{DOC_ERR_NOMEM, "no-memory", "không đủ bộ nhớ", "out of memory"},
};

const char *
doc_err_text(enum doc_err err, bool en)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].err == err)
			return en ? reasons[i].en : reasons[i].vi;
	return en ? "unknown error" : "lỗi không xác định";
}

const char *
doc_err_code(enum doc_err err)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].err == err)
			return reasons[i].code;
	return "unknown";
}
