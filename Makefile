# SPDX-License-Identifier: ISC
# superd - plain Makefile; pkg-config finds the libraries.
#   make            build build/superd
#   make check      install missing packages, build, run every test
#   make check SANITIZE=1   the same under ASan+UBSan (in build-san/)
#   make WERROR=1   warnings are errors (the default of `make check`)
#   make run        build and serve examples/inetd.conf on loopback ports
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR	?=

# Linked: what the daemon uses.  DLPKGS (and libwrap) are only compiled
# against: dynlib.c opens them when first needed, by the soname read here.
LINKPKGS = libevent libconfuse libcap jansson
DLPKGS	= libnftables libtirpc
PKGS	= $(LINKPKGS) $(DLPKGS)
soname	= $(shell objdump -p $$($(CC) -print-file-name=lib$(1).so) 2>/dev/null | \
	sed -n 's/^ *SONAME *//p')
TESTPKGS = cmocka
# Debian packages: the -dev libraries and what the tests drive.
DEB_PKGS = pkg-config gcc make libevent-dev libconfuse-dev libcap-dev \
	libjansson-dev libcmocka-dev libwrap0-dev iproute2 netcat-openbsd socat \
	tftpd-hpa tftp-hpa procps psmisc mandoc nmap jq clang \
	libclang-rt-14-dev valgrind prometheus debhelper dpkg-dev tcpd \
	libtirpc-dev rpcbind rusers python3 strace

ifeq ($(SANITIZE),1)
B	= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
else
B	= build
SANFLAGS = -D_FORTIFY_SOURCE=2
endif

# Warnings are errors for developers and CI (make WERROR=1, the default of
# `make check` and .ci/run), not for distribution builds: a new compiler's
# warning must not break a package build.
ifneq ($(filter check,$(MAKECMDGOALS)),)
WERROR	?= 1
endif
WERROR	?= 0
ifeq ($(WERROR),1)
WFLAGS	= -Werror
endif

CC	?= cc
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WFLAGS) -Wshadow -Wformat=2 \
	-fstack-protector-strong -fPIE $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ifeq ($(STATIC),1)
# make STATIC=1: one static-pie binary for embedded targets, against
# Debian's static libevent, libconfuse, libcap and jansson.  A static
# binary cannot dlopen: TCP wrappers, RPC services and the audit's reading
# of the nftables ruleset are built out (refused or reported as missing).
$(info STATIC=1: built without TCP wrappers, RPC services and the nftables ruleset in the audit (a static binary cannot load libwrap, libtirpc, libnftables))
B	= build-static
CFLAGS	+= -DSUPERD_STATIC
LDFLAGS	+= -static-pie -Wl,-z,relro,-z,now $(SANFLAGS)
LIBS	= $(shell pkg-config --static --libs $(LINKPKGS) 2>/dev/null)
else
LDFLAGS	+= -pie -Wl,-z,relro,-z,now $(SANFLAGS)
LIBS	= -Wl,--as-needed $(shell pkg-config --libs $(LINKPKGS) 2>/dev/null)
ifeq ($(SANITIZE),1)
# ASan's xdr_* interceptors find the real functions when the sanitizer
# starts; glibc has no SunRPC, so a libtirpc opened later ran them as
# NULL (the RPC child crashed).  The sanitizer build links it at start.
LIBS	+= -Wl,--no-as-needed -ltirpc
endif
CFLAGS	+= -DWRAP_SONAME='"$(or $(call soname,wrap),libwrap.so.0)"' \
	-DRPC_SONAME='"$(or $(call soname,tirpc),libtirpc.so.3)"' \
	-DNFT_SONAME='"$(or $(call soname,nftables),libnftables.so.1)"'
endif
TESTLIBS = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

