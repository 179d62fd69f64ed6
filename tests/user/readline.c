/*
 * readline - read one line from standard input (the console tty when run
 * from the kernel console) and say what it was.
 *
 * Expect: "readline: waiting" on fd 1; then, for a line typed, "readline:
 * got [LINE]" and exit 0; at end of file "readline: end of file" and
 * exit 1; after a read error "readline: error N" and exit 2.
 */

#include "lib/ulib.h"

int
main(int argc, char **argv, char **envp)
{
	char line[128];
	size_t len = 0;

	(void)argc;
	(void)argv;
	(void)envp;
	printf("readline: waiting\n");
	while (len < sizeof(line) - 1) {
		long n = ulib_syscall3(0, 0, line + len, sizeof(line) - 1 - len);	/* read */

		if (n < 0) {
			printf("readline: error %ld\n", -n);
			return 2;
		}
		if (n == 0) {
			printf("readline: end of file\n");
			return 1;
		}
		len += (size_t)n;
		if (line[len - 1] == '\n') {
			len--;
			break;
		}
	}
	line[len] = '\0';
	printf("readline: got [%s]\n", line);
	return 0;
}
