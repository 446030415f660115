/* SPDX-License-Identifier: ISC */
/*
 * System calls for a child that still runs in the daemon's memory.
 *
 * A child started with CLONE_VM shares the daemon's memory, and the daemon
 * goes on running beside it until the child's exec.  The child may
 * therefore write nothing the daemon reads, and libc's errno is exactly
 * such a word: the child shares the daemon's thread pointer, so a failing
 * libc wrapper in the child would overwrite the daemon's errno between a
 * failed call and its check.  rawsys() returns -errno instead and touches
 * no memory but the kernel's arguments.
 *
 * RAWSYS_DIRECT is 1 where the instruction is written out here; elsewhere
 * rawsys() goes through syscall(3), and the spawner must then use
 * CLONE_VFORK so the daemon is stopped while the child runs.
 */
#ifndef SUPERD_RAWSYS_H
#define SUPERD_RAWSYS_H

#include <sys/syscall.h>
#include <errno.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RAWSYS_DIRECT 1
static inline long
rawsys(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define RAWSYS_DIRECT 1
static inline long
rawsys(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#else
#define RAWSYS_DIRECT 0
static inline long
rawsys(long n, long a, long b, long c, long d, long e)
{
	long ret = syscall(n, a, b, c, d, e);

	return ret == -1 ? -errno : ret;
}
#endif

/* Shorthands by argument count. */
#define RAWSYS0(n) rawsys((n), 0, 0, 0, 0, 0)
#define RAWSYS1(n, a) rawsys((n), (long)(a), 0, 0, 0, 0)
#define RAWSYS2(n, a, b) rawsys((n), (long)(a), (long)(b), 0, 0, 0)
#define RAWSYS3(n, a, b, c) rawsys((n), (long)(a), (long)(b), (long)(c), 0, 0)
#define RAWSYS4(n, a, b, c, d) \
	rawsys((n), (long)(a), (long)(b), (long)(c), (long)(d), 0)

#endif
