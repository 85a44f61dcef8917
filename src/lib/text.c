/*
 * text.c — UTF-8 and Vietnamese text helpers (text.h) over utf8proc:
 * validation, NFC, case folding and diacritic folding (đ -> d), line
 * iteration, small string utilities and Vietnamese errno descriptions.
 * Allocation failures abort: every caller would have to fail anyway.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "lib/text.h"

static void __attribute__((noreturn))
text_oom(void)
{
	static const char msg[] =
	    "canhgac: hết bộ nhớ — out of memory\n";

	fputs(msg, stderr);
	abort();
}

bool
text_valid_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (p[i] < 0x80) {	/* fast path for ASCII */
			if (p[i] == 0)
				return false;
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/* Maps d-stroke to d before the other transformations (custom_func). */
static utf8proc_int32_t
text_map_dstroke(utf8proc_int32_t cp, void *data)
{
	(void)data;
	if (cp == 0x0110 || cp == 0x0111)	/* Đ đ */
		return 'd';
	return cp;
}

/* Runs utf8proc_map_custom over a validated copy; NULL when invalid. */
static char *
text_map(const char *s, size_t len, utf8proc_option_t opt,
    utf8proc_custom_func fn)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	if (!text_valid_utf8(s, len) || len > (size_t)SSIZE_MAX / 8)
		return NULL;
	if (len == 0)
		return text_dup("");
	n = utf8proc_map_custom((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)len, &dst, opt, fn, NULL);
	if (n < 0) {
		if (n == UTF8PROC_ERROR_NOMEM)
			text_oom();
		return NULL;
	}
	return (char *)dst;
}

char *
text_nfc(const char *s, size_t len)
{
	return text_map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, NULL);
}

char *
text_casefold(const char *s, size_t len)
{
	return text_map(s, len,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, NULL);
}

char *
text_fold(const char *s, size_t len)
{
	return text_map(s, len,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
	    UTF8PROC_CASEFOLD, text_map_dstroke);
}

bool
text_next_line(const char **p, const char *end, const char **line,
    size_t *linelen)
{
	const char *s = *p, *nl;
	size_t n;

	if (s == NULL || s >= end)
		return false;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (nl != NULL) {
		n = (size_t)(nl - s);
		*p = nl + 1;
	} else {
		n = (size_t)(end - s);
		*p = end;
	}
	if (n > 0 && s[n - 1] == '\r')
		n--;
	*line = s;
	*linelen = n;
	return true;
}

static bool
text_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

char *
text_trim(char *s)
{
	size_t start = 0, len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	while (len > 0 && text_is_space(s[len - 1]))
		len--;
	while (start < len && text_is_space(s[start]))
		start++;
	if (start > 0)
		memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return s;
}

bool
text_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++) {
		unsigned char a = (unsigned char)*s, b = (unsigned char)*prefix;

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)	/* also stops at the end of s */
			return false;
	}
	return true;
}

char *
text_ndup(const char *s, size_t len)
{
	char *d;

	if (len == SIZE_MAX)
		text_oom();
	d = malloc(len + 1);
	if (d == NULL)
		text_oom();
	if (len > 0)
		memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
text_dup(const char *s)
{
	return text_ndup(s, strlen(s));
}

char *
text_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		text_oom();
	s = malloc((size_t)n + 1);
	if (s == NULL)
		text_oom();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

bool
text_to_long(const char *s, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || text_is_space(*s))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return false;
	*out = v;
	return true;
}

