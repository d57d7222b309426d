package a64emu.tools.gdb;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Process;
import a64emu.tools.debug.DebugSession;

/** m, M and X: the memory of the Hg thread's process, read and written through the session. */
final class MemoryPackets {
    /** The most bytes an {@code m} reply holds: two hex digits each, within a packet. */
    private static final int MAX_MEMORY_REPLY = (GdbStub.PACKET_SIZE - 16) / 2;
    private static final long PAGE_SIZE = 4096;

    private final DebugSession session;
    private final ThreadSelection threads;

    MemoryPackets(DebugSession session, ThreadSelection threads) {
        this.session = session;
        this.threads = threads;
    }

    /** m ADDR,LEN: what is readable from ADDR on (GDB accepts a short read), or E14. */
    String read(String args) {
        int comma = args.indexOf(',');
        long addr = Hex.number(args.substring(0, comma));
        int len = Math.min(Hex.count(args.substring(comma + 1)), MAX_MEMORY_REPLY);
        Process p = threads.general().process;
        try {
            return Hex.encode(session.read(p, addr, len));
        } catch (BadUserAddressException e) {
            // The range may start readable and run into an unmapped page: send what there is.
            long toPageEnd = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
            if (toPageEnd < len) {
                try {
                    return Hex.encode(session.read(p, addr, (int) toPageEnd));
                } catch (BadUserAddressException again) {
                    // Not even the first page: an error.
                }
            }
            return GdbStub.E_FAULT;
        }
    }

    /** M ADDR,LEN:HEX. */
    String writeHex(String args) {
        int colon = args.indexOf(':');
        return write(args.substring(0, colon), Hex.decode(args.substring(colon + 1)));
    }

    /** X ADDR,LEN:BINARY (still escaped). */
    String writeBinary(String args) {
        int colon = args.indexOf(':');
        return write(args.substring(0, colon), PacketChannel.unescape(args.substring(colon + 1)));
    }

    private String write(String range, byte[] data) {
        int comma = range.indexOf(',');
        long addr = Hex.number(range.substring(0, comma));
        int len = Hex.count(range.substring(comma + 1));
        if (len != data.length) {
            return GdbStub.E_INVALID;
        }
        if (len == 0) {
            return "OK"; // GDB's probe for X support
        }
        try {
            session.write(threads.general().process, addr, data);
            return "OK";
        } catch (BadUserAddressException e) {
            return GdbStub.E_FAULT;
        }
    }
}
