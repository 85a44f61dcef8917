/*
 * test_metrics.c — unit tests of src/server/metrics.c: every family has
 * its HELP and TYPE lines, counters count, the latency histogram is
 * cumulative, and an unknown refusal code is counted as "other", never
 * as a new label.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/metrics.h"

static char *
render(void)
{
	char *text;
	size_t len;

	assert_int_equal(metrics_render(NULL, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	return text;
}

static void
test_counts(void **state)
{
	char *t;

	(void)state;
	metrics_request(METRICS_ROUTE_BATCHES, 200);
	metrics_request(METRICS_ROUTE_BATCHES, 429);
	metrics_request(METRICS_ROUTE_BATCHES, 413);
	metrics_request((enum metrics_route)99, 999);
	metrics_batch_stored(false, 3, 900);
	metrics_batch_stored(true, 3, 900);
	metrics_batch_refused("host-mismatch");
	metrics_batch_refused("made-up\"code");
	metrics_batch_refused(NULL);
	metrics_enrolment(true);
	metrics_enrolment(false);
	metrics_batch_latency_us(3000);		/* <= 0.005 */
	metrics_batch_latency_us(70000);	/* <= 0.1 */
	metrics_batch_latency_us(60000000);	/* +Inf only */
	t = render();
	assert_non_null(strstr(t, "canhgac_http_requests_total{route=\"batches"
	    "\",code=\"2xx\"} 1\n"));
	assert_non_null(strstr(t, "canhgac_http_requests_total{route=\"batches"
	    "\",code=\"4xx\"} 2\n"));
	assert_non_null(strstr(t, "canhgac_http_requests_total{route=\"other\""
	    ",code=\"5xx\"} 1\n"));
	assert_non_null(strstr(t, "canhgac_batches_total{result=\"stored\"} "
	    "1\n"));
	assert_non_null(strstr(t, "canhgac_batches_total{result=\"duplicate\"}"
	    " 1\n"));
	assert_non_null(strstr(t, "canhgac_reports_ingested_total 3\n"));
	assert_non_null(strstr(t, "canhgac_findings_ingested_total 900\n"));
	assert_non_null(strstr(t, "canhgac_batches_refused_total{code="
	    "\"host-mismatch\"} 1\n"));
	assert_non_null(strstr(t, "canhgac_batches_refused_total{code="
	    "\"other\"} 2\n"));
	assert_null(strstr(t, "made-up"));
	assert_non_null(strstr(t, "canhgac_enrolments_total{result=\"ok\"} "
	    "1\n"));
	assert_non_null(strstr(t, "_bucket{le=\"0.005\"} 1\n"));
	assert_non_null(strstr(t, "_bucket{le=\"0.05\"} 1\n"));
	assert_non_null(strstr(t, "_bucket{le=\"0.1\"} 2\n"));
	assert_non_null(strstr(t, "_bucket{le=\"10\"} 2\n"));
	assert_non_null(strstr(t, "_bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(t, "canhgac_batch_duration_seconds_sum "
	    "60.073000\n"));
	assert_non_null(strstr(t, "canhgac_batch_duration_seconds_count 3\n"));
	free(t);
}

/* Every sample line belongs to a family announced by HELP and TYPE. */
static void
test_format(void **state)
{
	char *t = render(), *line, *save = NULL, family[128] = "";

	(void)state;
	assert_non_null(strstr(t, "# TYPE canhgac_batch_duration_seconds "
	    "histogram\n"));
	assert_non_null(strstr(t, "# TYPE process_resident_memory_bytes "
	    "gauge\n"));
	assert_true(metrics_rss_bytes() > 0);
	for (line = strtok_r(t, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0) {
			size_t n = strcspn(line + 7, " ");

			assert_true(n < sizeof(family));
			memcpy(family, line + 7, n);
			family[n] = '\0';
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_int_equal(strncmp(line + 7, family,
			    strlen(family)), 0);
			continue;
		}
		assert_true(family[0] != '\0');
		assert_int_equal(strncmp(line, family, strlen(family)), 0);
	}
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
