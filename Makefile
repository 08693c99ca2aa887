# netlab - build, test, run, bench.
#
#   make          build build/netlab (and the bench binary)
#   make run      install what is missing, build, open the default scenario
#   make test     install what is missing, build with ASan+UBSan, run all tests
#   make bench    build optimised and run the benchmarks
#   make deps     install (as root, with apt-get) or print what is missing
#   make valgrind build without sanitizers, run the tests under valgrind
#
# Variables: BUILD (output folder), CC, WERROR=1 (set when CI=true).

CC      ?= cc
PKG     ?= pkg-config
BUILD   ?= build
PKGS    := sdl2 SDL2_ttf libcjson

# One explicit warning list (Lua's makefile keeps its own the same way).
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wconversion -Wpointer-arith -Wcast-qual \
           -Wformat=2 -Wundef -Wvla
ifeq ($(CI),true)
WERROR  ?= 1
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif

OPT     ?= -O2 -g
PKG_CFLAGS := $(shell $(PKG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG) --libs $(PKGS) 2>/dev/null)
CPPFLAGS_ALL = -Isrc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS)
CFLAGS_ALL   = $(WARN) $(OPT) $(SAN) $(CFLAGS)
LDLIBS_ALL   = $(PKG_LIBS) -lm $(LDLIBS)

