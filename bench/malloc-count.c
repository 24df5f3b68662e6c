/* Counts heap allocations, for `tock bench cron`'s allocations-per-next figure.
 *
 *   cc -shared -fPIC -O2 -o malloc-count.so bench/malloc-count.c
 *   LD_PRELOAD=./malloc-count.so tock bench cron --json
 *
 * Wraps glibc's allocation entry points (through the __libc_ names, so no dlsym is
 * needed) and exports tock_malloc_count(), which `tock bench` looks up with dlsym.
 * Counts per thread: the benchmark measures `next()` on one thread, and another
 * thread's allocation (the runtime's, a logger's) must not land in its window. */
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

/* The calling thread's allocations so far. */
static _Thread_local unsigned long allocations __attribute__((tls_model("initial-exec")));

unsigned long tock_malloc_count(void) { return allocations; }

void *malloc(size_t size) {
    allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    allocations++;
    return __libc_realloc(pointer, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    allocations++;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return 12; /* ENOMEM */
    *result = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}