static const struct {
	int err;
	const char *vi;
} text_errors_vi[] = {
	{ EPERM, "không được phép thực hiện thao tác" },
	{ ENOENT, "không tồn tại tệp hoặc thư mục" },
	{ ESRCH, "không tìm thấy tiến trình" },
	{ EINTR, "thao tác bị ngắt" },
	{ EIO, "lỗi vào/ra" },
	{ ENXIO, "không có thiết bị hoặc địa chỉ" },
	{ E2BIG, "quá nhiều mục hoặc đối số" },
	{ EBADF, "bộ mô tả tệp không hợp lệ" },
	{ EAGAIN, "tài nguyên tạm thời không sẵn sàng" },
	{ ENOMEM, "không đủ bộ nhớ" },
	{ EACCES, "không đủ quyền truy cập" },
	{ EFAULT, "địa chỉ không hợp lệ" },
	{ EBUSY, "thiết bị hoặc tài nguyên đang bận" },
	{ EEXIST, "tệp đã tồn tại" },
	{ EXDEV, "liên kết giữa các thiết bị khác nhau" },
	{ ENODEV, "không có thiết bị" },
	{ ENOTDIR, "không phải là thư mục" },
	{ EISDIR, "là một thư mục" },
	{ EINVAL, "đối số không hợp lệ" },
	{ ENFILE, "quá nhiều tệp đang mở trong hệ thống" },
	{ EMFILE, "quá nhiều tệp đang mở" },
	{ ETXTBSY, "tệp thực thi đang được sử dụng" },
	{ EFBIG, "tệp quá lớn" },
	{ ENOSPC, "hết dung lượng trên thiết bị" },
	{ ESPIPE, "không thể dịch chuyển vị trí đọc" },
	{ EROFS, "hệ thống tệp chỉ cho phép đọc" },
	{ EMLINK, "quá nhiều liên kết" },
	{ EPIPE, "đường ống bị đóng" },
	{ ERANGE, "kết quả vượt quá giới hạn" },
	{ ENAMETOOLONG, "tên tệp quá dài" },
	{ ENOSYS, "chức năng chưa được hỗ trợ" },
	{ ENOTEMPTY, "thư mục không rỗng" },
	{ ELOOP, "quá nhiều liên kết tượng trưng (vòng lặp liên kết)" },
	{ ENODATA, "không có dữ liệu" },
	{ EOVERFLOW, "giá trị quá lớn so với kiểu dữ liệu" },
	{ EILSEQ, "chuỗi byte không hợp lệ" },
	{ ENOTSUP, "thao tác không được hỗ trợ" },
	{ EADDRINUSE, "địa chỉ đang được sử dụng" },
	{ EADDRNOTAVAIL, "không gán được địa chỉ yêu cầu" },
	{ ENETDOWN, "mạng không hoạt động" },
	{ ENETUNREACH, "không thể kết nối tới mạng" },
	{ ECONNRESET, "kết nối bị đặt lại bởi bên kia" },
	{ ETIMEDOUT, "hết thời gian chờ kết nối" },
	{ ECONNREFUSED, "kết nối bị từ chối" },
	{ EHOSTUNREACH, "không có đường tới máy đích" },
};

const char *
text_strerror_vi(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(text_errors_vi) / sizeof(text_errors_vi[0]);
	    i++)
		if (text_errors_vi[i].err == err)
			return text_errors_vi[i].vi;
	return NULL;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
text_trim_span(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\r'))
		(*len)--;
}

size_t
text_utf8_put(char *out, unsigned long c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Windows-1252 0x80–0x9F; 0 where undefined (those stay U+0080–U+009F). */
static const unsigned short text_cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

unsigned
text_cp1252_char(unsigned char b)
{
	if (b >= 0x80 && b < 0xA0 && text_cp1252_high[b - 0x80] != 0)
		return text_cp1252_high[b - 0x80];
	return b;
}

int
text_cp1252_byte(long c)
{
	int i;

	if (c >= 0 && c <= 0xFF)
		return (int)c;
	for (i = 0; i < 32; i++)
		if (text_cp1252_high[i] != 0 && text_cp1252_high[i] == c)
			return 0x80 + i;
	return -1;
}

bool
text_to_size(const char *s, long long max_num, long long max,
    long long *bytes)
{
	long long v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > max_num)
			return false;
	if (*p == 'K' || *p == 'k')
		mul = 1LL << 10;
	else if (*p == 'M' || *p == 'm')
		mul = 1LL << 20;
	else if (*p == 'G' || *p == 'g')
		mul = 1LL << 30;
	else if (*p != '\0')
		return false;
	if (*p != '\0' && p[1] != '\0' && strcmp(p + 1, "B") != 0 &&
	    strcmp(p + 1, "iB") != 0)
		return false;
	if (v > max / mul)
		return false;
	*bytes = v * mul;
	return true;
}

char *
text_url_segment(const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out, *o;
	size_t i;

	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (o = out, i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