# Library sources: every layer but cli/ (the command) and the embedder.
LIB_SRC   := $(sort $(shell find src -name '*.c' ! -path 'src/cli/*'))
CLI_SRC   := $(sort $(filter-out src/cli/embed.c src/cli/bench.c \
               src/cli/bench_ui.c, \
               $(wildcard src/cli/*.c)))
TEST_SRC  := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
SCENARIOS := $(sort $(wildcard scenarios/*.json))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/scenarios.o
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
ALL_OBJ   := $(LIB_OBJ) $(CLI_OBJ) $(TEST_OBJ) $(BUILD)/src/cli/bench.o \
             $(BUILD)/src/cli/bench_ui.o \
             $(FUZZ_SRC:%.c=$(BUILD)/%.o)

.PHONY: all run test check bench deps asan clean help unit fuzz fuzzers \
        valgrind
# Keep objects of pattern-rule chains (the fuzz targets) between runs.
.SECONDARY:
all: $(BUILD)/netlab $(BUILD)/netlab-bench

$(BUILD)/libnetlab.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/netlab: $(CLI_OBJ) $(BUILD)/libnetlab.a
	$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libnetlab.a $(LDLIBS_ALL)

$(BUILD)/netlab-bench: $(BUILD)/src/cli/bench.o $(BUILD)/src/cli/bench_ui.o \
    $(BUILD)/src/cli/platform.o \
    $(BUILD)/libnetlab.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/netlab-tests: $(TEST_OBJ) $(BUILD)/libnetlab.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# Fuzz targets: tests/fuzz/fuzz_NAME.c. Linked with run_corpus.c they
# replay tests/fuzz/corpus/NAME/ in `make test`; `make fuzz` links them
# with libFuzzer (clang) instead and explores for FUZZ_SECONDS each.
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BINS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o \
    $(BUILD)/tests/fuzz/run_corpus.o $(BUILD)/libnetlab.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

fuzzers: $(FUZZ_BINS)

FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build/fuzz
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang"; exit 2; }
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined" \
	    $(FUZZ_BUILD)/libnetlab.a $(FUZZ_NAMES:%=$(FUZZ_BUILD)/tests/fuzz/fuzz_%.o)
	@for t in $(FUZZ_NAMES); do \
	    clang -fsanitize=fuzzer,address,undefined -o $(FUZZ_BUILD)/lf_$$t \
	        $(FUZZ_BUILD)/tests/fuzz/fuzz_$$t.o $(FUZZ_BUILD)/libnetlab.a \
	        $(LDLIBS_ALL) || exit 1; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    cp -n tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/ 2>/dev/null; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_BUILD)/lf_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 $(FUZZ_BUILD)/corpus/$$t \
	        > $(FUZZ_BUILD)/$$t.log 2>&1; rc=$$?; \
	    grep -E 'stat::number_of_executed_units|SUMMARY' $(FUZZ_BUILD)/$$t.log; \
	    [ $$rc -eq 0 ] || { echo "fuzz_$$t failed: $(FUZZ_BUILD)/$$t.log"; exit 1; }; \
	done

# Every scenario in scenarios/ is compiled into the binary, so `netlab`
# and `netlab run NAME` work from any directory.
$(BUILD)/tools/embed: src/cli/embed.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -o $@ $<

$(BUILD)/gen/scenarios.c: $(BUILD)/tools/embed $(SCENARIOS)
	@mkdir -p $(@D)
	$(BUILD)/tools/embed $(SCENARIOS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/scenarios.o: $(BUILD)/gen/scenarios.c
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

-include $(ALL_OBJ:.o=.d)

# The test build: its own folder, sanitizers on, any UB report fatal.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g" SAN="$(ASAN_FLAGS)" \
	    build/asan/netlab build/asan/netlab-tests fuzzers

unit: asan
	ASAN_OPTIONS=detect_leaks=1 build/asan/netlab-tests

test: deps
	$(MAKE) asan
	sh tests/run.sh build/asan

check: test

run: deps
	$(MAKE) all
	$(BUILD)/netlab

# valgrind's memcheck over a plain build (it cannot run under ASan): the
# unit tests and the end-to-end command runs, no error and no leak.
VG_BUILD ?= $(BUILD)/valgrind
valgrind:
	@command -v valgrind >/dev/null 2>&1 || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    apt-get -o DPkg::Lock::Timeout=600 install -y -q \
	        --no-install-recommends valgrind || exit 1; \
	  else echo "make valgrind needs valgrind (apt-get install valgrind)"; \
	    exit 2; fi; }
	$(MAKE) BUILD=$(VG_BUILD) OPT="-O1 -g" SAN= \
	    $(VG_BUILD)/netlab $(VG_BUILD)/netlab-tests
	sh tests/valgrind.sh $(VG_BUILD)

bench:
	$(MAKE) BUILD=build/bench OPT="-O2 -DNDEBUG" build/bench/netlab \
	    build/bench/netlab-bench
	sh tests/bench.sh build/bench

# What netlab needs on a machine: a C compiler, pkg-config and make come
# first; then SDL2, SDL2_ttf and cJSON to build, tshark and Python's
# dnspython and jsonschema (Debian's python3) to test. As root on Debian
# or Ubuntu the missing ones are installed; elsewhere the exact commands
# are printed.
DEB_PKGS := pkg-config libsdl2-dev libsdl2-ttf-dev libcjson-dev tshark \
            python3 python3-dnspython python3-jsonschema fonts-dejavu-core
deps:
	@missing=""; tools=""; \
	for m in $(PKGS); do $(PKG) --exists $$m 2>/dev/null || missing="$$missing $$m"; done; \
	command -v tshark >/dev/null 2>&1 || tools="$$tools tshark"; \
	[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import dns.message, jsonschema' 2>/dev/null \
	    || python3 -c 'import dns.message, jsonschema' 2>/dev/null \
	    || tools="$$tools python3-dnspython/jsonschema"; \
	if [ -z "$$missing$$tools" ]; then exit 0; fi; \
	echo "netlab: missing:$$missing$$tools"; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "netlab: installing with apt-get"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $(DEB_PKGS); \
	    exit $$?; \
	fi; \
	echo "Install them with one of:"; \
	echo "  Debian/Ubuntu: sudo apt-get install $(DEB_PKGS)"; \
	echo "  macOS (Homebrew): brew install pkg-config sdl2 sdl2_ttf cjson wireshark && python3 -m pip install dnspython jsonschema"; \
	echo "  Windows (MSYS2 UCRT64): pacman -S mingw-w64-ucrt-x86_64-{toolchain,pkgconf,SDL2,SDL2_ttf,cjson,wireshark,python-dnspython,python-jsonschema}"; \
	if [ -n "$$missing" ]; then exit 1; fi; \
	echo "netlab: building anyway; the tests that need$$tools will be skipped"

clean:
	rm -rf build

help:
	@sed -n '1,12p' Makefile
