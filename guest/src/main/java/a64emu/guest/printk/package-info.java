/**
 * The readers of the kernel's message buffer, as Linux 6.1 {@code kernel/printk/printk.c}
 * serves them: {@link a64emu.guest.printk.Printk} keeps what printk.c keeps beside the buffer
 * ({@code clear_seq}, {@code syslog_seq}, the console levels, {@code dmesg_restrict}),
 * {@link a64emu.guest.printk.Record} is one record and its two text forms (the
 * {@code /dev/kmsg} line and the syslog line {@code dmesg} prints),
 * {@link a64emu.guest.printk.DevKmsg} is {@code kmsg_fops} and
 * {@link a64emu.guest.printk.Syslog} is {@code do_syslog}, the syslog(2) actions. The buffer
 * itself is {@link a64emu.guest.KernelLog}.
 */
package a64emu.guest.printk;
