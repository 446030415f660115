/* SPDX-License-Identifier: ISC */
/*
 * The service every peer runs for the exec benchmark: write a line, exit.
 *
 * Built two ways (bench/run.sh):
 *   hello       -nostdlib -static, where the raw system calls below exist
 *               (x86_64, aarch64): nothing runs but the two system calls, so
 *               the figures measure the super-server, not the program;
 *   hello-libc  -DHELLO_LIBC -static: a glibc program.  glibc's start-up
 *               reads the CPU's features and caches with CPUID, which a
 *               hypervisor may trap; on the 2-core VMs this was measured on
 *               that costs about 0.5 ms per exec (perf: intel_check_word,
 *               handle_intel), more than any super-server's own work.
 */
#if defined(HELLO_LIBC) || !(defined(__x86_64__) || defined(__aarch64__))
#include <unistd.h>

int
main(void)
{
	static const char msg[] = "hello\n";
	ssize_t n = write(1, msg, sizeof msg - 1);

	_exit(n == (ssize_t)(sizeof msg - 1) ? 0 : 1);
}
#else
static long
hello_sys(long n, long a, long b, long c)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#endif
}

#if defined(__x86_64__)
#define HELLO_WRITE 1
#define HELLO_EXIT 231
#else
#define HELLO_WRITE 64
#define HELLO_EXIT 94
#endif

void
_start(void)
{
	static const char msg[] = "hello\n";
	long n = hello_sys(HELLO_WRITE, 1, (long)msg, sizeof msg - 1);

	hello_sys(HELLO_EXIT, n == (long)(sizeof msg - 1) ? 0 : 1, 0, 0);
	for (;;)
		;
}
#endif
