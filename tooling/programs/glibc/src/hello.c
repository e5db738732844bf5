/* The README's first program: glibc's printf, argv and the environment, statically linked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
	printf("hello, world\n");
	printf("argc %d, argv[0] %s\n", argc, argv[0]);
	const char *lang = getenv("LANG");
	printf("LANG=%s\n", lang ? lang : "(unset)");
	char *copy = malloc(64);
	strcpy(copy, "malloc works");
	puts(copy);
	free(copy);
	return 0;
}
