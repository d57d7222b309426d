/**
 * System call entry: {@link a64emu.guest.syscall.Syscalls} reads the number and arguments
 * from the registers and calls one handler class per subsystem (files, memory, process,
 * signals, time, poll, the kernel log), which copies user buffers and leaves the behaviour to the subsystem
 * that owns it. Numbers are in {@link a64emu.guest.syscall.SyscallNumbers}.
 */
package a64emu.guest.syscall;
