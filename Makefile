# ipckit - one plain GNU Makefile.
#
#   make            libipckit.so, libipckit.a, libipckit-preload.so, ipckit
#   make test       every test, on every back end it supports
#   make sanitize   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      the benchmark programs
#   make install    PREFIX=/usr/local DESTDIR=
#
# Everything is built under $(BUILD) (build/, or build/san for sanitize).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
VERSION := 0.1.0

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -fvisibility=hidden -Iinclude -Isrc
CPPFLAGS += -D_GNU_SOURCE
LDLIBS   += -lpthread

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# The library, one job per file (see each file's opening comment).
LIB_SRCS := \
	src/futex.c \
	src/handle.c \
	src/inspect.c \
	src/lock.c \
	src/msg.c \
	src/ns.c \
	src/obj.c \
	src/proc.c \
	src/reap.c \
	src/sem.c \
	src/shm.c \
	src/util.c

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_PIC  := $(LIB_SRCS:%.c=$(BUILD)/pic/%.o)

# The benchmark (bench/), linked into `ipckit bench` and ipckit-bench.
BENCH_SRCS := \
	bench/driver.c \
	bench/mech-fifo.c \
	bench/mech-futex.c \
	bench/mech-ipckit-msg.c \
	bench/mech-ipckit-sem.c \
	bench/mech-ipckit-shm.c \
	bench/mech-pipe.c \
	bench/mech-posix-mq.c \
	bench/mech-sysv-msg.c \
	bench/mech-sysv-sem.c \
	bench/mech-sysv-shm.c \
	bench/mech-tcp.c \
	bench/mech-unix-dgram.c \
	bench/mech-unix-stream.c \
	bench/registry.c \
	bench/report.c \
	bench/run.c \
	bench/stats.c \
	bench/svg.c \
	bench/tree.c \
	bench/util.c
BENCH_OBJS   := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
BENCH_LDLIBS := -lrt -lm

# Boost.Interprocess is a peer in the benchmark when a C++ compiler and
# its headers are there (Debian libboost-dev); skipped with a note if not.
CXX        ?= c++
WARN_CXX   := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CXXFLAGS   ?= -O2 -g
HAVE_BOOST := $(shell command -v $(CXX) >/dev/null 2>&1 && \
		test -d /usr/include/boost/interprocess && echo 1)
ifeq ($(HAVE_BOOST),1)
BENCH_OBJS   += $(BUILD)/bench/mech-boost.o
BENCH_LDLIBS += -lstdc++
$(BUILD)/bench/registry.o: CPPFLAGS += -DBENCH_HAVE_BOOST
endif
ifeq ($(SAN),1)
CXXFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
endif

