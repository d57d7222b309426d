/**
 * Sockets. {@link a64emu.guest.net.UnixSocket} is an AF_UNIX socket (Linux
 * {@code net/unix/af_unix.c}) of any of its three types between guest processes, and
 * {@link a64emu.guest.net.UnixNamespace} the kernel-wide table of bound names (socket files and
 * the abstract namespace) that connect and sendto look up. {@link a64emu.guest.net.InetSocket}
 * is an AF_INET or AF_INET6 socket: {@link a64emu.guest.net.TcpSocket} and
 * {@link a64emu.guest.net.UdpSocket} forward to host sockets, {@link a64emu.guest.net.IsolatedSocket}
 * lives in a network with no interface up ({@code run --net none}); {@link a64emu.guest.net.HostNetwork}
 * is the kernel's network, whose one selector the scheduler waits on; {@link a64emu.guest.net.InetSockaddr}
 * the sockaddr_in and sockaddr_in6 layouts, and {@link a64emu.guest.net.HostErrors} the errno behind
 * a host socket's Java exception.
 */
package a64emu.guest.net;
