/**
 * The guest's device nodes (Linux {@code drivers/base/devtmpfs.c} and the character devices
 * of {@code drivers/char/mem.c}): {@link a64emu.guest.dev.Devtmpfs} puts the nodes of the
 * devices this kernel drives into /dev, over whatever the host's (or the root's) /dev holds,
 * and {@link a64emu.guest.dev.CharDevice} is one such node, whose open goes to its driver.
 */
package a64emu.guest.dev;
