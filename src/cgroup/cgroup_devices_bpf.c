/* cgroup_devices_bpf.c - cgroup v2 has no devices.allow: a device access
 * (open for read or write, mknod) by a process of a cgroup runs the
 * BPF_PROG_TYPE_CGROUP_DEVICE programs attached to it and its ancestors,
 * and is refused (EPERM) unless every one returns 1.
 *
 * The program is a straight line of tests, one block per rule, as crun
 * and systemd build theirs; no libbpf, no maps, no helpers.  The rules
 * are taken last first, as runc's devicefilter does, so that the last
 * rule that matches decides; and access bit by bit, as v1's devices.allow
 * and devices.deny do: r3 holds the bits asked for and not yet granted.
 *
 *      r2 = ctx->access_type; r3 = r2 >> 16  access: 1 mknod, 2 read, 4 write
 *      r2 &= 0xffff                          device type: 1 block, 2 char
 *      r4 = ctx->major; r5 = ctx->minor
 *      if r2 != TYPE goto next               for each rule, last first
 *      if r4 != MAJOR goto next              (each test left out for "any")
 *      if r5 != MINOR goto next
 *   allow:  r3 &= ~ACCESS                    granted
 *           if r3 != 0 goto next             some bits still to find
 *           return 1
 *   deny:   r1 = r3 & ACCESS                 a bit asked for and not granted
 *           if r1 == 0 goto next             by a later rule is denied
 *           return 0
 *   next: ...
 *      return 0                              nothing allowed what is left
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_devices_bpf.h"
#include "cgroup_internal.h"
#include "cleanup.h"

#define INSN(c, d, s, o, i) \
        ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off)    INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define AND32_IMM(dst, imm)     INSN(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32_IMM(dst, imm)     INSN(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src)     INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define JNE_IMM(dst, imm, off)  INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JEQ_IMM(dst, imm, off)  INSN(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define MOV64_IMM(dst, imm)     INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define EXIT()                  INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* The tests of a rule: type, major, minor, each only where it narrows. */
static int n_tests(const struct congo_cgroup_device *r)
{
        return (r->type != 'a') + (r->type != 'a' && r->major >= 0) + (r->type != 'a' && r->minor >= 0);
}

static size_t block_len(const struct congo_cgroup_device *r)
{
        return (size_t)n_tests(r) + (r->deny ? 5 : 4);
}

size_t congo_devices_bpf_assemble(const struct congo_cgroup_device *rules, size_t n,
                                  struct bpf_insn *out, size_t cap)
{
        size_t len = 0, need = 8;

        for (size_t i = 0; i < n; i++)
                need += block_len(&rules[i]);
        if (cap < need)
                return 0;
        out[len++] = LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
        out[len++] = MOV32_REG(BPF_REG_3, BPF_REG_2);
        out[len++] = RSH32_IMM(BPF_REG_3, 16);
        out[len++] = AND32_IMM(BPF_REG_2, 0xffff);
        out[len++] = LDX_W(BPF_REG_4, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major));
        out[len++] = LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor));
        for (size_t i = n; i-- > 0;) {
                const struct congo_cgroup_device *r = &rules[i];
                int acc = r->access ? r->access : 7;
                /* The jumps skip what is left of this block. */
                short left = (short)block_len(r) - 1;
                if (r->type != 'a') {
                        int type = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
                        out[len++] = JNE_IMM(BPF_REG_2, type, left--);
                        if (r->major >= 0)
                                out[len++] = JNE_IMM(BPF_REG_4, r->major, left--);
                        if (r->minor >= 0)
                                out[len++] = JNE_IMM(BPF_REG_5, r->minor, left--);
                }
                if (r->deny) {
                        out[len++] = MOV32_REG(BPF_REG_1, BPF_REG_3);
                        out[len++] = AND32_IMM(BPF_REG_1, acc);
                        out[len++] = JEQ_IMM(BPF_REG_1, 0, 2);
                        out[len++] = MOV64_IMM(BPF_REG_0, 0);
                } else {
                        out[len++] = AND32_IMM(BPF_REG_3, ~acc & 7);
                        out[len++] = JNE_IMM(BPF_REG_3, 0, 2);
                        out[len++] = MOV64_IMM(BPF_REG_0, 1);
                }
                out[len++] = EXIT();
        }
        out[len++] = MOV64_IMM(BPF_REG_0, 0);
        out[len++] = EXIT();
        return len;
}

static int load(const struct bpf_insn *insns, size_t len)
{
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t)(uintptr_t)insns;
        attr.insn_cnt = (uint32_t)len;
        /* No helper is called: the license string matters to nobody. */
        attr.license = (uint64_t)(uintptr_t)"GPL";
        return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
}

static int attach(int cgroup_fd, int prog_fd)
{
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.target_fd = (uint32_t)cgroup_fd;
        attr.attach_bpf_fd = (uint32_t)prog_fd;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        return (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr);
}

int congo_devices_bpf_attach(struct congo_cgroup *cg, const char *dir,
                             const struct congo_cgroup_device *rules, size_t n,
                             struct congo_error *err)
{
        size_t cap = 8 + 8 * CONGO_CGROUP_DEVICES_MAX;
        _cleanup_free_ struct bpf_insn *insns = calloc(cap, sizeof *insns);

        if (insns == NULL)
                return congo_error_set(err, errno, "out of memory");
        size_t len = n > CONGO_CGROUP_DEVICES_MAX ? 0 : congo_devices_bpf_assemble(rules, n, insns, cap);
        if (len == 0)
                return congo_error_set(err, E2BIG, "more than %d device rules", CONGO_CGROUP_DEVICES_MAX);
        if (cg->plan) {
                fprintf(cg->plan, "   attach a device program (%zu rules, %zu instructions) to %s\n",
                        n, len, dir);
                return 0;
        }
        _cleanup_close_ int prog = load(insns, len);
        if (prog < 0)
                return congo_error_set(err, errno, "loading the device allowlist (BPF_PROG_TYPE_CGROUP_DEVICE)");
        _cleanup_close_ int cgfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (cgfd < 0)
                return congo_error_set(err, errno, "opening %s", dir);
        /* The cgroup keeps the program; it goes when the cgroup does. */
        if (attach(cgfd, prog) < 0)
                return congo_error_set(err, errno, "attaching the device allowlist to %s", dir);
        return 0;
}
