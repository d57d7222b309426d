/**
 * Program loading, Linux's {@code fs/binfmt_elf.c} and {@code fs/exec.c}: validating the
 * ELF file ({@link a64emu.guest.loader.ElfFile}), mapping its segments as VMAs
 * ({@link a64emu.guest.loader.ElfLoader}) and building the initial stack with argv, envp
 * and the auxiliary vector ({@link a64emu.guest.loader.InitialStack}).
 */
package a64emu.guest.loader;
