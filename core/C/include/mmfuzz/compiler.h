/* Types, attributes and the compiler macros of include/linux/compiler*.h, types.h, kernel.h. */
#ifndef MMFUZZ_COMPILER_H
#define MMFUZZ_COMPILER_H

/* The configuration the model stands for. */
#define CONFIG_MEMCG 1
#define CONFIG_TRANSPARENT_HUGEPAGE 1
#define CONFIG_DEBUG_VM 1
#define CONFIG_DEBUG_LIST 1
#define CONFIG_MMU 1
#define CONFIG_64BIT 1
#define CONFIG_SMP 1
#define CONFIG_NUMA 1
#define CONFIG_MEMCG_V1 1
#define __KERNEL__ 1
#define BITS_PER_LONG 64

/* Markers the translator reads (annotations survive into the AST). */
#define __mmfuzz_port __attribute__((annotate("mmfuzz_port")))
#define __mmfuzz_private __attribute__((annotate("mmfuzz_private")))

typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned long uintptr_t;
typedef unsigned int gfp_t;
typedef unsigned long pgoff_t;
typedef unsigned long pgprot_t;
typedef int vm_fault_t;

/* DUPLICATED attributes and hints: meaningless to the engine. */
#define inline inline
#define __always_inline inline
#define noinline
#define __init
#define __exit
#define __initdata
#define __read_mostly
#define __ro_after_init
#define __maybe_unused __attribute__((unused))
#define __must_check
#define __cold
#define __weak
#define __rcu
#define __percpu
#define __user
#define __iomem
#define __force
#define __aligned(x) __attribute__((aligned(x)))
#define __packed __attribute__((packed))
#define notrace
#define likely(x) (x)
#define unlikely(x) (x)
#define barrier() do { } while (0)
#define smp_mb() do { } while (0)
#define smp_rmb() do { } while (0)
#define smp_wmb() do { } while (0)
#define smp_mb__after_atomic() do { } while (0)
#define smp_mb__before_atomic() do { } while (0)
#define fallthrough do { } while (0)
#define BUILD_BUG_ON(cond) do { } while (0)
#define static_assert(...)
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define __setup(str, fn)
#define early_param(str, fn)
#define late_initcall(fn)
#define subsys_initcall(fn)
#define core_initcall(fn)
#define module_init(fn)
#define IS_ENABLED(option) (option + 0)

/*
 * DUPLICATED with the kernel's meaning (include/asm-generic/rwonce.h): a volatile access, which the
 * translator marks READ_ONCE/WRITE_ONCE for the race detector. data_race() (include/linux/compiler.h)
 * marks every access of its argument as an intentional race.
 */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
long __mmfuzz_data_race(long v);
#define data_race(expr) ((__typeof__(expr))__mmfuzz_data_race((long)(expr)))

#define offsetof(type, member) __builtin_offsetof(type, member)
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define swap(a, b) do { __typeof__(a) __mmfuzz_tmp = (a); (a) = (b); (b) = __mmfuzz_tmp; } while (0)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define BIT(nr) (1UL << (nr))

/* Error numbers (include/uapi/asm-generic/errno-base.h). */
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define EAGAIN 11
#define ENOMEM 12
#define EBUSY 16
#define EINVAL 22

/*
 * BUG and WARN (include/asm-generic/bug.h, include/linux/mmdebug.h): the translator reports the
 * kernel's message with this file and line; a BUG stops the CPU, a WARN reports and stops the run
 * (the first bug of an execution is what a hunt records).
 */
void __mmfuzz_bug(const char *what, const void *obj);
void __mmfuzz_warn(const char *what, const void *obj);
int __mmfuzz_warn_on(int cond, const char *what, const void *obj);
#define BUG() __mmfuzz_bug("BUG()", NULL)
#define BUG_ON(cond) do { if (cond) __mmfuzz_bug("BUG_ON(" #cond ")", NULL); } while (0)
#define WARN_ON(cond) __mmfuzz_warn_on(!!(cond), "WARN_ON(" #cond ")", NULL)
#define WARN_ON_ONCE(cond) __mmfuzz_warn_on(!!(cond), "WARN_ON_ONCE(" #cond ")", NULL)
#define WARN(cond, ...) __mmfuzz_warn_on(!!(cond), "WARN(" #cond ")", NULL)
#define WARN_ONCE(cond, ...) __mmfuzz_warn_on(!!(cond), "WARN_ONCE(" #cond ")", NULL)
#define VM_BUG_ON(cond) BUG_ON(cond)
#define VM_BUG_ON_PAGE(cond, page) do { if (cond) __mmfuzz_bug("VM_BUG_ON_PAGE(" #cond ")", page); } while (0)
#define VM_BUG_ON_FOLIO(cond, folio) do { if (cond) __mmfuzz_bug("VM_BUG_ON_FOLIO(" #cond ")", folio); } while (0)
#define VM_WARN_ON(cond) (void)WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond) (void)WARN_ON_ONCE(cond)
#define VM_WARN_ON_FOLIO(cond, folio) do { if (cond) __mmfuzz_warn("VM_WARN_ON_FOLIO(" #cond ")", folio); } while (0)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) VM_WARN_ON_FOLIO(cond, folio)
#define lockdep_assert_held(l) do { } while (0)
#define might_sleep() do { } while (0)
#define cond_resched() do { } while (0)

#endif
