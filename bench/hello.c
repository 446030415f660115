/* The service every peer runs for the exec benchmark: write a line, exit.
 * Built static when the C library allows it, so exec costs no dynamic
 * loading and every peer pays the same for the program itself. */
#include <unistd.h>

int main(void)
{
	static const char msg[] = "hello\n";
	ssize_t n = write(1, msg, sizeof msg - 1);
	_exit(n == (ssize_t)(sizeof msg - 1) ? 0 : 1);
}
