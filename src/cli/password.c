/*
 * password.c — a password given to canhgac in a file (init
 * --password-file, user add/passwd --password-file): its first line,
 * bounded, wiped from memory once copied, with a warning when everyone
 * may read the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/text.h"

int
cli_pw_file(const char *path, char *pw, size_t size)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0, line;
	int r;

	r = file_read_path(path, size, &buf, &len);
	if (r != 0) {
		log_warnx("%s: không đọc được tệp mật khẩu: %s — cannot read "
		    "the password file: %s", path, text_strerror_vi(-r) ?
		    text_strerror_vi(-r) : strerror(-r), strerror(-r));
		return -1;
	}
	if (stat(path, &sb) == 0 && (sb.st_mode & 0004))
		log_warnx("%s: cảnh báo: ai cũng đọc được tệp mật khẩu; hãy "
		    "xoá nó — warning: the password file is readable by "
		    "everyone; delete it", path);
	/* the first line, without its newline */
	line = strcspn(buf, "\n");
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	if (line + 2 > size) {
		log_warnx("%s: mật khẩu dài quá %zu byte — the password is "
		    "longer than %zu bytes", path, size - 2, size - 2);
		sodium_memzero(buf, len);
		free(buf);
		return -1;
	}
	memcpy(pw, buf, line);
	pw[line] = '\0';
	sodium_memzero(buf, len);
	free(buf);
	return 0;
}
