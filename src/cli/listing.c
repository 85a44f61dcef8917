/*
 * listing.c — the frame of canhgac's listings (token list, agent list,
 * hosts, findings): the store opened read-only, so that they work while
 * canhgacd runs; the records streamed as a JSON array or gathered in a
 * table aligned for the terminal; and, when the table stays empty, the
 * command's word for why. The commands keep only their columns, filter and
 * row. canhgac(8) lists the JSON members.
 */
#include <stdio.h>
#include <time.h>

#include "cli/cli.h"
#include "lib/log.h"

int
listing_run(struct cli *c, struct listing *l)
{
	struct serverconf sc;
	struct store *st;
	char err[1024];
	int rc = EXIT_FAIL;

	if (cli_open(c, STORE_READONLY, &sc, &st) != 0)
		return EXIT_FAIL;
	l->en = c->en;
	l->now = (int64_t)time(NULL);
	l->tab = NULL;
	if (l->json)
		out_jsonarr_begin(&l->arr, stdout);
	else
		l->tab = out_table_new(l->cols, l->ncols, c->en);
	if (l->query(st, l, err, sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto out;
	}
	if (l->json)
		out_jsonarr_end(&l->arr);
	else if (out_table_rows(l->tab) > 0)
		out_table_print(stdout, l->tab, out_term_width());
	else if (l->empty != NULL)
		l->empty(st, l);
	else
		printf("%s\n", l->none);
	rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	out_table_free(l->tab);
	l->tab = NULL;
	cli_close(&sc, st);
	return rc;
}

void
listing_no_hosts(void)
{
	printf("chưa có máy nào; đăng ký máy bằng canhgac token create và "
	    "canhgac-agent enroll — no hosts yet; enrol computers with "
	    "canhgac token create and canhgac-agent enroll\n");
}
