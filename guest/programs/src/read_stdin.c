/* Reads its standard input to the end, through stdio's buffered reads (read(2)
 * on fd 0), and reports what came in: lines, words and bytes as wc(1) counts
 * them, a checksum, and the first line backwards. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char first[256] = "";
    size_t first_len = 0;
    int in_first = 1, in_word = 0;
    unsigned long lines = 0, words = 0, bytes = 0;
    uint32_t checksum = 0;
    int c;
    while ((c = getchar()) != EOF) {
        bytes++;
        checksum = checksum * 31 + (unsigned char) c;
        if (c == '\n') {
            lines++;
            in_first = 0;
        } else if (in_first && first_len < sizeof first - 1) {
            first[first_len++] = (char) c;
        }
        if (isspace(c)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    first[first_len] = '\0';
    printf("%lu lines, %lu words, %lu bytes, checksum %08x\n", lines, words, bytes, checksum);
    for (size_t i = 0, j = first_len; i < j / 2; i++) {
        char t = first[i];
        first[i] = first[j - 1 - i];
        first[j - 1 - i] = t;
    }
    printf("first line backwards: \"%s\"\n", first);
    return ferror(stdin) ? 1 : 0;
}
