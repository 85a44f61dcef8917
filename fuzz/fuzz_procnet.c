/*
 * fuzz_procnet.c — libFuzzer harness for the /proc/net parsers: socket
 * tables (collect_sockets.c), routes and resolv.conf (collect_network.c).
 * The first byte chooses the table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procnet_sock *s = NULL;
	json_t *arr;
	size_t n;
	char *buf;
	int sel;

	if (size < 1)
		return 0;
	sel = data[0] % 7;
	data++;
	size--;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (sel < 4) {
		collect_sockets_parse(buf, size, sel & 1, sel & 2, 64, &s, &n);
		free(s);
	} else {
		arr = json_array();
		if (sel == 6)
			collect_network_parse_resolv(buf, size, arr);
		else
			collect_network_parse_routes(buf, size, sel == 5, arr);
		json_decref(arr);
	}
	free(buf);
	return 0;
}
