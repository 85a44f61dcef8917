/*
 * password.c — a password given to canhgac (init, user add, user passwd):
 * typed at the terminal without echo, the terminal restored even when a
 * signal ends the program; or the first line of a file, bounded, wiped
 * from memory once copied, with a warning when everyone may read it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/text.h"

static struct termios cli_saved_tty;
static volatile sig_atomic_t cli_tty_changed;

static void
cli_tty_restore(int sig)
{
	if (cli_tty_changed)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads one line from the terminal without echo into pw (NUL-terminated);
 * -1 on end of input or a line too long. */
int
cli_read_tty(const char *prompt, char *pw, size_t size)
{
	struct termios t;
	struct sigaction sa, oint, oterm, ohup;
	size_t n = 0;
	ssize_t r;
	char ch;
	int rc = 0;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &cli_saved_tty) != 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_tty_restore;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGHUP, &sa, &ohup);
	t = cli_saved_tty;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	cli_tty_changed = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
		rc = -1;
	while (rc == 0) {
		r = read(STDIN_FILENO, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = -1;
			break;
		}
		if (ch == '\n')
			break;
		if (n + 1 >= size) {
			rc = -2;	/* keep reading to the end of line */
			continue;
		}
		pw[n++] = ch;
	}
	if (rc == -2) {
		while ((r = read(STDIN_FILENO, &ch, 1)) == 1 && ch != '\n')
			;
		rc = -1;
	}
	pw[n] = '\0';
	if (n > 0 && pw[n - 1] == '\r')
		pw[--n] = '\0';
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_saved_tty);
	cli_tty_changed = 0;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	fputc('\n', stderr);
	return rc;
}

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