LIBSRC	= $(filter-out src/superd.c,$(wildcard src/*.c))
LIBOBJ	= $(LIBSRC:src/%.c=$(B)/%.o)
UNITSRC	= $(wildcard tests/unit/test_*.c)
UNITBIN	= $(UNITSRC:tests/unit/%.c=$(B)/tests/%)
HELPSRC	= $(wildcard tests/helpers/*.c)
HELPBIN	= $(HELPSRC:tests/helpers/%.c=$(B)/helpers/%)

all: $(B)/superd $(HELPBIN)

$(B)/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(B)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libsuperd.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/superd: $(B)/superd.o $(B)/libsuperd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Each unit test may list wrapped symbols on a "// WRAP: sym sym" line.
$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libsuperd.a
	@mkdir -p $(B)/tests
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(B)/libsuperd.a \
	    $(patsubst %,-Wl$(comma)--wrap=%,$(shell sed -n 's,^// WRAP:,,p' $<)) \
	    $(LIBS) $(TESTLIBS)
comma := ,

# Test helpers run as services (some in a chroot): never sanitized.
$(B)/helpers/%: tests/helpers/%.c
	@mkdir -p $(B)/helpers
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra $(WFLAGS) -o $@ $<

# Install what a fresh Debian machine lacks, only when something is missing.
deps:
	@missing=0; \
	for p in $(PKGS) $(TESTPKGS); do \
	    pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	[ -e /usr/include/tcpd.h ] || missing=1; \
	for c in nc socat in.tftpd tftp ip ss mandoc nmap fuser jq dh \
	    dpkg-buildpackage tcpd promtool rpcbind rpcinfo rusers python3 \
	    strace; do \
	    command -v $$c >/dev/null 2>&1 || [ -x /usr/sbin/$$c ] || missing=1; done; \
	if [ $$missing = 1 ]; then \
	    echo "deps: installing $(DEB_PKGS)"; \
	    if [ ! -e /usr/sbin/policy-rc.d ]; then \
	        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; \
	        chmod +x /usr/sbin/policy-rc.d; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $(DEB_PKGS); \
	fi
	@# rpc.rusersd for test_rpc.sh: its package needs an installed inetd,
	@# so it is fetched and unpacked under build/debs, not installed.
	@[ -x build/debs/usr/sbin/rpc.rusersd ] || { mkdir -p build/debs && \
	    cd build/debs && apt-get download -qq rusersd 2>/dev/null && \
	    dpkg-deb -x rusersd_*.deb . ; } || \
	    echo "deps: rusersd not fetched: test_rpc.sh will skip"

unit: $(UNITBIN)
	@fail=0; for t in $(UNITBIN); do \
	    echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(B)/superd $(HELPBIN)
	@SUPERD=$(CURDIR)/$(B)/superd HELPERS=$(CURDIR)/$(B)/helpers \
	    tests/e2e/run-all.sh

# Arrows between source files point one way: a new circle of files that
# call each other fails (tests/structure/circles.allow lists the known ones);
# no file over 1,000 lines (sizes.allow lists those still to split), no
# function over 100, no prototype in superd.h of a function one file uses.
structure:
	python3 tests/structure/callgraph.py
	python3 tests/structure/sizes.py

# The man pages must be clean of mandoc warnings and errors.
lint-man:
	mandoc -Tlint -Wwarning man/*.[0-9]

# libFuzzer harnesses of every parser (clang); FUZZ_SECONDS each.
FUZZ_SECONDS ?= 30
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

check: deps
	$(MAKE) all WERROR=$(WERROR)
	$(MAKE) lint-man
	$(MAKE) structure
	$(MAKE) unit WERROR=$(WERROR)
	$(MAKE) e2e WERROR=$(WERROR)

# Its control socket is $(B)/control, not the host's /run/superd/control.
run: deps
	$(MAKE) all
	$(B)/superd -f -p - -c examples/inetd.conf --control $(B)/control

# Side-by-side speed figures against the peers (see bench/README.md).
bench: deps
	$(MAKE) all
	$(MAKE) STATIC=1 build-static/superd || echo "bench: no static build"
	SUPERD=$(CURDIR)/$(B)/superd SUPERD_STATIC=$(CURDIR)/build-static/superd \
	    bench/run.sh

# The same run for two builds: make bench-before-after BEFORE=COMMIT builds
# that commit in a git worktree under /tmp and measures it beside this one.
bench-before-after: deps
	$(MAKE) all
	SUPERD=$(CURDIR)/$(B)/superd bench/before-after.sh $(BEFORE)

install: $(B)/superd
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(PREFIX)/share/doc/superd/examples
	install -m 755 $(B)/superd $(DESTDIR)$(SBINDIR)/superd
	install -m 644 man/superd.8 $(DESTDIR)$(MANDIR)/man8/superd.8
	if [ -f man/superd.conf.5 ]; then install -m 644 man/superd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/superd.conf.5; fi
	install -m 644 examples/* $(DESTDIR)$(PREFIX)/share/doc/superd/examples/
	$(MAKE) install-etc

# The default config (never over an existing one), the init script and its
# defaults, and the systemd unit, with the installed binary's path.
UNITDIR ?= $(PREFIX)/lib/systemd/system
install-etc:
	install -d $(DESTDIR)$(SYSCONFDIR)/superd.d $(DESTDIR)$(SYSCONFDIR)/init.d \
	    $(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(UNITDIR)
	[ -e $(DESTDIR)$(SYSCONFDIR)/superd.conf ] || \
	    install -m 644 etc/superd.conf $(DESTDIR)$(SYSCONFDIR)/superd.conf
	install -m 644 etc/superd.d/README $(DESTDIR)$(SYSCONFDIR)/superd.d/README
	sed 's,/usr/sbin/superd,$(SBINDIR)/superd,g' etc/init.d/superd \
	    >$(DESTDIR)$(SYSCONFDIR)/init.d/superd
	chmod 755 $(DESTDIR)$(SYSCONFDIR)/init.d/superd
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/superd ] || \
	    install -m 644 etc/default/superd $(DESTDIR)$(SYSCONFDIR)/default/superd
	sed 's,/usr/sbin/superd,$(SBINDIR)/superd,g' etc/superd.service \
	    >$(DESTDIR)$(UNITDIR)/superd.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/superd $(DESTDIR)$(MANDIR)/man8/superd.8 \
	    $(DESTDIR)$(MANDIR)/man5/superd.conf.5
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/superd
	rm -f $(DESTDIR)$(SYSCONFDIR)/init.d/superd $(DESTDIR)$(UNITDIR)/superd.service

clean:
	rm -rf build build-san build-fuzz build-static

.PHONY: all deps unit e2e check run bench bench-before-after install install-etc uninstall clean lint-man fuzz structure
