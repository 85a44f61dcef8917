/*
 * fuzz_nmconnection.c — libFuzzer harness for the NetworkManager keyfile
 * parser of the Wi-Fi collector (collect_wifi_parse_nmconnection), and
 * the iwd profile parser over the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_wifi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wifi_net n;
	char *buf = malloc(size + 1);
	int line;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (collect_wifi_parse_nmconnection(buf, size, &n, &line) == 1 &&
	    (n.ssid == NULL || n.security == NULL || n.psk_length < 0))
		abort();
	collect_wifi_net_clear(&n);
	if (collect_wifi_parse_iwd("=4e6861.psk", buf, size, &n, &line) == 1 &&
	    n.ssid == NULL)
		abort();
	collect_wifi_net_clear(&n);
	free(buf);
	return 0;
}