# Test programs: each area lists its own in tests/*.mk as TESTS += name.
TESTS :=
include $(sort $(wildcard tests/*.mk))
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)
TEST_SCRIPTS := $(sort $(wildcard tools/ipckit/*_test.sh tests/*.sh)) \
	bench/verify_test.sh bench/idle_cpu_test.sh examples/run_test.sh \
	tests/fuzz/fuzz_test.sh

# The preload library as LD_PRELOAD takes it, for tests/run --preload and
# the tests/preload-*.sh scripts. Under the sanitizers their runtime must
# come first in the initial library list, before the instrumented library.
PRELOAD := $(abspath $(BUILD))/libipckit-preload.so
ifeq ($(SAN),1)
PRELOAD := $(shell $(CC) -print-file-name=libasan.so) $(PRELOAD)
endif

# Examples (examples/README.md): each builds plain, on the kernel's System V
# calls (NAME), and, when it uses System V IPC, with -DUSE_IPCKIT against
# libipckit.a (NAME-ipckit). pipe and the FIFO pair use no System V call.
EXAMPLES := \
	bank-client \
	bank-load \
	bank-server \
	bounded-buffer \
	fifo-client \
	fifo-server \
	philosophers \
	pipe \
	sem-basic \
	shm-client \
	shm-fork \
	shm-ring-file \
	shm-server
EXAMPLES_IPCKIT := $(filter-out fifo-client fifo-server pipe,$(EXAMPLES))
EXAMPLE_BINS := $(EXAMPLES:%=$(BUILD)/examples/%) \
	$(EXAMPLES_IPCKIT:%=$(BUILD)/examples/%-ipckit)
EXAMPLE_HDRS := examples/sysv.h examples/bank.h examples/common.h \
	include/ipckit.h

.PHONY: all lib examples test sanitize bench demo fuzz install clean format
all: lib $(BUILD)/ipckit examples
lib: $(BUILD)/libipckit.a $(BUILD)/libipckit.so $(BUILD)/libipckit-preload.so

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# initial-exec TLS: the shared libraries' thread-locals are a few dozen
# bytes, well inside glibc's static TLS surplus, and __tls_get_addr on every
# access would cost the preload library a tenth of a round trip.
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -ftls-model=initial-exec -MMD -MP \
		-c -o $@ $<

$(BUILD)/libipckit.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libipckit.so: $(LIB_PIC)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libipckit.so.0 -o $@ $^ $(LDLIBS)

# The preload library (docs/PRELOAD.md): the library and src/preload.c,
# exporting only the names src/preload.map lists. --wrap=syscall routes the
# library's syscall() through preload.c, which marks futex waits for its
# re-entry guard.
$(BUILD)/libipckit-preload.so: $(LIB_PIC) $(BUILD)/pic/src/preload.o \
		src/preload.map
	$(CC) $(LDFLAGS) -shared -Wl,--version-script=src/preload.map \
		-Wl,--wrap=syscall -o $@ $(LIB_PIC) $(BUILD)/pic/src/preload.o \
		$(LDLIBS)

# A library that preload-deepbind and preload-dlopen-origin dlopen.
$(BUILD)/tests/preload-deepbind-lib.so: tests/preload-deepbind-lib.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< $(LDFLAGS)

# The kill torture harness (docs/RELIABILITY.md); tests/torture-short.sh
# runs it for about 40 s in make test, `torture --seconds N` runs longer.
$(BUILD)/torture: tests/torture/torture.c $(BUILD)/tests/helpers.o \
		$(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -MMD -MP -o $@ $< \
		$(BUILD)/tests/helpers.o $(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

# Tests link the static library, so they run from the tree as they are.
$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/helpers.o $(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -MMD -MP -o $@ $< \
		$(BUILD)/tests/helpers.o \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/helpers.o: tests/helpers.c tests/helpers.h include/ipckit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -c -o $@ $<

$(BUILD)/bench/mech-boost.o: bench/mech-boost.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -std=gnu++20 $(CXXFLAGS) $(WARN_CXX) -Iinclude \
		-MMD -MP -c -o $@ $<

$(BUILD)/ipckit-bench: $(BUILD)/bench/main.o $(BENCH_OBJS) $(BUILD)/libipckit.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(BENCH_LDLIBS)

$(BUILD)/ipckit: $(wildcard tools/ipckit/*.c tools/ipckit/*.h) $(BENCH_OBJS) \
		$(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itools/ipckit -Ibench -o $@ \
		$(sort $(wildcard tools/ipckit/*.c)) $(BENCH_OBJS) \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS) $(BENCH_LDLIBS)

# Kernel, ipckit_ calls and the preload library side by side (issue 6).
BENCH_STANDALONE := bench/stats.c bench/tree.c
$(BUILD)/bench/preload-ratio: bench/preload-ratio.c $(BENCH_STANDALONE) \
		$(BUILD)/libipckit.a $(BUILD)/libipckit-preload.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BENCH_STANDALONE) \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

# A blocked waiter's CPU time while nothing arrives (issue 3).
$(BUILD)/bench/idle-cpu: bench/idle-cpu.c $(BENCH_STANDALONE) \
		$(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BENCH_STANDALONE) \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

bench: $(BUILD)/ipckit $(BUILD)/bench/preload-ratio $(BUILD)/bench/idle-cpu
	$(BUILD)/ipckit bench

demo: all
	tools/demo.sh $(BUILD)

$(BUILD)/examples/%-ipckit: examples/%.c $(EXAMPLE_HDRS) $(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_IPCKIT -Iexamples -o $@ $< \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/examples/%: examples/%.c $(EXAMPLE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Iexamples -o $@ $< $(LDFLAGS) $(LDLIBS)

examples: $(EXAMPLE_BINS)

test: all $(TEST_BINS) $(BUILD)/ipckit-bench $(BUILD)/torture \
		$(BUILD)/bench/idle-cpu $(BUILD)/tests/preload-deepbind-lib.so
	IPCKIT_BIN=$(abspath $(BUILD)) IPCKIT_PRELOAD="$(PRELOAD)" \
		tests/run --preload "$(PRELOAD)" $(TEST_BINS) $(TEST_SCRIPTS)

sanitize:
	$(MAKE) BUILD=build/san SAN=1 test

# The object-file fuzzer (tests/fuzz/, docs/RELIABILITY.md section 5):
# clang with libFuzzer, ASan and UBSan; not part of `all`. make test runs a
# bounded session through tests/fuzz/fuzz_test.sh; this is the long run.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 3600
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
		-fsanitize=fuzzer,address,undefined
FUZZ_DEFS    := $(if $(filter src/inspect.c,$(LIB_SRCS)),-DFUZZ_INSPECT)

$(BUILD)/fuzz/fuzz-objects: tests/fuzz/fuzz_objects.c $(LIB_SRCS) \
		$(wildcard src/*.h) include/ipckit.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(WARN) -Iinclude -Isrc $(FUZZ_DEFS) \
		$(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_objects.c $(LIB_SRCS) \
		$(LDLIBS)

fuzz: $(BUILD)/fuzz/fuzz-objects
	tests/fuzz/fuzz_test.sh --bin $< --seconds $(FUZZ_SECONDS) --budget 0 \
		--artifacts $(BUILD)/fuzz/out

install: all
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 include/ipckit.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/libipckit.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libipckit.so \
		$(DESTDIR)$(PREFIX)/lib/libipckit.so.$(VERSION)
	ln -sf libipckit.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libipckit.so.0
	ln -sf libipckit.so.0 $(DESTDIR)$(PREFIX)/lib/libipckit.so
	install -m 755 $(BUILD)/libipckit-preload.so $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/ipckit $(DESTDIR)$(PREFIX)/bin/
	[ ! -f docs/ipckit.1 ] || \
		install -m 644 docs/ipckit.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		ipckit.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ipckit.pc

format:
	clang-format -i include/*.h src/*.[ch] tests/*.[ch] tools/ipckit/*.[ch]

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
