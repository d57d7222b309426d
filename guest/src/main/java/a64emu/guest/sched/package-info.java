/**
 * Scheduling, as Linux's {@code kernel/sched/} and {@code kernel/futex/} and arm64's
 * {@code mm/context.c} divide it: which thread runs next and the kernel's clock
 * ({@link a64emu.guest.sched.Scheduler}), futex wait queues
 * ({@link a64emu.guest.sched.Futex}), and ASIDs with generation rollover
 * ({@link a64emu.guest.sched.AsidAllocator}).
 */
package a64emu.guest.sched;
