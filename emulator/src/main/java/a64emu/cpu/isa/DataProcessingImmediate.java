package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * A64 "Data Processing -- Immediate" (ARM ARM C4.1.86, op0 = 100x): PC-relative
 * addressing, add/subtract immediate, logical immediate, move wide, bitfield and extract.
 *
 * <p>Fields: f = sf, d = Rd, n = Rn, m = Rm, i = immediate, h = shift (sh / hw),
 * l/H = immlo/immhi, N = N, r = immr, s = imms.
 */
public final class DataProcessingImmediate {
    private DataProcessingImmediate() {}

    public static final List<Encoding> ENCODINGS = List.of(
            //           3         2         1         0
            //          10987654321098765432109876543210
            Encoding.of("ADR",   "0ll10000HHHHHHHHHHHHHHHHHHHddddd", DataProcessingImmediate::adr),
            Encoding.of("ADRP",  "1ll10000HHHHHHHHHHHHHHHHHHHddddd", DataProcessingImmediate::adrp),

            Encoding.of("ADD_IMM",  "f00100010hiiiiiiiiiiiinnnnnddddd", DataProcessingImmediate::addImm),
            Encoding.of("ADDS_IMM", "f01100010hiiiiiiiiiiiinnnnnddddd", DataProcessingImmediate::addsImm),
            Encoding.of("SUB_IMM",  "f10100010hiiiiiiiiiiiinnnnnddddd", DataProcessingImmediate::subImm),
            Encoding.of("SUBS_IMM", "f11100010hiiiiiiiiiiiinnnnnddddd", DataProcessingImmediate::subsImm),

            Encoding.of("AND_IMM",  "f00100100Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::andImm),
            Encoding.of("ORR_IMM",  "f01100100Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::orrImm),
            Encoding.of("EOR_IMM",  "f10100100Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::eorImm),
            Encoding.of("ANDS_IMM", "f11100100Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::andsImm),

            Encoding.of("MOVN", "f00100101hhiiiiiiiiiiiiiiiiddddd", DataProcessingImmediate::movn),
            Encoding.of("MOVZ", "f10100101hhiiiiiiiiiiiiiiiiddddd", DataProcessingImmediate::movz),
            Encoding.of("MOVK", "f11100101hhiiiiiiiiiiiiiiiiddddd", DataProcessingImmediate::movk),

            Encoding.of("SBFM", "f00100110Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::sbfm),
            Encoding.of("BFM",  "f01100110Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::bfm),
            Encoding.of("UBFM", "f10100110Nrrrrrrssssssnnnnnddddd", DataProcessingImmediate::ubfm),

            Encoding.of("EXTR", "f00100111N0mmmmmssssssnnnnnddddd", DataProcessingImmediate::extr));

    // ---- PC-relative addressing ------------------------------------------------------------

    public static long pcRelImmediate(int word) {
        // imm = SignExtend(immhi:immlo), 21 bits.
        int immhi = (word << 8) >> 13;       // bits 23:5, sign-extended
        int immlo = (word >>> 29) & 3;
        return ((long) immhi << 2) | immlo;
    }

    public static void adr(Cpu cpu, int word) {
        cpu.setX(word & 31, cpu.pc + pcRelImmediate(word));
        cpu.pc += 4;
    }

    public static void adrp(Cpu cpu, int word) {
        cpu.setX(word & 31, (cpu.pc & ~0xFFFL) + (pcRelImmediate(word) << 12));
        cpu.pc += 4;
    }

    // ---- Add/subtract (immediate) -------------------------------------------------------------

    private static long addSubImmediate(int word) {
        long imm = (word >>> 10) & 0xFFF;
        return ((word >>> 22) & 1) != 0 ? imm << 12 : imm;
    }

    /** ADD/SUB(S) immediate: Rn may be SP; Rd is SP unless flags are set (then XZR). */
    private static void addSub(Cpu cpu, int word, boolean subtract, boolean setFlags) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long imm = addSubImmediate(word);
        long operand1 = cpu.xOrSp(n);
        long result;
        if (word < 0) {
            result = subtract
                    ? Alu.addWithCarry64(cpu, operand1, ~imm, 1, setFlags)
                    : Alu.addWithCarry64(cpu, operand1, imm, 0, setFlags);
        } else {
            result = subtract
                    ? Alu.addWithCarry32(cpu, (int) operand1, ~(int) imm, 1, setFlags)
                    : Alu.addWithCarry32(cpu, (int) operand1, (int) imm, 0, setFlags);
        }
        if (setFlags) {
            cpu.setX(d, result);
        } else {
            cpu.setXOrSp(d, result);
        }
        cpu.pc += 4;
    }

    public static void addImm(Cpu cpu, int word) {
        addSub(cpu, word, false, false);
    }

    public static void addsImm(Cpu cpu, int word) {
        addSub(cpu, word, false, true);
    }

    public static void subImm(Cpu cpu, int word) {
        addSub(cpu, word, true, false);
    }

    public static void subsImm(Cpu cpu, int word) {
        addSub(cpu, word, true, true);
    }

    // ---- Logical (immediate) ------------------------------------------------------------------

    public static long logicalImmediate(int word) {
        boolean sf = word < 0;
        int nBit = (word >>> 22) & 1;
        if (!sf && nBit != 0) {
            throw GuestException.undefined(); // 32-bit with N=1 is reserved
        }
        return Alu.decodeLogicalImmediate(nBit, (word >>> 10) & 0x3F, (word >>> 16) & 0x3F, sf ? 64 : 32);
    }

    private static long operandW(Cpu cpu, int word, int n) {
        long value = cpu.x[n];
        return word < 0 ? value : value & 0xFFFF_FFFFL;
    }

    public static void andImm(Cpu cpu, int word) {
        long imm = logicalImmediate(word);
        cpu.setXOrSp(word & 31, operandW(cpu, word, (word >>> 5) & 31) & imm);
        cpu.pc += 4;
    }

    public static void orrImm(Cpu cpu, int word) {
        long imm = logicalImmediate(word);
        cpu.setXOrSp(word & 31, operandW(cpu, word, (word >>> 5) & 31) | imm);
        cpu.pc += 4;
    }

    public static void eorImm(Cpu cpu, int word) {
        long imm = logicalImmediate(word);
        cpu.setXOrSp(word & 31, operandW(cpu, word, (word >>> 5) & 31) ^ imm);
        cpu.pc += 4;
    }

    public static void andsImm(Cpu cpu, int word) {
        long imm = logicalImmediate(word);
        long result = operandW(cpu, word, (word >>> 5) & 31) & imm;
        cpu.nzcv = word < 0 ? Alu.nz64(result) : Alu.nz32((int) result);
        cpu.setX(word & 31, result);
        cpu.pc += 4;
    }

    // ---- Move wide ----------------------------------------------------------------------------

    public static int moveWideShift(int word) {
        int hw = (word >>> 21) & 3;
        if (word >= 0 && hw >= 2) {
            throw GuestException.undefined(); // 32-bit forms only shift by 0 or 16
        }
        return hw * 16;
    }

    public static void movn(Cpu cpu, int word) {
        int shift = moveWideShift(word);
        long result = ~(((word >>> 5) & 0xFFFFL) << shift);
        cpu.setX(word & 31, word < 0 ? result : result & 0xFFFF_FFFFL);
        cpu.pc += 4;
    }

    public static void movz(Cpu cpu, int word) {
        int shift = moveWideShift(word);
        cpu.setX(word & 31, ((word >>> 5) & 0xFFFFL) << shift);
        cpu.pc += 4;
    }

    public static void movk(Cpu cpu, int word) {
        int shift = moveWideShift(word);
        int d = word & 31;
        long result = (cpu.x[d] & ~(0xFFFFL << shift)) | (((word >>> 5) & 0xFFFFL) << shift);
        cpu.setX(d, word < 0 ? result : result & 0xFFFF_FFFFL);
        cpu.pc += 4;
    }

    // ---- Bitfield -------------------------------------------------------------------------------

    private static void bitfield(Cpu cpu, int word, int kind) {
        boolean sf = word < 0;
        int nBit = (word >>> 22) & 1;
        int r = (word >>> 16) & 0x3F;
        int s = (word >>> 10) & 0x3F;
        // sf must equal N, and a 32-bit form must have immr, imms < 32 (ARM ARM C6.2 SBFM).
        if ((sf ? 1 : 0) != nBit || (!sf && (r >= 32 || s >= 32))) {
            throw GuestException.undefined();
        }
        int d = word & 31;
        long src = cpu.x[(word >>> 5) & 31];
        cpu.setX(d, Alu.bitfieldMove(src, cpu.x[d], r, s, sf ? 64 : 32, kind));
        cpu.pc += 4;
    }

    public static void sbfm(Cpu cpu, int word) {
        bitfield(cpu, word, 0);
    }

    public static void bfm(Cpu cpu, int word) {
        bitfield(cpu, word, 1);
    }

    public static void ubfm(Cpu cpu, int word) {
        bitfield(cpu, word, 2);
    }

    // ---- Extract --------------------------------------------------------------------------------

    /** EXTR: the low datasize bits of Rn:Rm shifted right by lsb (ROR when Rn == Rm). */
    public static void extr(Cpu cpu, int word) {
        boolean sf = word < 0;
        int nBit = (word >>> 22) & 1;
        int lsb = (word >>> 10) & 0x3F;
        if ((sf ? 1 : 0) != nBit || (!sf && lsb >= 32)) {
            throw GuestException.undefined();
        }
        cpu.setX(word & 31, extract(cpu.x[(word >>> 5) & 31], cpu.x[(word >>> 16) & 31], lsb, sf));
        cpu.pc += 4;
    }

    /** EXTR's value: bits lsb.. of hi:lo in the data size. */
    public static long extract(long hi, long lo, int lsb, boolean sf) {
        if (sf) {
            return lsb == 0 ? lo : (lo >>> lsb) | (hi << (64 - lsb));
        }
        long concat = (hi << 32) | (lo & 0xFFFF_FFFFL);
        return (concat >>> lsb) & 0xFFFF_FFFFL;
    }
}
