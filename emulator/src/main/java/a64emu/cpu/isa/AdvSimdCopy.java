package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * Advanced SIMD copy (ARM ARM C4.1.6, "0 Q op 01110000 imm5 0 imm4 1 Rn Rd"): DUP
 * (element, general), SMOV, UMOV (MOV to general), INS (general, element). The
 * lowest set bit of imm5 gives the element size, the bits above it the lane;
 * imm5 = x0000 is reserved.
 */
public final class AdvSimdCopy {
    private AdvSimdCopy() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("DUP_ELEMENT", "0q001110000iiiii000001nnnnnddddd", AdvSimdCopy::dupElement),
            Encoding.of("DUP_GENERAL", "0q001110000iiiii000011nnnnnddddd", AdvSimdCopy::dupGeneral),
            Encoding.of("SMOV", "0q001110000iiiii001011nnnnnddddd", AdvSimdCopy::smov),
            Encoding.of("UMOV", "0q001110000iiiii001111nnnnnddddd", AdvSimdCopy::umov),
            Encoding.of("INS_GENERAL", "01001110000iiiii000111nnnnnddddd", AdvSimdCopy::insGeneral),
            Encoding.of("INS_ELEMENT", "01101110000iiiii0jjjj1nnnnnddddd", AdvSimdCopy::insElement));

    /** log2 of the element size in bytes: the lowest set bit of imm5 (bits 20:16). */
    private static int size(int word) {
        int imm5 = (word >>> 16) & 0x1F;
        if ((imm5 & 0xF) == 0) {
            throw GuestException.undefined();
        }
        return Integer.numberOfTrailingZeros(imm5);
    }

    private static int index(int word, int size) {
        return ((word >>> 16) & 0x1F) >>> (size + 1);
    }

    private static boolean q(int word) {
        return ((word >>> 30) & 1) != 0;
    }

    private static void fill(Cpu cpu, int d, long element, int esize, boolean q) {
        long lane = Vectors.replicate(element, esize);
        Vectors.writeQ(cpu, d, lane, q ? lane : 0);
    }

    /** DUP (element): a 1D result (size 3, Q=0) is reserved. */
    public static void dupElement(Cpu cpu, int word) {
        int size = size(word);
        boolean q = q(word);
        if (size == 3 && !q) {
            throw GuestException.undefined();
        }
        int esize = 8 << size;
        long element = Vectors.element(cpu, (word >>> 5) & 31, index(word, size), esize);
        fill(cpu, word & 31, element, esize, q);
        cpu.pc += 4;
    }

    public static void dupGeneral(Cpu cpu, int word) {
        int size = size(word);
        boolean q = q(word);
        if (size == 3 && !q) {
            throw GuestException.undefined();
        }
        fill(cpu, word & 31, cpu.x[(word >>> 5) & 31], 8 << size, q);
        cpu.pc += 4;
    }

    /** SMOV: sign-extend a B/H lane to W (Q=0), or a B/H/S lane to X (Q=1). */
    public static void smov(Cpu cpu, int word) {
        int size = size(word);
        boolean q = q(word);
        if (size > (q ? 2 : 1)) {
            throw GuestException.undefined();
        }
        long value = Vectors.signExtend(Vectors.element(cpu, (word >>> 5) & 31, index(word, size), 8 << size), 8 << size);
        cpu.setX(word & 31, q ? value : value & 0xFFFF_FFFFL);
        cpu.pc += 4;
    }

    /** UMOV: zero-extend a B/H/S lane to W (Q=0), or move a D lane to X (Q=1, size 3 only). */
    public static void umov(Cpu cpu, int word) {
        int size = size(word);
        boolean q = q(word);
        if (q ? size != 3 : size == 3) {
            throw GuestException.undefined();
        }
        cpu.setX(word & 31, Vectors.element(cpu, (word >>> 5) & 31, index(word, size), 8 << size));
        cpu.pc += 4;
    }

    /** INS (general): one lane from Wn/Xn; the other lanes are kept. */
    public static void insGeneral(Cpu cpu, int word) {
        int size = size(word);
        int d = word & 31;
        Vectors.setElement(cpu, d, index(word, size), 8 << size, cpu.x[(word >>> 5) & 31]);
        cpu.pc += 4;
    }

    /** INS (element): Vd[imm5 lane] = Vn[imm4 lane]. */
    public static void insElement(Cpu cpu, int word) {
        int size = size(word);
        int esize = 8 << size;
        int srcIndex = ((word >>> 11) & 0xF) >>> size;
        int d = word & 31;
        long element = Vectors.element(cpu, (word >>> 5) & 31, srcIndex, esize);
        Vectors.setElement(cpu, d, index(word, size), esize, element);
        cpu.pc += 4;
    }
}
