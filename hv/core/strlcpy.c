/* SPDX-License-Identifier: MIT */
/* A bounded string copy that always terminates and reports truncation. */
#include <hv/string.h>

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
