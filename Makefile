# Canh Gác — build, test and run.
#
#   make            build the programs (build/)
#   make run        install what is missing, build, audit this computer
#   make check      install what is missing, build, run every test
#   make CC=clang   the same with clang
#
# Objects of the normal build go to build/, of the AddressSanitizer +
# UndefinedBehaviorSanitizer build used by the tests to build/asan/, of the
# libFuzzer build to build/fuzz/. Sources are found by wildcard: a new file
# under src/, tests/unit/ or fuzz/ needs no change here.

CC ?= cc
FUZZCC ?= clang
# make V=1 shows every command.
ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-6s %s\n'
endif
PKGS = jansson yaml-0.1 libutf8proc libpcre2-8 liblz4 zlib libsodium libnftables sqlite3 \
	libmicrohttpd gnutls libcurl libqrencode xlsxwriter \
	libzip libxml-2.0 libgsf-1 poppler-glib gmime-3.0 tesseract lept cairo
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lresolv
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# Only the test corpus generator (tests/secrets) draws text with pango.
GEN_PKGS = pangocairo
GEN_CFLAGS := $(shell pkg-config --cflags $(GEN_PKGS) 2>/dev/null)
GEN_LIBS := $(shell pkg-config --libs $(GEN_PKGS) 2>/dev/null)

WARN = -Wall -Wextra -Werror -Wformat=2 -Wno-format-nonliteral -Wshadow \
       -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla
