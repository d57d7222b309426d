/* A thread keeps running while another waits for standard input, as on Linux:
 * the worker finishes its work and says so before main's read returns. The
 * main thread reads its standard input to the end, then joins the worker. The
 * output is the same whenever the input arrives; a test feeds the input only
 * after the worker's line has appeared, which under an emulator that blocks
 * everything in a read would never happen. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;

static void *worker(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < 2000000; i++) sink += i;
    const char line[] = "worker: done while main waits for input\n";
    write(1, line, sizeof line - 1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    char buf[256];
    size_t total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) total += (size_t)n;
    pthread_join(t, NULL);
    char out[64];
    int len = snprintf(out, sizeof out, "main: read %zu bytes, then joined the worker\n", total);
    write(1, out, (size_t)len);
    return 0;
}
