/**
 * The Java guest kernel: plays Linux under a static AArch64 program and every process
 * and thread it creates.
 *
 * <p>{@link a64emu.guest.Kernel} execs the first program and runs the exception loop,
 * switching threads on the one emulated core; {@link a64emu.guest.Process} is a thread
 * group (address space, files, handlers, parent and children) and
 * {@link a64emu.guest.Task} a thread (registers, tid, signal mask); {@link a64emu.guest.Fork}
 * (kernel/fork.c), {@link a64emu.guest.Exec} (fs/exec.c) and {@link a64emu.guest.Exit}
 * (kernel/exit.c) create, replace and end them; {@link a64emu.guest.UserMemory} is the
 * kernel's only way into user memory (through the MMU, with demand paging). The parts
 * are split by concern as Linux's are: {@code loader} (fs/binfmt_elf.c), {@code mm}
 * (mm/), {@code sched} (kernel/sched, kernel/futex, arm64 ASIDs), {@code syscall} (the
 * entry and per-subsystem argument decoding), {@code signal} (kernel/signal.c and the
 * arm64 signal frame), {@code proc} and {@code fs} (the file system, descriptor table,
 * pipes and VFS answers), {@code ipc} (ipc/: System V shared memory, semaphores and
 * message queues, POSIX message queues).
 */
package a64emu.guest;
