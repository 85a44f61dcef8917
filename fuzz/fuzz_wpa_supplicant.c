/*
 * fuzz_wpa_supplicant.c — libFuzzer harness for the wpa_supplicant.conf
 * parser of the Wi-Fi collector (collect_wifi_parse_wpa_supplicant).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_wifi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wifi_net *nets;
	size_t count, i;
	char *buf = malloc(size + 1);
	int line;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (collect_wifi_parse_wpa_supplicant(buf, size, &nets, &count,
	    &line) == 0) {
		for (i = 0; i < count; i++)
			if (nets[i].ssid == NULL || nets[i].security == NULL)
				abort();
		collect_wifi_nets_free(nets, count);
	}
	free(buf);
	return 0;
}
