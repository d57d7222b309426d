package a64emu.tools.gdb;

import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.tools.debug.DebugSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The q and Q packets: what the stub supports, the qXfer objects (target description, auxv,
 * exec-file, threads), the thread list, and monitor commands (qRcmd).
 */
final class QueryPackets {
    /** The most bytes a {@code qXfer} reply holds (escaping may double some). */
    static final int MAX_XFER_REPLY = (GdbStub.PACKET_SIZE - 16) / 2;

    private final PacketChannel channel;
    private final DebugSession session;
    private final ThreadSelection threads;
    /** The program's host path: GDB's exec-file only while no process can name its own. */
    private final String executable;
    private boolean gdbSwbreak;
    private boolean gdbHwbreak;

    QueryPackets(PacketChannel channel, DebugSession session, ThreadSelection threads, String executable) {
        this.channel = channel;
        this.session = session;
        this.threads = threads;
        this.executable = executable;
    }

    /** Whether GDB takes {@code swbreak:} in stop replies (it said so in qSupported). */
    boolean gdbSwbreak() {
        return gdbSwbreak;
    }

    /** Whether GDB takes {@code hwbreak:} in stop replies. */
    boolean gdbHwbreak() {
        return gdbHwbreak;
    }

    /** Answers a q or Q packet. */
    void answer(String packet) {
        if (packet.startsWith("qSupported")) {
            gdbSwbreak = packet.contains("swbreak+");
            gdbHwbreak = packet.contains("hwbreak+");
            channel.send("PacketSize=" + Integer.toHexString(GdbStub.PACKET_SIZE)
                    + ";qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;qXfer:threads:read+"
                    + ";vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+");
        } else if (packet.equals("QStartNoAckMode")) {
            channel.send("OK");
            channel.stopAcknowledging();
        } else if (packet.startsWith("qXfer:")) {
            channel.send(xfer(packet.substring("qXfer:".length())));
        } else if (packet.equals("qfThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (Task t : threads.followed()) {
                sb.append(sb.length() > 1 ? "," : "").append(Integer.toHexString(t.tid));
            }
            channel.send(sb.toString());
        } else if (packet.equals("qsThreadInfo")) {
            channel.send("l");
        } else if (packet.equals("qC")) {
            channel.send("QC" + Integer.toHexString(threads.stopped().tid));
        } else if (packet.startsWith("qAttached")) {
            // 1: GDB detaches at its end (batch mode, quit) rather than kill, and the program runs on.
            channel.send("1");
        } else if (packet.startsWith("qThreadExtraInfo,")) {
            Task t = threads.followed(ThreadIds.parse(packet.substring("qThreadExtraInfo,".length())));
            channel.send(t == null ? GdbStub.E_FAILED : Hex.encode(t.process.comm()));
        } else if (packet.startsWith("qRcmd,")) {
            monitor(new String(Hex.decode(packet.substring("qRcmd,".length())), StandardCharsets.UTF_8));
        } else {
            channel.send(""); // qTStatus, qOffsets (a static executable is where it is linked), qSymbol...
        }
    }

    // ---- qXfer objects ---------------------------------------------------------------------

    /** OBJECT:read:ANNEX:OFFSET,LENGTH: the reply. */
    private String xfer(String request) {
        String[] f = request.split(":", 4);
        if (f.length != 4 || !f[1].equals("read")) {
            return "";
        }
        int comma = f[3].indexOf(',');
        long offset = Hex.number(f[3].substring(0, comma));
        int length = Math.min(Hex.count(f[3].substring(comma + 1)), MAX_XFER_REPLY);
        byte[] object = switch (f[0]) {
            case "features" -> {
                String doc = TargetXml.document(f[2]);
                yield doc == null ? null : doc.getBytes(StandardCharsets.UTF_8);
            }
            case "auxv" -> auxv();
            case "exec-file" -> executable().getBytes(StandardCharsets.UTF_8);
            case "threads" -> threadsXml().getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
        if (object == null) {
            return f[0].equals("features") ? "E00" : "";
        }
        if (offset > object.length) {
            return "E00";
        }
        int from = (int) offset;
        int to = (int) Math.min(object.length, offset + length);
        return (to == object.length ? "l" : "m") + PacketChannel.escape(object, from, to);
    }

    /** The auxiliary vector exec gave the followed process: (type, value) pairs, little-endian. */
    private byte[] auxv() {
        long[] pairs = session.firstProcess().mm.savedAuxv();
        ByteBuffer b = ByteBuffer.allocate(8 * pairs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : pairs) {
            b.putLong(v);
        }
        return b.array();
    }

    /**
     * The program GDB should read symbols from: the followed process's executable as the guest
     * names it, which GDB opens through vFile ({@link HostIo}), inside the guest's root; the
     * path given to run while there is no process to ask.
     */
    private String executable() {
        Process p = session.firstProcess();
        String exe = p == null || p.isReleased() ? null : p.files.exePath();
        return exe != null ? exe : executable;
    }

    private String threadsXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (Task t : threads.followed()) {
            sb.append("<thread id=\"").append(Integer.toHexString(t.tid)).append("\" core=\"0\" name=\"")
                    .append(xmlEscape(t.process.comm())).append("\"/>\n");
        }
        return sb.append("</threads>\n").toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- monitor ---------------------------------------------------------------------------

    /** qRcmd: the command's text goes back in O packets, then OK. */
    private void monitor(String command) {
        String text = MonitorCommands.run(session, threads.general().process, command);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int chunk = (GdbStub.PACKET_SIZE - 16) / 2;
        for (int at = 0; at < bytes.length; at += chunk) {
            channel.send("O" + Hex.encode(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk))));
        }
        channel.send("OK");
    }
}
