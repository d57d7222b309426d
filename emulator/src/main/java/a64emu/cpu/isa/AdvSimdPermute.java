package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * The three small Advanced SIMD groups that rearrange lanes (ARM ARM C4.1.6):
 * permute (UZP1/2, TRN1/2, ZIP1/2: "0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd"),
 * extract (EXT: "0 Q 101110 00 0 Rm 0 imm4 0 Rn Rd") and table lookup
 * (TBL/TBX: "0 Q 001110 00 0 Rm 0 len op 00 Rn Rd").
 */
public final class AdvSimdPermute {
    private AdvSimdPermute() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("UZP1", "0q001110ss0mmmmm000110nnnnnddddd", AdvSimdPermute::uzp1),
            Encoding.of("TRN1", "0q001110ss0mmmmm001010nnnnnddddd", AdvSimdPermute::trn1),
            Encoding.of("ZIP1", "0q001110ss0mmmmm001110nnnnnddddd", AdvSimdPermute::zip1),
            Encoding.of("UZP2", "0q001110ss0mmmmm010110nnnnnddddd", AdvSimdPermute::uzp2),
            Encoding.of("TRN2", "0q001110ss0mmmmm011010nnnnnddddd", AdvSimdPermute::trn2),
            Encoding.of("ZIP2", "0q001110ss0mmmmm011110nnnnnddddd", AdvSimdPermute::zip2),
            Encoding.of("EXT", "0q101110000mmmmm0iiii0nnnnnddddd", AdvSimdPermute::ext),
            Encoding.of("TBL_TBX", "0q001110000mmmmm0llo00nnnnnddddd", AdvSimdPermute::tableLookup));

    /** Picks result lane i from Vn (false) or Vm (true) and its lane there. */
    @FunctionalInterface
    interface LaneMap {
        /** Returns the source lane index, plus {@code lanes} when it comes from Vm. */
        int source(int i, int lanes);
    }

    private static void permute(Cpu cpu, int word, LaneMap map) {
        boolean q = ((word >>> 30) & 1) != 0;
        int size = (word >>> 22) & 3;
        if (size == 3 && !q) {
            throw GuestException.undefined();
        }
        int esize = Vectors.esize(size);
        int lanes = Vectors.lanes(q, esize);
        long[] n = Vectors.read(cpu, (word >>> 5) & 31);
        long[] m = Vectors.read(cpu, (word >>> 16) & 31);
        long[] r = new long[2];
        for (int i = 0; i < lanes; i++) {
            int src = map.source(i, lanes);
            Vectors.set(r, i, esize, src < lanes ? Vectors.get(n, src, esize) : Vectors.get(m, src - lanes, esize));
        }
        Vectors.write(cpu, word & 31, r, q);
        cpu.pc += 4;
    }

    /** UZP1: the even lanes of the concatenation Vm:Vn. */
    public static void uzp1(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> 2 * i);
    }

    public static void uzp2(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> 2 * i + 1);
    }

    /** TRN1: even lanes of Vn interleaved with even lanes of Vm. */
    public static void trn1(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> (i & 1) == 0 ? i : lanes + i - 1);
    }

    public static void trn2(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> (i & 1) == 0 ? i + 1 : lanes + i);
    }

    /** ZIP1: the lower halves of Vn and Vm interleaved. */
    public static void zip1(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> (i & 1) == 0 ? i / 2 : lanes + i / 2);
    }

    public static void zip2(Cpu cpu, int word) {
        permute(cpu, word, (i, lanes) -> (i & 1) == 0 ? lanes / 2 + i / 2 : lanes + lanes / 2 + i / 2);
    }

    /** EXT: bytes imm4 onward of Vm:Vn; with Q=0, imm4<3> must be 0. */
    public static void ext(Cpu cpu, int word) {
        boolean q = ((word >>> 30) & 1) != 0;
        int position = (word >>> 11) & 0xF;
        if (!q && position >= 8) {
            throw GuestException.undefined();
        }
        int bytes = q ? 16 : 8;
        long[] n = Vectors.read(cpu, (word >>> 5) & 31);
        long[] m = Vectors.read(cpu, (word >>> 16) & 31);
        long[] r = new long[2];
        for (int i = 0; i < bytes; i++) {
            int src = position + i;
            Vectors.set(r, i, 8, src < bytes ? Vectors.get(n, src, 8) : Vectors.get(m, src - bytes, 8));
        }
        Vectors.write(cpu, word & 31, r, q);
        cpu.pc += 4;
    }

    /**
     * TBL/TBX: each byte of Vm indexes a table of len+1 consecutive registers starting at
     * Vn (wrapping at V31); an out-of-range index gives 0 (TBL) or keeps the Vd byte (TBX).
     */
    public static void tableLookup(Cpu cpu, int word) {
        boolean q = ((word >>> 30) & 1) != 0;
        int regs = ((word >>> 13) & 3) + 1;
        boolean tbx = ((word >>> 12) & 1) != 0;
        int n = (word >>> 5) & 31;
        int d = word & 31;
        long[][] table = new long[regs][];
        for (int i = 0; i < regs; i++) {
            table[i] = Vectors.read(cpu, (n + i) & 31);
        }
        long[] indices = Vectors.read(cpu, (word >>> 16) & 31);
        long[] r = tbx ? Vectors.read(cpu, d) : new long[2];
        for (int i = 0; i < (q ? 16 : 8); i++) {
            int index = (int) Vectors.get(indices, i, 8);
            if (index < 16 * regs) {
                Vectors.set(r, i, 8, Vectors.get(table[index / 16], index % 16, 8));
            }
        }
        Vectors.write(cpu, d, r, q);
        cpu.pc += 4;
    }
}
