package a64emu.guest.net;

/**
 * The flags every socket family shares: send and receive flags (Linux
 * {@code include/linux/socket.h}, MSG_*) and the shutdown bits a socket keeps
 * ({@code include/net/sock.h}: RCV_SHUTDOWN, SEND_SHUTDOWN).
 */
public final class SocketFlags {
    private SocketFlags() {}

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;

    static final int RCV_SHUTDOWN = 1;
    static final int SEND_SHUTDOWN = 2;
    static final int SHUTDOWN_MASK = 3;
}
