/*
 * conf.c — the configuration grammar of conf.h: a tiny tokenizer, a
 * recursive parser of statements and { } blocks, include with globs, and
 * validation against a program's table of keys. Every error names
 * file:line:column, in Vietnamese then English. docs/config.md is the
 * reference of the grammar; docs/internals-lib.md explains the limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "lib/conf.h"
#include "lib/file.h"
#include "lib/text.h"

#define CONF_MAX_TOKENS 256		/* words of one statement */
#define CONF_MAX_STATEMENTS 100000	/* over a file and its includes */
#define CONF_MAX_FILES 1024		/* files read by one conf_load */
#define CONF_MAX_GLOB 1024		/* files matched by one include */

enum conf_tok {
	CONF_T_WORD,
	CONF_T_STRING,
	CONF_T_LBRACE,
	CONF_T_RBRACE,
	CONF_T_END,		/* newline or ';' */
	CONF_T_EOF,
	CONF_T_ERROR
};

struct conf_token {
	enum conf_tok type;
	char *text;		/* malloc'd for words and strings */
	int line, col;
};

struct conf_lex {
	const char *name;
	const char *p, *end;
	int line, col;
	bool pushed;
	struct conf_token back;
};

struct conf_state {
	struct conf *c;
	unsigned flags;
	bool allow_include;
	struct {
		dev_t dev;
		ino_t ino;
	} open[CONF_MAX_DEPTH + 2];	/* files being read: loop detection */
	int nopen;
	size_t nstatements;
	size_t nloads;
	char *err;
	size_t errlen;
};

static int conf_parse_list(struct conf_state *, struct conf_lex *, int,
    struct conf_node ***, const struct conf_token *);

/* Writes "file:line:col: message" (or "file: message" when line is 0). */
static void __attribute__((format(printf, 5, 6)))
conf_err(struct conf_state *st, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->err == NULL || st->errlen == 0)
		return;
	if (line > 0)
		n = snprintf(st->err, st->errlen, "%s:%d:%d: ", file, line,
		    col);
	else
		n = snprintf(st->err, st->errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= st->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static const char *
conf_strerror_vi(int e)
{
	const char *vi = text_strerror_vi(e);

	return vi != NULL ? vi : strerror(e);
}

/* Adds a file name to c->files; returns the stored copy. */
static const char *
conf_add_file(struct conf *c, const char *name)
{
	char **v = realloc(c->files, (c->nfiles + 1) * sizeof(*v));

	if (v == NULL) {
		fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	c->files = v;
	c->files[c->nfiles] = text_dup(name);
	return c->files[c->nfiles++];
}

/* Finds the first NUL or invalid UTF-8 sequence; false with its line
 * and column (in characters) when there is one. */
static bool
conf_check_utf8(const char *s, size_t len, int *line, int *col, bool *nul)
{
	size_t i = 0;

	*line = 1;
	*col = 1;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (s[i] == '\0') {
			*nul = true;
			return false;
		}
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			cp = (unsigned char)s[i];
		} else {
			n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
			    (utf8proc_ssize_t)(len - i), &cp);
			if (n <= 0 || cp < 0) {
				*nul = false;
				return false;
			}
		}
		if (cp == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
		i += (size_t)n;
	}
	return true;
}

static bool
conf_is_word_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') ||
	    (ch != 0 && strchr("-_./:@+,*=~%[]", ch) != NULL);
}

/* Advances the lexer by one byte, keeping line and column (characters:
 * UTF-8 continuation bytes do not move the column). */
static void
conf_lex_advance(struct conf_lex *lx)
{
	unsigned char ch = (unsigned char)*lx->p++;

	if (ch == '\n') {
		lx->line++;
		lx->col = 1;
	} else if ((ch & 0xc0) != 0x80)
		lx->col++;
}

