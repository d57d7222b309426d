package a64emu.guest.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a static ET_EXEC AArch64 program from segments, for the harnesses that run
 * generated code: each segment's file bytes are placed at its page-aligned file offset
 * (its address modulo the page size, as the loader requires), after the ELF and program
 * headers in the first page.
 */
public final class StaticElf {
    private static final int PT_LOAD = 1;
    private static final int PAGE = 4096;

    /** A PT_LOAD: {@code flags} PF_R=4, PF_W=2, PF_X=1; {@code memsz} may pass the data (.bss). */
    public record Segment(long vaddr, int flags, byte[] data, long memsz) {}

    private final List<Segment> segments = new ArrayList<>();
    private final long entry;

    public StaticElf(long entry) {
        this.entry = entry;
    }

    public StaticElf add(long vaddr, int flags, byte[] data, long memsz) {
        if (vaddr % PAGE != 0) {
            throw new IllegalArgumentException("segments start on a page");
        }
        segments.add(new Segment(vaddr, flags, data, Math.max(memsz, data.length)));
        return this;
    }

    public byte[] build() {
        int headers = 64 + 56 * segments.size();
        long[] offsets = new long[segments.size()];
        long end = PAGE;
        for (int i = 0; i < segments.size(); i++) {
            offsets[i] = end;
            end += (segments.get(i).data().length + PAGE - 1) / PAGE * (long) PAGE;
        }
        if (headers > PAGE) {
            throw new IllegalArgumentException("too many segments");
        }
        ByteBuffer b = ByteBuffer.allocate((int) end).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 2); // ET_EXEC
        b.putShort(18, (short) 183); // EM_AARCH64
        b.putInt(20, 1);
        b.putLong(24, entry);
        b.putLong(32, 64);
        b.putShort(52, (short) 64);
        b.putShort(54, (short) 56);
        b.putShort(56, (short) segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            int o = 64 + 56 * i;
            b.putInt(o, PT_LOAD);
            b.putInt(o + 4, s.flags());
            b.putLong(o + 8, offsets[i]);
            b.putLong(o + 16, s.vaddr());
            b.putLong(o + 24, s.vaddr());
            b.putLong(o + 32, s.data().length);
            b.putLong(o + 40, s.memsz());
            b.putLong(o + 48, PAGE);
            b.put((int) offsets[i], s.data());
        }
        return b.array();
    }

    /** Little-endian bytes of instruction words. */
    public static byte[] code(List<Integer> words) {
        ByteBuffer b = ByteBuffer.allocate(words.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }
}
