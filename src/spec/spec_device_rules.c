/* spec_device_rules.c - device_rules: the device cgroup's rules, OCI's
 * linux.resources.devices, as a list of words:
 *
 *     device_rules: ["deny a", "allow c 5:1 rwm", "allow c *:* m"]
 *
 * each "allow|deny TYPE [MAJOR:MINOR [ACCESS]]": TYPE a (every device),
 * c or b; MAJOR and MINOR a number or * (any; a takes only *:*); ACCESS
 * of r, w, m (default rwm).  The cgroup starts from "deny a", applies
 * these in order, then allows congo's own /dev nodes and the spec's
 * devices (rootfs_devices.c), so a rule can add a device to what the
 * container may use, never take one of congo's away.
 *
 * A rule is only an allowance: no node is made for it.  The rootfs and
 * every mount but /dev are nodev, so the image's own nodes stay dead
 * whatever is allowed; a node the container makes itself (CAP_MKNOD, an
 * "m" rule) in its /dev is what a rule opens.  congo-spec(5) says so.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

/* Where the kernel's dev_t runs out: 12 bits of major, 20 of minor. */
#define MAJOR_MAX 4095u
#define MINOR_MAX 1048575u

/* "*" (-1) or a number up to max; -2 when neither. */
static int64_t number(const char *t, size_t len, uint64_t max)
{
        char buf[16];
        uint64_t n;

        if (len == 1 && t[0] == '*')
                return -1;
        if (len == 0 || len >= sizeof buf)
                return -2;
        memcpy(buf, t, len);
        buf[len] = '\0';
        return congo_parse_uint(buf, max, &n) < 0 ? -2 : (int64_t)n;
}

/* Why text is not a rule, or NULL with *r filled. */
static const char *parse_rule(const char *text, struct congo_device_rule *r)
{
        char verb[8], type[4], nums[32], access[8];
        char extra;
        int n = sscanf(text, "%7s %3s %31s %7s %c", verb, type, nums, access, &extra);

        if (n < 2 || n > 4)
                return "is not \"allow|deny TYPE [MAJOR:MINOR [ACCESS]]\"";
        if (strcmp(verb, "allow") != 0 && strcmp(verb, "deny") != 0)
                return "does not start with allow or deny";
        r->allow = verb[0] == 'a';
        if (strlen(type) != 1 || strchr("acb", type[0]) == NULL)
                return "has a type other than a (every device), c or b";
        r->type = type[0];
        r->major = r->minor = -1;
        r->access = CONGO_DEVACC_ALL;
        if (n >= 3) {
                const char *colon = strchr(nums, ':');
                if (colon == NULL)
                        return "has no MAJOR:MINOR (a number or * each)";
                int64_t ma = number(nums, (size_t)(colon - nums), MAJOR_MAX);
                int64_t mi = number(colon + 1, strlen(colon + 1), MINOR_MAX);
                if (ma < -1 || mi < -1)
                        return "has a MAJOR:MINOR that is not * or a number (major up to 4095, minor up to 1048575)";
                if (r->type == 'a' && (ma >= 0 || mi >= 0))
                        return "gives type a (every device) numbers: only *:*";
                r->major = (int32_t)ma;
                r->minor = (int32_t)mi;
        }
        if (n == 4) {
                size_t len = strlen(access);
                if (strspn(access, "rwm") != len)
                        return "has an access other than letters of rwm";
                r->access = 0;
                for (size_t i = 0; i < len; i++)
                        r->access |= access[i] == 'm' ? CONGO_DEVACC_MKNOD :
                                     access[i] == 'r' ? CONGO_DEVACC_READ : CONGO_DEVACC_WRITE;
        }
        return NULL;
}

int congo_setl_device_rules(struct congo_spec *s, const char *path,
                            const struct congo_scalar *items, size_t n, struct congo_diag *d)
{
        struct congo_device_rule *rules = NULL;
        const char *why;

        if (n > CONGO_DEVICE_RULES_MAX)
                return BAD(d, &items[0], "%s: more than %d rules", path, CONGO_DEVICE_RULES_MAX);
        if (n > 0 && (rules = calloc(n, sizeof *rules)) == NULL)
                return -1;
        for (size_t i = 0; i < n; i++)
                if ((why = parse_rule(items[i].text, &rules[i])) != NULL) {
                        free(rules);
                        return BAD(d, &items[i], "%s: \"%s\" %s", path, items[i].text, why);
                }
        free(s->device_rules);
        s->device_rules = rules;
        s->n_device_rules = n;
        return 0;
}

/* The canonical form: every part written ("allow c 136:* rwm"). */
void congo_spec_put_device_rules(FILE *out, const struct congo_spec *s)
{
        if (s->n_device_rules == 0)
                return;
        fputs("device_rules:\n", out);
        for (size_t i = 0; i < s->n_device_rules; i++) {
                const struct congo_device_rule *r = &s->device_rules[i];
                char ma[16] = "*", mi[16] = "*";
                if (r->major >= 0)
                        snprintf(ma, sizeof ma, "%" PRId32, r->major);
                if (r->minor >= 0)
                        snprintf(mi, sizeof mi, "%" PRId32, r->minor);
                fprintf(out, "  - \"%s %c %s:%s %s%s%s\"\n", r->allow ? "allow" : "deny", r->type, ma, mi,
                        r->access & CONGO_DEVACC_READ ? "r" : "",
                        r->access & CONGO_DEVACC_WRITE ? "w" : "",
                        r->access & CONGO_DEVACC_MKNOD ? "m" : "");
        }
}