/* Describes the character at p for a message: itself, or U+XXXX. */
static void
conf_describe_char(const char *p, const char *end, char *buf, size_t size)
{
	unsigned char ch = (unsigned char)*p;
	utf8proc_int32_t cp = ch;

	if (ch >= 0x80)
		(void)utf8proc_iterate((const utf8proc_uint8_t *)p,
		    (utf8proc_ssize_t)(end - p), &cp);
	if (ch > 0x20 && ch < 0x7f)
		snprintf(buf, size, "%c", ch);
	else
		snprintf(buf, size, "U+%04X", (unsigned)cp);
}

static void
conf_lex_string(struct conf_state *st, struct conf_lex *lx,
    struct conf_token *t)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);

	if (s == NULL) {
		fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	conf_lex_advance(lx);	/* the opening quote */
	for (;;) {
		char ch;

		if (lx->p >= lx->end || *lx->p == '\n') {
			conf_err(st, lx->name, t->line, t->col,
			    "thiếu dấu đóng ngoặc kép — unterminated string");
			goto fail;
		}
		ch = *lx->p;
		if (ch == '"') {
			conf_lex_advance(lx);
			break;
		}
		if (ch == '\\') {
			int line = lx->line, col = lx->col;

			conf_lex_advance(lx);
			if (lx->p >= lx->end || *lx->p == '\n') {
				conf_err(st, lx->name, t->line, t->col,
				    "thiếu dấu đóng ngoặc kép — "
				    "unterminated string");
				goto fail;
			}
			switch (*lx->p) {
			case '"':
				ch = '"';
				break;
			case '\\':
				ch = '\\';
				break;
			case 'n':
				ch = '\n';
				break;
			case 't':
				ch = '\t';
				break;
			default: {
				char d[16];

				conf_describe_char(lx->p, lx->end, d,
				    sizeof(d));
				conf_err(st, lx->name, line, col,
				    "chuỗi thoát không hợp lệ “\\%s” — "
				    "invalid escape “\\%s”", d, d);
				goto fail;
			}
			}
		} else if ((unsigned char)ch < 0x20 && ch != '\t') {
			char d[16];

			conf_describe_char(lx->p, lx->end, d, sizeof(d));
			conf_err(st, lx->name, lx->line, lx->col,
			    "ký tự điều khiển %s trong chuỗi — control "
			    "character %s in a string", d, d);
			goto fail;
		}
		conf_lex_advance(lx);
		if (n + 2 > cap) {
			char *ns;

			cap *= 2;
			ns = realloc(s, cap);
			if (ns == NULL) {
				fputs("canhgac: hết bộ nhớ — out of memory\n",
				    stderr);
				abort();
			}
			s = ns;
		}
		s[n++] = ch;
	}
	s[n] = '\0';
	t->type = CONF_T_STRING;
	t->text = s;
	return;
fail:
	free(s);
	t->type = CONF_T_ERROR;
}

static void
conf_lex_next(struct conf_state *st, struct conf_lex *lx,
    struct conf_token *t)
{
	unsigned char ch;

	if (lx->pushed) {
		*t = lx->back;
		lx->pushed = false;
		return;
	}
	t->text = NULL;
	for (;;) {
		if (lx->p >= lx->end) {
			t->type = CONF_T_EOF;
			t->line = lx->line;
			t->col = lx->col;
			return;
		}
		ch = (unsigned char)*lx->p;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
		    ch == '\v') {
			conf_lex_advance(lx);
			continue;
		}
		if (ch == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				conf_lex_advance(lx);
			continue;
		}
		break;
	}
	t->line = lx->line;
	t->col = lx->col;
	if (ch == '\n' || ch == ';') {
		conf_lex_advance(lx);
		t->type = CONF_T_END;
	} else if (ch == '{') {
		conf_lex_advance(lx);
		t->type = CONF_T_LBRACE;
	} else if (ch == '}') {
		conf_lex_advance(lx);
		t->type = CONF_T_RBRACE;
	} else if (ch == '"') {
		conf_lex_string(st, lx, t);
	} else if (conf_is_word_char(ch)) {
		const char *start = lx->p;

		while (lx->p < lx->end &&
		    conf_is_word_char((unsigned char)*lx->p))
			conf_lex_advance(lx);
		t->type = CONF_T_WORD;
		t->text = text_ndup(start, (size_t)(lx->p - start));
	} else {
		char d[16];

		conf_describe_char(lx->p, lx->end, d, sizeof(d));
		conf_err(st, lx->name, t->line, t->col,
		    "ký tự không hợp lệ “%s” (chuỗi có ký tự này phải đặt "
		    "trong ngoặc kép) — invalid character “%s” (quote a "
		    "value that contains it)", d, d);
		t->type = CONF_T_ERROR;
	}
}

