/*
 * collect_av.h — the parser of the anti-virus collector that tests and
 * fuzzers call directly: the 512-byte header of ClamAV's signature
 * databases (.cvd, .cld). See collect_av.c.
 */
#ifndef CG_COLLECT_AV_H
#define CG_COLLECT_AV_H

#include <stddef.h>

#define CVD_HEADER_SIZE 512

struct cvd_header {
	char build_date[64];	/* "14 Nov 2024 09-27 +0000" */
	unsigned long version;
	unsigned long signatures;
	unsigned long flevel;	/* functionality level */
	char builder[64];
	long long build_time;	/* seconds since 1970 */
};

/*
 * Parses the header at the start of buf[0..len) (len may exceed 512; only
 * the first 512 bytes are looked at). The header is
 * "ClamAV-VDB:date:version:sigs:flevel:md5:dsig:builder:time" padded with
 * spaces; an incrementally updated .cld has "X" for md5 and dsig. Returns
 * 0, or -1 when anything is out of place.
 */
int collect_av_parse_cvd_header(const char *buf, size_t len,
    struct cvd_header *h);

#endif
