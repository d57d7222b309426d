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
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long nLo = v[2 * n];
        long nHi = v[2 * n + 1];
        long mLo = v[2 * m];
        long mHi = v[2 * m + 1];
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < lanes; i++) {
            int src = map.source(i, lanes);
            long value = src < lanes ? Vectors.lane(nLo, nHi, src, esize) : Vectors.lane(mLo, mHi, src - lanes, esize);
            int bit = i * esize;
            if (bit < 64) {
                lo |= value << bit;
            } else {
                hi |= value << (bit - 64);
            }
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
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
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long[] v = cpu.v;
        long nLo = v[2 * n];
        long nHi = q ? v[2 * n + 1] : 0;
        long mLo = v[2 * m];
        long mHi = q ? v[2 * m + 1] : 0;
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < bytes; i++) {
            int src = position + i;
            long value = src < bytes ? Vectors.lane(nLo, nHi, src, 8) : Vectors.lane(mLo, mHi, src - bytes, 8);
            if (i < 8) {
                lo |= value << (8 * i);
            } else {
                hi |= value << (8 * i - 64);
            }
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
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
        int m = (word >>> 16) & 31;
        long indicesLo = cpu.v[2 * m];
        long indicesHi = cpu.v[2 * m + 1];
        // The result builds up in locals: the table and index registers are all read
        // before Vd (which may be one of them) is written.
        long lo = tbx ? cpu.v[2 * d] : 0;
        long hi = tbx ? cpu.v[2 * d + 1] : 0;
        for (int i = 0; i < (q ? 16 : 8); i++) {
            int index = (int) Vectors.lane(indicesLo, indicesHi, i, 8);
            if (index < 16 * regs) {
                long value = Vectors.element(cpu, (n + index / 16) & 31, index % 16, 8);
                if (i < 8) {
                    lo = Vectors.withLane(lo, i, 8, value);
                } else {
                    hi = Vectors.withLane(hi, i - 8, 8, value);
                }
            }
        }
        Vectors.writeQ(cpu, d, lo, q ? hi : 0);
        cpu.pc += 4;
    }
}
