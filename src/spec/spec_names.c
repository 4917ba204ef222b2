/* spec_names.c - finding an env variable or an annotation by name.
 *
 * The setters refuse a duplicate, so each new name is looked up among
 * those already set.  A linear scan made that n^2: a bundle whose image
 * carries 60000 Env entries or Labels (1 MiB of config.json) kept the
 * launcher busy for ten seconds before anything started.  A tsearch tree
 * (glibc's is red-black) of {name, index} makes it n log n.  Names are the
 * entries' own strdup'd strings, which never move or change; the tree is
 * caught up with entries appended without it (finish's PATH and HOME)
 * before each lookup, and dropped when one is removed.  The arrays themselves grow by doubling
 * (congo_spec_grow), not by one entry a time: realloc may copy them.
 */
#include "config.h"

#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

struct name_ref {
        const char *name;
        size_t index;
};

static int compare(const void *a, const void *b)
{
        return strcmp(((const struct name_ref *)a)->name, ((const struct name_ref *)b)->name);
}

static size_t scan(const void *base, size_t stride, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(*(char *const *)((const char *)base + i * stride), name) == 0)
                        return i;
        return n;
}

size_t congo_spec_find_name(void **root, size_t *indexed, const void *base, size_t stride,
                            size_t n, const char *name)
{
        for (; *indexed < n; (*indexed)++) {
                struct name_ref *ref = malloc(sizeof *ref);
                if (ref != NULL)
                        *ref = (struct name_ref){ *(char *const *)((const char *)base + *indexed * stride),
                                                  *indexed };
                void *node = ref ? tsearch(ref, root, compare) : NULL;
                if (node == NULL) {
                        free(ref);
                        return scan(base, stride, n, name);   /* out of memory: slow but right */
                }
                if (*(struct name_ref **)node != ref)
                        free(ref);   /* a name set twice (--set overriding): the first stays */
        }
        struct name_ref key = { name, 0 };
        void *node = tfind(&key, root, compare);
        return node ? (*(struct name_ref **)node)->index : n;
}

/* Room for entry n of an array that holds n of size bytes: its capacity
 * is always n rounded up to a power of two, so it only grows when n is
 * one (or 0).  Every append to env, annotations and kept goes through here. */
void *congo_spec_grow(void *array, size_t n, size_t size)
{
        if (n != 0 && (n & (n - 1)) != 0)
                return array;
        size_t cap = n ? 2 * n : 1;
        if (cap > SIZE_MAX / size)
                return NULL;
        return realloc(array, cap * size);
}

void congo_spec_free_names(void **root)
{
        tdestroy(*root, free);
        *root = NULL;
}

/* An entry removed (compose's NAME: ~): the indexes behind it moved and
 * its name is freed, so the tree is dropped and rebuilt at the next
 * lookup.  Removals are few; lookups are many. */
void congo_spec_forget_names(void **root, size_t *indexed)
{
        congo_spec_free_names(root);
        *indexed = 0;
}
