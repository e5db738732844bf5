/* The few string and memory functions the programs use (gcc may emit calls to memcpy/memset too). */
#include "rt.h"

void *memcpy(void *d, const void *s, size_t n) {
	u8 *dp = d;
	const u8 *sp = s;
	while (n--) *dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n) {
	volatile u8 *dp = d; /* volatile: gcc must not turn this loop into a call to memset */
	while (n--) *dp++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n) {
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y) return *x - *y;
	return 0;
}

size_t strlen(const char *s) {
	size_t n = 0;
	while (s[n]) n++;
	return n;
}

int strcmp(const char *a, const char *b) {
	while (*a && *a == *b) a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
	for (; n; n--, a++, b++) {
		if (*a != *b) return (u8)*a - (u8)*b;
		if (!*a) return 0;
	}
	return 0;
}

char *strcpy2(char *d, const char *a, const char *b) {
	size_t n = strlen(a);
	memcpy(d, a, n);
	size_t m = strlen(b);
	memcpy(d + n, b, m + 1);
	return d;
}
