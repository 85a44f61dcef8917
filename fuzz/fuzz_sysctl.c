/*
 * fuzz_sysctl.c — libFuzzer harness for the sysctl.d(5) parser
 * (collect_sysctl.c) and the modprobe.d(5) parser (collect_usb.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sysctl_values v;
	char *buf = malloc(size + 1);
	unsigned flags = 0;
	int i;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i < SYSCTL_N; i++)
		v.v[i] = -1;
	collect_sysctl_parse(buf, size, &v);
	collect_usb_parse_modprobe(buf, size, &flags);
	(void)collect_usb_blocked(flags);
	(void)collect_timelog_rsyslog_remote(buf, size);
	(void)collect_timelog_syslogng_remote(buf, size);
	free(buf);
	return 0;
}
