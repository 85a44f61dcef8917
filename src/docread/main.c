/*
 * main.c — canhgac-docread, the document reader of the classified-document
 * finder. The scanner (canhgac-agent secrets, and the agent's scheduled
 * scan) starts it as a worker: the pool forks, locks the new process down
 * (unprivileged user when root, no new privileges, bounded memory and
 * descriptors) and executes this program with its end of a SOCK_SEQPACKET
 * pair as descriptor 3. It then reads the files handed to it as open
 * descriptors (src/secrets/worker.c). It is a program of its own so that
 * the libraries that parse hostile documents (poppler, libgsf, GMime,
 * libzip, libxml2, Tesseract) are mapped only here, never in the agent
 * that runs as root and audits every hour. canhgac-docread(8).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <sodium.h>

#include "agent/audit.h"
#include "secrets/scan.h"
#include "secrets/worker.h"

int
main(int argc, char **argv)
{
	struct stat st;
	int type = 0;
	socklen_t len = sizeof(type);

	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("canhgac-docread %s\n", AGENT_VERSION);
		return 0;
	}
	if (argc > 1 || fstat(WORKER_FD, &st) != 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(WORKER_FD, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
	    type != SOCK_SEQPACKET) {
		fputs("canhgac-docread: chương trình này do canhgac-agent khởi "
		    "động để đọc tài liệu, không chạy bằng tay; hãy dùng "
		    "“canhgac-agent secrets” — this program is started by "
		    "canhgac-agent to read documents, not by hand; use "
		    "“canhgac-agent secrets”\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	scan_worker_serve(WORKER_FD);
}