static void
conf_lex_push(struct conf_lex *lx, const struct conf_token *t)
{
	lx->back = *t;
	lx->pushed = true;
}

static void
conf_node_free(struct conf_node *n)
{
	while (n != NULL) {
		struct conf_node *next = n->next;
		size_t i;

		conf_node_free(n->child);
		free(n->key);
		for (i = 0; i < n->nargs; i++)
			free(n->args[i]);
		free(n->args);
		free(n);
		n = next;
	}
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	conf_node_free(c->first);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

static bool
conf_has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int conf_load_file(struct conf_state *, const char *, int,
    struct conf_node ***, const char *, int, int);

static int
conf_glob_err(const char *path, int e)
{
	(void)path;
	(void)e;
	return 0;	/* unreadable directories are skipped */
}

static int
conf_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* include ARG: a path or a glob, relative to the including file. */
static int
conf_include(struct conf_state *st, const char *from, const char *arg,
    int depth, struct conf_node ***tail, int line, int col)
{
	const char *slash = strrchr(from, '/');
	bool magic = conf_has_magic(arg);
	char *pattern, **v;
	glob_t g;
	size_t i;
	int r;

	if (arg[0] == '/' || slash == NULL)
		pattern = text_dup(arg);
	else if (!magic)
		pattern = text_printf("%.*s/%s", (int)(slash - from), from,
		    arg);
	else {
		/* the including file's directory is literal, not a glob */
		size_t dlen = (size_t)(slash - from), o = 0, j;
		char *dir = malloc(dlen * 2 + 1);

		if (dir == NULL) {
			fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
			abort();
		}
		for (j = 0; j < dlen; j++) {
			if (strchr("*?[\\", from[j]) != NULL)
				dir[o++] = '\\';
			dir[o++] = from[j];
		}
		dir[o] = '\0';
		pattern = text_printf("%s/%s", dir, arg);
		free(dir);
	}
	if (!magic) {
		r = conf_load_file(st, pattern, depth, tail, from, line, col);
		free(pattern);
		return r;
	}
	memset(&g, 0, sizeof(g));
	r = glob(pattern, GLOB_NOSORT, conf_glob_err, &g);
	if (r == GLOB_NOMATCH) {
		globfree(&g);
		free(pattern);
		return 0;	/* an empty conf.d is fine */
	}
	if (r != 0) {
		conf_err(st, from, line, col,
		    "không đọc được “%s” — cannot expand “%s”", arg, arg);
		globfree(&g);
		free(pattern);
		return -1;
	}
	if (g.gl_pathc > CONF_MAX_GLOB) {
		conf_err(st, from, line, col,
		    "“%s” khớp quá nhiều tệp (hơn %d) — “%s” matches too "
		    "many files (over %d)", arg, CONF_MAX_GLOB, arg,
		    CONF_MAX_GLOB);
		globfree(&g);
		free(pattern);
		return -1;
	}
	v = g.gl_pathv;
	qsort(v, g.gl_pathc, sizeof(*v), conf_cmp);
	r = 0;
	for (i = 0; i < g.gl_pathc && r == 0; i++)
		r = conf_load_file(st, v[i], depth, tail, from, line, col);
	globfree(&g);
	free(pattern);
	return r;
}

/* Appends a word to n's arguments. */
static void
conf_node_add_arg(struct conf_node *n, char *arg)
{
	char **v = realloc(n->args, (n->nargs + 1) * sizeof(*v));

	if (v == NULL) {
		fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	n->args = v;
	n->args[n->nargs++] = arg;
}

/* After a statement's last word: the statement must end here. */
static int
conf_expect_end(struct conf_state *st, struct conf_lex *lx)
{
	struct conf_token t;

	conf_lex_next(st, lx, &t);
	switch (t.type) {
	case CONF_T_END:
		return 0;
	case CONF_T_EOF:
	case CONF_T_RBRACE:
		conf_lex_push(lx, &t);
		return 0;
	case CONF_T_ERROR:
		return -1;
	default:
		free(t.text);
		conf_err(st, lx->name, t.line, t.col,
		    "cần xuống dòng hoặc “;” sau “}” — expected a new line "
		    "or “;” after “}”");
		return -1;
	}
}

/* Parses one statement whose key token is kt; links it at **tail. */
static int
conf_parse_statement(struct conf_state *st, struct conf_lex *lx, int depth,
    struct conf_node ***tail, struct conf_token *kt)
{
	struct conf_node *n;
	struct conf_token t, open;
	bool is_include;
	size_t ntok = 1;

	if (++st->nstatements > CONF_MAX_STATEMENTS) {
		free(kt->text);
		conf_err(st, lx->name, kt->line, kt->col,
		    "quá nhiều câu lệnh (tối đa %d) — too many statements "
		    "(at most %d)", CONF_MAX_STATEMENTS, CONF_MAX_STATEMENTS);
		return -1;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	n->key = kt->text;
	n->file = lx->name;
	n->line = kt->line;
	n->col = kt->col;
	is_include = strcmp(n->key, "include") == 0;
	if (!is_include) {
		**tail = n;
		*tail = &n->next;
	}
	for (;;) {
		conf_lex_next(st, lx, &t);
		if (t.type == CONF_T_ERROR)
			goto fail;
		if (t.type == CONF_T_WORD || t.type == CONF_T_STRING) {
			if (++ntok > CONF_MAX_TOKENS) {
				free(t.text);
				conf_err(st, lx->name, t.line, t.col,
				    "quá nhiều từ trong một câu lệnh (tối đa "
				    "%d) — too many words in one statement "
				    "(at most %d)", CONF_MAX_TOKENS,
				    CONF_MAX_TOKENS);
				goto fail;
			}
			conf_node_add_arg(n, t.text);
			continue;
		}
		if (t.type == CONF_T_LBRACE) {
			struct conf_node **ctail = &n->child;

			if (is_include) {
				conf_err(st, lx->name, t.line, t.col,
				    "“include” không nhận khối { } — "
				    "“include” takes no { } block");
				goto fail;
			}
			if (depth + 1 > CONF_MAX_DEPTH) {
				conf_err(st, lx->name, t.line, t.col,
				    "khối lồng nhau quá sâu (tối đa %d mức) — "
				    "blocks nested too deep (at most %d "
				    "levels)", CONF_MAX_DEPTH, CONF_MAX_DEPTH);
				goto fail;
			}
			n->has_block = true;
			open = t;
			if (conf_parse_list(st, lx, depth + 1, &ctail,
			    &open) < 0)
				goto fail;
			if (conf_expect_end(st, lx) < 0)
				goto fail;
			break;
		}
		/* end of statement: a '}' or EOF belongs to the caller */
		if (t.type == CONF_T_RBRACE || t.type == CONF_T_EOF)
			conf_lex_push(lx, &t);
		break;
	}
	if (!is_include)
		return 0;
	/* include: spliced here, not kept as a statement */
	if (!st->allow_include) {
		conf_err(st, lx->name, n->line, n->col,
		    "không dùng được “include” ở đây — “include” is not "
		    "allowed here");
		goto fail;
	}
	if (n->nargs != 1) {
		conf_err(st, lx->name, n->line, n->col,
		    "“include” cần đúng một đường dẫn — “include” takes "
		    "exactly one path");
		goto fail;
	}
	if (depth + 1 > CONF_MAX_DEPTH) {
		conf_err(st, lx->name, n->line, n->col,
		    "include lồng nhau quá sâu (tối đa %d mức) — includes "
		    "nested too deep (at most %d levels)", CONF_MAX_DEPTH,
		    CONF_MAX_DEPTH);
		goto fail;
	}
	{
		int r = conf_include(st, lx->name, n->args[0], depth + 1, tail,
		    n->line, n->col);

		conf_node_free(n);
		return r;
	}
fail:
	if (is_include)
		conf_node_free(n);
	return -1;
}

/* Parses statements until EOF (open == NULL) or the '}' closing the
 * block opened by the token open. */
static int
conf_parse_list(struct conf_state *st, struct conf_lex *lx, int depth,
    struct conf_node ***tail, const struct conf_token *open)
{
	struct conf_token t;

	for (;;) {
		conf_lex_next(st, lx, &t);
		switch (t.type) {
		case CONF_T_ERROR:
			return -1;
		case CONF_T_END:
			continue;
		case CONF_T_EOF:
			if (open == NULL)
				return 0;
			conf_err(st, lx->name, open->line, open->col,
			    "thiếu dấu “}” đóng khối mở tại đây — missing "
			    "“}” to close the block opened here");
			return -1;
		case CONF_T_RBRACE:
			if (open != NULL)
				return 0;
			conf_err(st, lx->name, t.line, t.col,
			    "dấu “}” không có “{” tương ứng — unmatched “}”");
			return -1;
		case CONF_T_LBRACE:
			conf_err(st, lx->name, t.line, t.col,
			    "thiếu tên khóa trước “{” (dấu “{” phải cùng "
			    "dòng với khóa) — missing key before “{” (the "
			    "“{” goes on the key's line)");
			return -1;
		case CONF_T_STRING:
			free(t.text);
			conf_err(st, lx->name, t.line, t.col,
			    "khóa phải là một từ, không đặt trong ngoặc kép "
			    "— a key must be a bare word, not a quoted "
			    "string");
			return -1;
		case CONF_T_WORD:
			if (conf_parse_statement(st, lx, depth, tail, &t) < 0)
				return -1;
			break;
		}
	}
}

/* Parses text as file name (stored in c->files) at the given depth. */
static int
conf_parse_text(struct conf_state *st, const char *text, size_t len,
    const char *name, int depth, struct conf_node ***tail)
{
	struct conf_lex lx;
	int line, col;
	bool nul;

	if (!conf_check_utf8(text, len, &line, &col, &nul)) {
		if (nul)
			conf_err(st, name, line, col,
			    "có byte NUL (tệp nhị phân?) — NUL byte (a binary "
			    "file?)");
		else
			conf_err(st, name, line, col,
			    "UTF-8 không hợp lệ — invalid UTF-8");
		return -1;
	}
	memset(&lx, 0, sizeof(lx));
	lx.name = conf_add_file(st->c, name);
	lx.p = text;
	lx.end = text + len;
	lx.line = 1;
	lx.col = 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		lx.p += 3;	/* a byte-order mark from a Windows editor */
	return conf_parse_list(st, &lx, depth, tail, NULL);
}

/* Checks the mode and owner of a secret file. */
static int
conf_check_secret(struct conf_state *st, const char *path,
    const struct stat *sb)
{
	unsigned mode = (unsigned)sb->st_mode & 07777;

	if (sb->st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) {
		conf_err(st, path, 0, 0,
		    "tệp chứa bí mật có quyền %04o, nhóm hoặc người khác "
		    "đọc/ghi được; hãy chạy “chmod 600 %s” — secret file has "
		    "mode %04o, readable or writable by group or others; run "
		    "“chmod 600 %s”", mode, path, mode, path);
		return -1;
	}
	if (sb->st_uid != geteuid() && sb->st_uid != 0) {
		conf_err(st, path, 0, 0,
		    "tệp chứa bí mật thuộc người dùng %u, không phải người "
		    "dùng hiện tại (%u) hay root — secret file is owned by "
		    "uid %u, neither the effective user (%u) nor root",
		    (unsigned)sb->st_uid, (unsigned)geteuid(),
		    (unsigned)sb->st_uid, (unsigned)geteuid());
		return -1;
	}
	return 0;
}

/* Reads, checks and parses one file; from/line/col name the include
 * statement that asked for it (from == NULL for the top file). */
static int
conf_load_file(struct conf_state *st, const char *path, int depth,
    struct conf_node ***tail, const char *from, int line, int col)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	int fd, r, i;

	if (++st->nloads > CONF_MAX_FILES) {
		conf_err(st, from != NULL ? from : path, line, col,
		    "đọc quá nhiều tệp cấu hình (tối đa %d) — too many "
		    "configuration files (at most %d)", CONF_MAX_FILES,
		    CONF_MAX_FILES);
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		if (from != NULL)
			conf_err(st, from, line, col,
			    "không mở được “%s”: %s — cannot open “%s”: %s",
			    path, conf_strerror_vi(e), path, strerror(e));
		else
			conf_err(st, path, 0, 0,
			    "không mở được tệp: %s — cannot open: %s",
			    conf_strerror_vi(e), strerror(e));
		return -1;
	}
	for (i = 0; i < st->nopen; i++)
		if (st->open[i].dev == sb.st_dev &&
		    st->open[i].ino == sb.st_ino) {
			close(fd);
			conf_err(st, from != NULL ? from : path, line, col,
			    "vòng lặp include: “%s” đang được đọc — include "
			    "loop: “%s” is already being read", path, path);
			return -1;
		}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		conf_err(st, path, 0, 0,
		    "không phải tệp thông thường — not a regular file");
		return -1;
	}
	if ((st->flags & CONF_SECRET) && conf_check_secret(st, path, &sb)) {
		close(fd);
		return -1;
	}
	r = file_read_fd(fd, CONF_MAX_SIZE, &buf, &len);
	close(fd);
	if (r == -EFBIG) {
		conf_err(st, path, 0, 0,
		    "tệp lớn hơn giới hạn %u byte — file larger than the "
		    "%u-byte limit", CONF_MAX_SIZE, CONF_MAX_SIZE);
		return -1;
	}
	if (r < 0) {
		conf_err(st, path, 0, 0,
		    "không đọc được tệp: %s — cannot read: %s",
		    conf_strerror_vi(-r), strerror(-r));
		return -1;
	}
	if ((size_t)st->nopen >= sizeof(st->open) / sizeof(st->open[0])) {
		free(buf);
		conf_err(st, from != NULL ? from : path, line, col,
		    "include lồng nhau quá sâu — includes nested too deep");
		return -1;
	}
	st->open[st->nopen].dev = sb.st_dev;
	st->open[st->nopen].ino = sb.st_ino;
	st->nopen++;
	r = conf_parse_text(st, buf, len, path, depth, tail);
	st->nopen--;
	free(buf);
	return r;
}

static struct conf *
conf_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		fputs("canhgac: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	return c;
}

struct conf *
conf_load(const char *path, unsigned flags, char *err, size_t errlen)
{
	struct conf_state st;
	struct conf_node **tail;

	memset(&st, 0, sizeof(st));
	st.err = err;
	st.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (path == NULL || *path == '\0') {
		conf_err(&st, "(null)", 0, 0,
		    "thiếu đường dẫn — no path given");
		return NULL;
	}
	st.c = conf_new();
	st.flags = flags;
	st.allow_include = true;
	tail = &st.c->first;
	if (conf_load_file(&st, path, 0, &tail, NULL, 0, 0) < 0) {
		conf_free(st.c);
		return NULL;
	}
	return st.c;
}

struct conf *
conf_parse(const char *text, size_t len, const char *name, char *err,
    size_t errlen)
{
	struct conf_state st;
	struct conf_node **tail;

	memset(&st, 0, sizeof(st));
	st.err = err;
	st.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (name == NULL)
		name = "(config)";
	if (text == NULL && len > 0) {
		conf_err(&st, name, 0, 0, "không có nội dung — no text");
		return NULL;
	}
	if (len > CONF_MAX_SIZE) {
		conf_err(&st, name, 0, 0,
		    "lớn hơn giới hạn %u byte — larger than the %u-byte "
		    "limit", CONF_MAX_SIZE, CONF_MAX_SIZE);
		return NULL;
	}
	st.c = conf_new();
	tail = &st.c->first;
	if (conf_parse_text(&st, text != NULL ? text : "", len, name, 0,
	    &tail) < 0) {
		conf_free(st.c);
		return NULL;
	}
	return st.c;
}

static const struct conf_key *
conf_key_find(const struct conf_key *keys, const char *key)
{
	for (; keys != NULL && keys->key != NULL; keys++)
		if (strcmp(keys->key, key) == 0)
			return keys;
	return NULL;
}

static int
conf_validate_list(struct conf_state *st, const struct conf_node *n,
    const struct conf_key *keys)
{
	for (; n != NULL; n = n->next) {
		const struct conf_key *k = conf_key_find(keys, n->key);
		int na = (int)n->nargs;

		if (k == NULL) {
			conf_err(st, n->file, n->line, n->col,
			    "khóa không hợp lệ “%s” — unknown key “%s”",
			    n->key, n->key);
			return -1;
		}
		if (na < k->min_args || (k->max_args >= 0 &&
		    na > k->max_args)) {
			if (k->max_args < 0)
				conf_err(st, n->file, n->line, n->col,
				    "“%s” cần ít nhất %d đối số, có %d — "
				    "“%s” takes at least %d arguments, got "
				    "%d", n->key, k->min_args, na, n->key,
				    k->min_args, na);
			else if (k->min_args == k->max_args)
				conf_err(st, n->file, n->line, n->col,
				    "“%s” cần đúng %d đối số, có %d — “%s” "
				    "takes exactly %d arguments, got %d",
				    n->key, k->min_args, na, n->key,
				    k->min_args, na);
			else
				conf_err(st, n->file, n->line, n->col,
				    "“%s” cần từ %d đến %d đối số, có %d — "
				    "“%s” takes %d to %d arguments, got %d",
				    n->key, k->min_args, k->max_args, na,
				    n->key, k->min_args, k->max_args, na);
			return -1;
		}
		if (k->block == NULL && n->has_block) {
			conf_err(st, n->file, n->line, n->col,
			    "“%s” không nhận khối { } — “%s” takes no { } "
			    "block", n->key, n->key);
			return -1;
		}
		if (k->block != NULL && !n->has_block) {
			conf_err(st, n->file, n->line, n->col,
			    "“%s” cần một khối { } — “%s” needs a { } block",
			    n->key, n->key);
			return -1;
		}
		if (k->block != NULL &&
		    conf_validate_list(st, n->child, k->block) < 0)
			return -1;
	}
	return 0;
}

int
conf_validate(const struct conf *c, const struct conf_key *keys, char *err,
    size_t errlen)
{
	struct conf_state st;

	memset(&st, 0, sizeof(st));
	st.err = err;
	st.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (c == NULL)
		return -1;
	return conf_validate_list(&st, c->first, keys);
}

const struct conf_node *
conf_find(const struct conf_node *n, const char *key)
{
	for (; n != NULL; n = n->next)
		if (strcmp(n->key, key) == 0)
			return n;
	return NULL;
}

const struct conf_node *
conf_next(const struct conf_node *n)
{
	if (n == NULL)
		return NULL;
	return conf_find(n->next, n->key);
}
