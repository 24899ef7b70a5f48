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

# Test programs: each area lists its own in tests/*.mk as TESTS += name.
TESTS :=
include $(sort $(wildcard tests/*.mk))
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)
TEST_SCRIPTS := $(sort $(wildcard tools/ipckit/*_test.sh))

.PHONY: all lib test sanitize bench install clean format
all: lib $(BUILD)/ipckit
lib: $(BUILD)/libipckit.a $(BUILD)/libipckit.so

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(BUILD)/libipckit.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libipckit.so: $(LIB_PIC)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libipckit.so.0 -o $@ $^ $(LDLIBS)

# Tests link the static library, so they run from the tree as they are.
$(BUILD)/tests/%: tests/%.c $(BUILD)/tests/helpers.o $(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -o $@ $< $(BUILD)/tests/helpers.o \
		$(BUILD)/libipckit.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/helpers.o: tests/helpers.c tests/helpers.h include/ipckit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -c -o $@ $<

$(BUILD)/ipckit: $(wildcard tools/ipckit/*.c) $(BUILD)/libipckit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itools/ipckit -o $@ \
		$(sort $(wildcard tools/ipckit/*.c)) $(BUILD)/libipckit.a \
		$(LDFLAGS) $(LDLIBS) -lm

test: all $(TEST_BINS)
	IPCKIT_BIN=$(abspath $(BUILD)) tests/run $(TEST_BINS) $(TEST_SCRIPTS)

sanitize:
	$(MAKE) BUILD=build/san SAN=1 test

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