CFLAGS ?= -O2 -g
# Where make install puts things; LIBEXECDIR is also where the programs
# look for their helpers when they are not beside them (src/lib/prog.h).
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/canhgac
DATADIR ?= $(PREFIX)/share/canhgac
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/canhgac
UNITDIR ?= /lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
DEFS = -DPROG_LIBEXEC='"$(LIBEXECDIR)"'
ALL_CFLAGS = -std=gnu11 $(WARN) -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	-fPIE -Isrc -Ibuild/gen $(DEFS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS ?=
# --as-needed: each program depends only on the libraries its own code
# calls (an audit maps no TLS or document library; bench/audit.sh).
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
      -fno-sanitize-recover=undefined
ASAN_CFLAGS = -std=gnu11 $(WARN) -O1 -g $(SAN) -Isrc -Ibuild/gen $(DEFS) $(PKG_CFLAGS)
FUZZ_CFLAGS = -std=gnu11 $(WARN) -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -Isrc -Ibuild/gen $(PKG_CFLAGS)

LIB_SRC := $(sort $(wildcard src/lib/*.c))
AGENT_SRC := $(sort $(filter-out src/agent/main.c src/agent/main_agentd.c,$(wildcard src/agent/*.c)))
SERVER_SRC := $(sort $(filter-out src/server/main.c,$(wildcard src/server/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
SECRETS_SRC := $(sort $(wildcard src/secrets/*.c))
SITE_SRC := $(sort $(wildcard src/site/*.c))
GEN_SRC := build/gen/embedded.c
CORE_SRC := $(LIB_SRC) $(SECRETS_SRC) $(SITE_SRC) $(AGENT_SRC) $(SERVER_SRC) $(filter-out src/cli/main.c,$(CLI_SRC))
POLICY := $(sort $(wildcard policy/*.yml))
SCHEMA := src/agent/facts.schema
WEB := $(sort $(wildcard web/messages.yml web/templates/*.html web/static/*))
SITE_DATA := $(sort $(wildcard policy/site/*.yml))

# The shared code goes into one archive per build; each program links its
# own main objects against it and takes only what it uses.
OBJ := $(CORE_SRC:%.c=build/%.o) build/gen/embedded.o
ASAN_OBJ := $(CORE_SRC:%.c=build/asan/%.o) build/asan/gen/embedded.o
FUZZ_OBJ := $(CORE_SRC:%.c=build/fuzz/%.o) build/fuzz/gen/embedded.o
LIBA := build/libcanhgac.a
ASAN_LIBA := build/asan/libcanhgac.a
FUZZ_LIBA := build/fuzz/libcanhgac.a

TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_HELPERS := $(sort $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c)))
TESTS := $(TEST_SRC:tests/unit/%.c=build/asan/tests/%)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZERS := $(FUZZ_SRC:fuzz/%.c=build/fuzz/bin/%)

# canhgac-agentd (enroll, run, status) and canhgac-docread (the finder's
# document reader) are helpers canhgac-agent executes: prog.h.
PROGRAMS = build/canhgac-agent build/canhgacd build/canhgac \
	build/canhgac-agentd build/canhgac-docread
ASAN_PROGRAMS = build/asan/canhgac-agent build/asan/canhgacd build/asan/canhgac \
	build/asan/canhgac-agentd build/asan/canhgac-docread

# Objects are prerequisites of pattern rules only: keep them.
.SECONDARY:

.PHONY: flags dev-test fixtures all run stop server-tests browser-tests secrets-tests bench-secrets \
	site-tests install-tests bench-sites bench-ingest bench-console check deps deps-build unit integration fuzz fuzz-long asan \
	docs clean bench format install

all: $(PROGRAMS)

deps:
	@scripts/deps.sh check
deps-build:
	@scripts/deps.sh build

build/gen/embedded.c: scripts/embed.sh $(SCHEMA) $(POLICY) $(WEB) $(SITE_DATA)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)scripts/embed.sh $@ $(SCHEMA) $(POLICY)

build/gen/embedded.o: build/gen/embedded.c
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@
build/asan/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ASAN_CFLAGS) -c $< -o $@
build/fuzz/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -c $< -o $@

build/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
build/asan/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^
$(ASAN_LIBA): $(ASAN_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^
$(FUZZ_LIBA): $(FUZZ_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/canhgac-agent: build/src/agent/main.o $(LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/canhgac-agentd: build/src/agent/main_agentd.o $(LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/canhgac-docread: build/src/docread/main.o $(LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/canhgacd: build/src/server/main.o $(LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/canhgac: build/src/cli/main.o $(LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/asan/canhgac-agent: build/asan/src/agent/main.o $(ASAN_LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/asan/canhgac-agentd: build/asan/src/agent/main_agentd.o $(ASAN_LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/asan/canhgac-docread: build/asan/src/docread/main.o $(ASAN_LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/asan/canhgacd: build/asan/src/server/main.o $(ASAN_LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) $^ $(PKG_LIBS) -lpthread -o $@
build/asan/canhgac: build/asan/src/cli/main.o $(ASAN_LIBA)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) $^ $(PKG_LIBS) -lpthread -o $@

build/asan/tests/%: tests/unit/%.c $(TEST_HELPERS) $(ASAN_LIBA)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(ASAN_CFLAGS) -Itests/unit $< $(TEST_HELPERS) $(ASAN_LIBA) \
		$(PKG_LIBS) $(CMOCKA_LIBS) -lpthread -o $@

build/fuzz/bin/%: fuzz/%.c $(FUZZ_LIBA)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIBA) $(PKG_LIBS) \
		-lpthread -o $@

asan: $(ASAN_PROGRAMS) $(TESTS)

# Fixture trees are copied to build/fixtures with their dates made relative
# to today (tests/fixtures/README.md).
fixtures:
	@rm -rf build/fixtures
	@for t in tests/fixtures/*/; do \
		t=$${t%/}; n=$${t##*/}; \
		tests/fixture.sh $$n build/fixtures/$$n || exit 1; \
	done

unit: asan fixtures
	@tests/run-unit.sh $(TESTS)

integration: $(ASAN_PROGRAMS) fixtures
	@tests/run-integration.sh build/asan/canhgac-agent

# The server end to end over TLS on loopback, and its fault tests.
server-tests: $(ASAN_PROGRAMS) build/tests/portal fixtures
	@tests/server/run.sh

# The classified-document finder over a corpus the tests make themselves.
GEN_SRC_T := $(sort $(wildcard tests/secrets/*.c))
build/tests/mkcorpus: $(GEN_SRC_T) tests/secrets/gen.h $(LIBA)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(GEN_CFLAGS) -Itests/secrets $(ALL_LDFLAGS) \
		$(GEN_SRC_T) $(LIBA) $(PKG_LIBS) $(GEN_LIBS) -lpthread -o $@
secrets-tests: $(ASAN_PROGRAMS) build/tests/mkcorpus
	@tests/secrets/run.sh

# The portal monitor against a ward portal the tests serve on loopback.
SITE_T_SRC := $(sort $(wildcard tests/site/*.c))
build/tests/portal: $(SITE_T_SRC) $(LIBA)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/site $(ALL_LDFLAGS) $(SITE_T_SRC) \
		$(LIBA) $(PKG_LIBS) -lpthread -o $@
site-tests: $(ASAN_PROGRAMS) build/tests/portal
	@tests/site/run.sh

# make install into a scratch DESTDIR; the installed agent finds its helpers.
install-tests: all
	@tests/install/run.sh
# The console in Debian's chromium, driven by playwright-core (npm).
browser-tests: $(ASAN_PROGRAMS) fixtures
	@timeout -k 10 300 tests/browser/run.sh

# Every harness over its seed corpus, briefly (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 10
fuzz: $(FUZZERS)
	@tests/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZERS)
fuzz-long:
	@$(MAKE) fuzz FUZZ_SECONDS=600

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory server-tests
	@$(MAKE) --no-print-directory secrets-tests
	@$(MAKE) --no-print-directory site-tests
	@$(MAKE) --no-print-directory install-tests
	@$(MAKE) --no-print-directory browser-tests
	@$(MAKE) --no-print-directory fuzz
	@echo "make check: tất cả kiểm thử đều đạt / all tests passed"

# Starts canhgacd on a fresh data directory under run/, enrols this
# computer's agent, sends its first audit and says how to sign in.
run: deps-build
	@$(MAKE) --no-print-directory all
	@scripts/run.sh
stop:
	@scripts/run.sh stop

docs: build/canhgac-agent
	build/canhgac-agent policy doc checks >docs/checks.md
	build/canhgac-agent policy doc facts >docs/facts.md

bench: all build/bench/ingest
	@scripts/deps.sh bench
	@bench/audit.sh
	@bench/ingest.sh
bench-console: build/canhgacd build/canhgac
	@scripts/deps.sh bench
	@bench/console.sh
bench-secrets: build/canhgac-agent build/tests/mkcorpus
	@scripts/deps.sh bench
	@bench/secrets.sh
bench-sites: build/canhgac build/tests/portal
	@scripts/deps.sh bench
	@bench/sites.sh
bench-ingest: build/canhgacd build/canhgac build/canhgac-agent build/bench/ingest
	@scripts/deps.sh bench
	@bench/ingest.sh

# The load generator of bench/ingest.sh: N agents over real TLS.
build/bench/ingest: bench/ingest.c $(LIBA)
	@mkdir -p $(@D)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(LIBA) $(PKG_LIBS) -lpthread -o $@

# Installs the programs, helpers, policy, man pages (English and
# Vietnamese) and systemd units under DESTDIR (docs/admin.md).
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(DATADIR)/policy $(DESTDIR)$(DATADIR)/policy/site \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/vi/man5 $(DESTDIR)$(MANDIR)/vi/man8 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 0755 build/canhgac-agent build/canhgacd build/canhgac \
		$(DESTDIR)$(SBINDIR)
	install -m 0755 build/canhgac-agentd build/canhgac-docread \
		$(DESTDIR)$(LIBEXECDIR)
	install -m 0644 $(POLICY) $(DESTDIR)$(DATADIR)/policy
	install -m 0644 $(SITE_DATA) $(DESTDIR)$(DATADIR)/policy/site
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 man/vi/*.5 $(DESTDIR)$(MANDIR)/vi/man5
	install -m 0644 man/vi/*.8 $(DESTDIR)$(MANDIR)/vi/man8
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)
	install -m 0644 packaging/*.service $(DESTDIR)$(UNITDIR)
	install -m 0644 packaging/canhgac.sysusers \
		$(DESTDIR)$(SYSUSERSDIR)/canhgac.conf
format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c fuzz/*.c

clean:
	rm -rf build

-include $(shell find build/src build/asan/src build/fuzz/src -type f -name '*.d' 2>/dev/null)

# One test built from the library, collect.c and the sources named, without
# the rest of the agent: for working on one part while others are
# unfinished.  make dev-test T=test_ssh SRCS="src/agent/collect_ssh.c"
dev-test: fixtures build/gen/embedded.c
	@mkdir -p build/dev
	$(CC) $(ASAN_CFLAGS) -Itests/unit tests/unit/$(T).c $(TEST_HELPERS) \
		$(LIB_SRC) src/agent/collect.c $(SRCS) $(PKG_LIBS) \
		$(CMOCKA_LIBS) -lpthread -o build/dev/$(T)
	CG_FIXTURES=$(CURDIR)/build/fixtures CG_SOURCE=$(CURDIR) build/dev/$(T)

# The flags of the sanitizer build, for building one test by hand:
#   eval "$(make -s flags)"; $CC $ASAN_CFLAGS ... $PKG_LIBS $CMOCKA_LIBS
flags:
	@echo "CC='$(CC)'; ASAN_CFLAGS='$(ASAN_CFLAGS)'; PKG_LIBS='$(PKG_LIBS)'; CMOCKA_LIBS='$(CMOCKA_LIBS)'"
