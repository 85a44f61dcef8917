/*
 * fuzz_doc_mail.c — libFuzzer harness of the mail extractor (extract_mail.c): any bytes as a message or an mbox, attachments read recursively.
 * Every line passed must be non-empty valid UTF-8 of a known zone; an
 * error must be recorded with its reason. Must never crash, hang, leak or
 * go past its limits.
 */
#include "fuzz_doc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_doc_run(data, size, doc_extract_mail);
}
