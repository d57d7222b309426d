/**
 * Sockets between guest processes: {@link a64emu.guest.net.UnixSocket} is an AF_UNIX socket
 * (Linux {@code net/unix/af_unix.c}) of any of its three types, {@link a64emu.guest.net.UnixNamespace}
 * the kernel-wide table of bound names (socket files and the abstract namespace) that connect
 * and sendto look up.
 */
package a64emu.guest.net;
