/*
 * A stand-in libcuda.so.1 for measuring the host side of Lethe's CUDA path on a machine
 * without a GPU. Nothing runs: every driver entry JCuda links returns CUDA_SUCCESS at once.
 * The entries below also write plausible outputs (one device, 80 GiB, compute 9.0, driver
 * 13.0, fresh addresses from a bump allocator), so CudaProbe answers, the backend starts and
 * training runs on values that are all zero. make-null-driver.sh appends a no-op for every
 * other entry JCuda's driver binding imports.
 *
 * With NULL_DRIVER_TRACE=FILE, each kernel launch writes a line to FILE: the kernel, its grid
 * and block, and every argument's bytes in hex, as many bytes as the kernel's PTX signature
 * gives the argument. Two builds that launch the same work write the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

int cuDeviceGetCount(int *n) { *n = 1; return 0; }
int cuDeviceGet(int *d, int ordinal) { *d = ordinal; return 0; }
int cuDeviceGetName(char *s, int len, int d) { snprintf(s, len, "%s", "null driver (no GPU)"); return 0; }
int cuDeviceTotalMem_v2(size_t *bytes, int d) { *bytes = (size_t) 80 << 30; return 0; }
int cuMemGetInfo_v2(size_t *free, size_t *total) { *free = (size_t) 70 << 30; *total = (size_t) 80 << 30; return 0; }
/* 75, 76: compute capability major, minor; 16: multiprocessors; 10: warp size; anything else 1024. */
int cuDeviceGetAttribute(int *v, int attribute, int d) {
    *v = attribute == 75 ? 9 : attribute == 76 ? 0 : attribute == 16 ? 132 : attribute == 10 ? 32 : 1024;
    return 0;
}
int cuDriverGetVersion(int *v) { *v = 13000; return 0; }
int cuDevicePrimaryCtxRetain(void **c, int d) { *c = (void *) 0x1000; return 0; }
int cuCtxGetCurrent(void **c) { *c = (void *) 0x1000; return 0; }
int cuStreamCreate(void **s, unsigned flags) { *s = (void *) 0x2000; return 0; }
int cuGetErrorString(int e, const char **s) { *s = "null driver"; return 0; }
int cuGetErrorName(int e, const char **s) { *s = "NULL_DRIVER"; return 0; }

static size_t next_address = (size_t) 1 << 40;
int cuMemAlloc_v2(size_t *p, size_t bytes) { *p = next_address; next_address += (bytes + 511) & ~(size_t) 511; return 0; }

/* Modules: the PTX text is kept so that a function's argument sizes can be read from it. */
#define MAX_MODULES 256
#define MAX_FUNCTIONS 4096
#define MAX_PARAMS 64
static const char *modules[MAX_MODULES];
static int module_count;
static char function_names[MAX_FUNCTIONS][128];
static int param_count[MAX_FUNCTIONS], param_bytes[MAX_FUNCTIONS][MAX_PARAMS];
static int function_count;

int cuModuleLoadData(void **m, const void *image) {
    if (module_count == MAX_MODULES) return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
    modules[module_count] = strdup((const char *) image);
    *m = (void *) (long) (0x3000 + module_count++);
    return 0;
}
int cuModuleLoadDataEx(void **m, const void *image, unsigned n, void *options, void **values) { return cuModuleLoadData(m, image); }

/*
 * The bytes of one parameter from the text after ".param" up to its comma: ".u64 x", ".f32 x",
 * ".align 4 .b8 x[132]" give 8, 4 and 132. The type is the last token starting with '.'
 * before the name; an array's size is in brackets after the name.
 */
static int param_size(const char *p, const char *end) {
    const char *bracket = memchr(p, '[', end - p);
    if (bracket) return atoi(bracket + 1);
    const char *type = NULL;
    for (const char *q = p; q < end; q++) {
        if (*q == '.' && (q == p || q[-1] == ' ' || q[-1] == '\t')) type = q;
    }
    if (!type) return 1;
    int bits = atoi(type + 2); /* ".u64" -> 64, ".f32" -> 32, ".b8" -> 8 */
    return bits >= 8 ? bits / 8 : 1;
}

int cuModuleGetFunction(void **f, void *module, const char *name) {
    char entry[160];
    snprintf(entry, sizeof entry, ".entry %s(", name);
    const char *p = strstr(modules[(long) module - 0x3000], entry);
    if (!p || function_count == MAX_FUNCTIONS) return 500; /* CUDA_ERROR_NOT_FOUND */
    int id = function_count++;
    strncpy(function_names[id], name, sizeof function_names[id] - 1);
    p += strlen(entry);
    const char *end = strchr(p, ')');
    for (const char *q; (q = strstr(p, ".param")) && q < end && param_count[id] < MAX_PARAMS; ) {
        const char *comma = strchr(q, ',');
        if (!comma || comma > end) comma = end;
        param_bytes[id][param_count[id]++] = param_size(q + 6, comma);
        p = comma;
    }
    *f = (void *) (long) (0x100000 + id);
    return 0;
}

/* Opened on the first launch; Lethe launches from one thread at a time per context. */
static FILE *trace;
static int trace_opened;

int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void *stream, void **params, void **extra) {
    if (!trace_opened) {
        trace_opened = 1;
        const char *path = getenv("NULL_DRIVER_TRACE");
        if (path) trace = fopen(path, "w");
    }
    if (!trace) return 0;
    int id = (int) ((long) f - 0x100000);
    fprintf(trace, "%s g%u,%u,%u b%u,%u,%u", function_names[id], gx, gy, gz, bx, by, bz);
    for (int k = 0; k < param_count[id]; k++) {
        const unsigned char *b = params[k];
        fputc(' ', trace);
        for (int j = 0; j < param_bytes[id][k]; j++) fprintf(trace, "%02x", b[j]);
    }
    fputc('\n', trace);
    fflush(trace);
    return 0;
}
