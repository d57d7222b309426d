/**
 * The Java guest kernel: plays Linux under one static AArch64 program.
 *
 * <p>{@link a64emu.guest.Kernel} execs the program and runs the exception loop;
 * {@link a64emu.guest.Process} is the task; {@link a64emu.guest.UserMemory} is the
 * kernel's only way into user memory (through the MMU, with demand paging). The parts
 * are split by concern as Linux's are: {@code loader} (fs/binfmt_elf.c), {@code mm}
 * (mm/), {@code syscall} (the entry and per-subsystem argument decoding),
 * {@code signal}, and {@code fs} (the file system, descriptor table and VFS answers).
 */
package a64emu.guest;
