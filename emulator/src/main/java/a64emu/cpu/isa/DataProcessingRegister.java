package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

import static a64emu.cpu.isa.RegisterFields.ra;
import static a64emu.cpu.isa.RegisterFields.rd;
import static a64emu.cpu.isa.RegisterFields.rm;
import static a64emu.cpu.isa.RegisterFields.rn;

/**
 * A64 "Data Processing -- Register" (ARM ARM C4.1.89, op0 = x101): logical and
 * add/subtract with shifted or extended register, add/subtract with carry, conditional
 * compare and select, 1-, 2- and 3-source operations.
 *
 * <p>Fields: f = sf, d = Rd, n = Rn, m = Rm, a = Ra, h = shift type, i = imm6/imm3/imm5,
 * o = option, c = cond, v = nzcv.
 */
public final class DataProcessingRegister {
    private DataProcessingRegister() {}

    public static final List<Encoding> ENCODINGS = List.of(
            //           3         2         1         0
            //          10987654321098765432109876543210
            Encoding.of("AND_REG",  "f0001010hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("BIC_REG",  "f0001010hh1mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("ORR_REG",  "f0101010hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("ORN_REG",  "f0101010hh1mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("EOR_REG",  "f1001010hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("EON_REG",  "f1001010hh1mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("ANDS_REG", "f1101010hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),
            Encoding.of("BICS_REG", "f1101010hh1mmmmmiiiiiinnnnnddddd", DataProcessingRegister::logicalShifted),

            Encoding.of("ADD_SHIFT",  "f0001011hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::addSubShifted),
            Encoding.of("ADDS_SHIFT", "f0101011hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::addSubShifted),
            Encoding.of("SUB_SHIFT",  "f1001011hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::addSubShifted),
            Encoding.of("SUBS_SHIFT", "f1101011hh0mmmmmiiiiiinnnnnddddd", DataProcessingRegister::addSubShifted),

            Encoding.of("ADD_EXT",  "f0001011001mmmmmoooiiinnnnnddddd", DataProcessingRegister::addSubExtended),
            Encoding.of("ADDS_EXT", "f0101011001mmmmmoooiiinnnnnddddd", DataProcessingRegister::addSubExtended),
            Encoding.of("SUB_EXT",  "f1001011001mmmmmoooiiinnnnnddddd", DataProcessingRegister::addSubExtended),
            Encoding.of("SUBS_EXT", "f1101011001mmmmmoooiiinnnnnddddd", DataProcessingRegister::addSubExtended),

            Encoding.of("ADC",  "f0011010000mmmmm000000nnnnnddddd", DataProcessingRegister::addSubCarry),
            Encoding.of("ADCS", "f0111010000mmmmm000000nnnnnddddd", DataProcessingRegister::addSubCarry),
            Encoding.of("SBC",  "f1011010000mmmmm000000nnnnnddddd", DataProcessingRegister::addSubCarry),
            Encoding.of("SBCS", "f1111010000mmmmm000000nnnnnddddd", DataProcessingRegister::addSubCarry),

            Encoding.of("CCMN_REG", "f0111010010mmmmmcccc00nnnnn0vvvv", DataProcessingRegister::conditionalCompare),
            Encoding.of("CCMP_REG", "f1111010010mmmmmcccc00nnnnn0vvvv", DataProcessingRegister::conditionalCompare),
            Encoding.of("CCMN_IMM", "f0111010010iiiiicccc10nnnnn0vvvv", DataProcessingRegister::conditionalCompare),
            Encoding.of("CCMP_IMM", "f1111010010iiiiicccc10nnnnn0vvvv", DataProcessingRegister::conditionalCompare),

            Encoding.of("CSEL",  "f0011010100mmmmmcccc00nnnnnddddd", DataProcessingRegister::conditionalSelect),
            Encoding.of("CSINC", "f0011010100mmmmmcccc01nnnnnddddd", DataProcessingRegister::conditionalSelect),
            Encoding.of("CSINV", "f1011010100mmmmmcccc00nnnnnddddd", DataProcessingRegister::conditionalSelect),
            Encoding.of("CSNEG", "f1011010100mmmmmcccc01nnnnnddddd", DataProcessingRegister::conditionalSelect),

            Encoding.of("UDIV", "f0011010110mmmmm000010nnnnnddddd", DataProcessingRegister::udiv),
            Encoding.of("SDIV", "f0011010110mmmmm000011nnnnnddddd", DataProcessingRegister::sdiv),
            Encoding.of("LSLV", "f0011010110mmmmm001000nnnnnddddd", DataProcessingRegister::shiftVariable),
            Encoding.of("LSRV", "f0011010110mmmmm001001nnnnnddddd", DataProcessingRegister::shiftVariable),
            Encoding.of("ASRV", "f0011010110mmmmm001010nnnnnddddd", DataProcessingRegister::shiftVariable),
            Encoding.of("RORV", "f0011010110mmmmm001011nnnnnddddd", DataProcessingRegister::shiftVariable),
            // CRC32{B,H,W,X} / CRC32C{...}: sz in bits 11:10; sf must be 1 exactly for the X forms.
            Encoding.of("CRC32",  "f0011010110mmmmm0100zznnnnnddddd", DataProcessingRegister::crc32),
            Encoding.of("CRC32C", "f0011010110mmmmm0101zznnnnnddddd", DataProcessingRegister::crc32),

            Encoding.of("RBIT",  "f101101011000000000000nnnnnddddd", DataProcessingRegister::rbit),
            Encoding.of("REV16", "f101101011000000000001nnnnnddddd", DataProcessingRegister::rev16),
            Encoding.of("REV32", "f101101011000000000010nnnnnddddd", DataProcessingRegister::rev32),
            Encoding.of("REV64", "f101101011000000000011nnnnnddddd", DataProcessingRegister::rev64),
            Encoding.of("CLZ",   "f101101011000000000100nnnnnddddd", DataProcessingRegister::clz),
            Encoding.of("CLS",   "f101101011000000000101nnnnnddddd", DataProcessingRegister::cls),
            // FEAT_FlagM: rotate right into flags, evaluate into flags (ARM ARM C4.1.90).
            Encoding.of("RMIF",   "10111010000iiiiii00001nnnnn0kkkk", DataProcessingRegister::rmif),
            Encoding.of("SETF8",  "0011101000000000000010nnnnn01101", DataProcessingRegister::setf8),
            Encoding.of("SETF16", "0011101000000000010010nnnnn01101", DataProcessingRegister::setf16),

            Encoding.of("MADD",   "f0011011000mmmmm0aaaaannnnnddddd", DataProcessingRegister::madd),
            Encoding.of("MSUB",   "f0011011000mmmmm1aaaaannnnnddddd", DataProcessingRegister::msub),
            Encoding.of("SMADDL", "10011011001mmmmm0aaaaannnnnddddd", DataProcessingRegister::smaddl),
            Encoding.of("SMSUBL", "10011011001mmmmm1aaaaannnnnddddd", DataProcessingRegister::smsubl),
            Encoding.of("SMULH",  "10011011010mmmmm0aaaaannnnnddddd", DataProcessingRegister::smulh),
            Encoding.of("UMADDL", "10011011101mmmmm0aaaaannnnnddddd", DataProcessingRegister::umaddl),
            Encoding.of("UMSUBL", "10011011101mmmmm1aaaaannnnnddddd", DataProcessingRegister::umsubl),
            Encoding.of("UMULH",  "10011011110mmmmm0aaaaannnnnddddd", DataProcessingRegister::umulh));

    private static long zeroExtend32(long value) {
        return value & 0xFFFF_FFFFL;
    }

    // ---- Logical (shifted register) --------------------------------------------------------------

    /** AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS: opc in bits 30:29, N (invert Rm) in bit 21. */
    public static void logicalShifted(Cpu cpu, int word) {
        boolean sf = word < 0;
        int amount = (word >>> 10) & 0x3F;
        if (!sf && amount >= 32) {
            throw GuestException.undefined();
        }
        int type = (word >>> 22) & 3;
        long operand1 = cpu.x[rn(word)];
        long operand2 = sf ? Alu.shift64(cpu.x[rm(word)], type, amount) : Alu.shift32(cpu.x[rm(word)], type, amount);
        if ((word & (1 << 21)) != 0) {
            operand2 = ~operand2;
        }
        int opc = (word >>> 29) & 3;
        long result = switch (opc) {
            case 0, 3 -> operand1 & operand2;
            case 1 -> operand1 | operand2;
            default -> operand1 ^ operand2;
        };
        if (!sf) {
            result = zeroExtend32(result);
        }
        if (opc == 3) {
            cpu.nzcv = sf ? Alu.nz64(result) : Alu.nz32((int) result);
        }
        cpu.setX(rd(word), result);
        cpu.pc += 4;
    }

    // ---- Add/subtract ------------------------------------------------------------------------------

    /** AddWithCarry of operand1 and +/- operand2 in the width selected by sf. */
    private static long addSub(Cpu cpu, boolean sf, long operand1, long operand2, boolean subtract, boolean setFlags) {
        if (sf) {
            return subtract
                    ? Alu.addWithCarry64(cpu, operand1, ~operand2, 1, setFlags)
                    : Alu.addWithCarry64(cpu, operand1, operand2, 0, setFlags);
        }
        return subtract
                ? Alu.addWithCarry32(cpu, (int) operand1, ~(int) operand2, 1, setFlags)
                : Alu.addWithCarry32(cpu, (int) operand1, (int) operand2, 0, setFlags);
    }

    /** ADD/SUB(S) shifted register: shift type ROR (11) is reserved; no SP operands. */
    public static void addSubShifted(Cpu cpu, int word) {
        boolean sf = word < 0;
        int type = (word >>> 22) & 3;
        int amount = (word >>> 10) & 0x3F;
        if (type == 3 || (!sf && amount >= 32)) {
            throw GuestException.undefined();
        }
        long operand2 = sf ? Alu.shift64(cpu.x[rm(word)], type, amount) : Alu.shift32(cpu.x[rm(word)], type, amount);
        boolean subtract = (word & (1 << 30)) != 0;
        boolean setFlags = (word & (1 << 29)) != 0;
        cpu.setX(rd(word), addSub(cpu, sf, cpu.x[rn(word)], operand2, subtract, setFlags));
        cpu.pc += 4;
    }

    /** ADD/SUB(S) extended register: Rn is SP-capable, and Rd too unless flags are set; imm3 &lt;= 4. */
    public static void addSubExtended(Cpu cpu, int word) {
        int shift = (word >>> 10) & 7;
        if (shift > 4) {
            throw GuestException.undefined();
        }
        boolean sf = word < 0;
        int option = (word >>> 13) & 7;
        long operand2 = Alu.extend(cpu.x[rm(word)], option, shift);
        boolean subtract = (word & (1 << 30)) != 0;
        boolean setFlags = (word & (1 << 29)) != 0;
        long result = addSub(cpu, sf, cpu.xOrSp(rn(word)), operand2, subtract, setFlags);
        if (setFlags) {
            cpu.setX(rd(word), result);
        } else {
            cpu.setXOrSp(rd(word), result);
        }
        cpu.pc += 4;
    }

    /** ADC/ADCS/SBC/SBCS: AddWithCarry(Rn, Rm or NOT(Rm), PSTATE.C). */
    public static void addSubCarry(Cpu cpu, int word) {
        boolean sf = word < 0;
        boolean subtract = (word & (1 << 30)) != 0;
        boolean setFlags = (word & (1 << 29)) != 0;
        long operand1 = cpu.x[rn(word)];
        long operand2 = cpu.x[rm(word)];
        int carry = Alu.carry(cpu);
        long result;
        if (sf) {
            result = Alu.addWithCarry64(cpu, operand1, subtract ? ~operand2 : operand2, carry, setFlags);
        } else {
            int y = (int) operand2;
            result = Alu.addWithCarry32(cpu, (int) operand1, subtract ? ~y : y, carry, setFlags);
        }
        cpu.setX(rd(word), result);
        cpu.pc += 4;
    }

    // ---- Conditional compare and select ----------------------------------------------------------

    /** CCMN/CCMP (register or imm5): if cond holds, flags of Rn +/- operand, else the nzcv field. */
    public static void conditionalCompare(Cpu cpu, int word) {
        int cond = (word >>> 12) & 0xF;
        if (Alu.conditionHolds(cond, cpu.nzcv)) {
            boolean sf = word < 0;
            long operand2 = (word & (1 << 11)) != 0 ? (word >>> 16) & 31 : cpu.x[rm(word)];
            boolean subtract = (word & (1 << 30)) != 0;
            addSub(cpu, sf, cpu.x[rn(word)], operand2, subtract, true);
        } else {
            cpu.nzcv = (word & 0xF) << 28;
        }
        cpu.pc += 4;
    }

    /** CSEL/CSINC/CSINV/CSNEG: op (bit 30) inverts, op2<0> (bit 10) increments the else-value. */
    public static void conditionalSelect(Cpu cpu, int word) {
        int cond = (word >>> 12) & 0xF;
        long result;
        if (Alu.conditionHolds(cond, cpu.nzcv)) {
            result = cpu.x[rn(word)];
        } else {
            result = cpu.x[rm(word)];
            if ((word & (1 << 30)) != 0) {
                result = ~result;
            }
            if ((word & (1 << 10)) != 0) {
                result++;
            }
        }
        cpu.setX(rd(word), word < 0 ? result : zeroExtend32(result));
        cpu.pc += 4;
    }

    // ---- Data processing (2 source) ---------------------------------------------------------------

    /** UDIV: division by zero gives 0 (ARM ARM C6.2 UDIV: no exception in A64). */
    public static void udiv(Cpu cpu, int word) {
        long n = cpu.x[rn(word)];
        long m = cpu.x[rm(word)];
        cpu.setX(rd(word), word < 0 ? udiv64(n, m) : udiv32(n, m));
        cpu.pc += 4;
    }

    public static long udiv64(long n, long m) {
        return m == 0 ? 0 : Long.divideUnsigned(n, m);
    }

    /** UDIV of the low words, zero-extended. */
    public static long udiv32(long n, long m) {
        long divisor = zeroExtend32(m);
        return divisor == 0 ? 0 : zeroExtend32(n) / divisor;
    }

    /**
     * SDIV: rounds toward zero; division by zero gives 0; INT_MIN / -1 overflows to INT_MIN,
     * which is what Java's division already does.
     */
    public static void sdiv(Cpu cpu, int word) {
        long n = cpu.x[rn(word)];
        long m = cpu.x[rm(word)];
        cpu.setX(rd(word), word < 0 ? sdiv64(n, m) : sdiv32(n, m));
        cpu.pc += 4;
    }

    public static long sdiv64(long n, long m) {
        return m == 0 ? 0 : n / m;
    }

    /** SDIV of the low words, zero-extended. */
    public static long sdiv32(long n, long m) {
        int divisor = (int) m;
        return divisor == 0 ? 0 : zeroExtend32((int) n / divisor);
    }

    /** LSLV/LSRV/ASRV/RORV: the amount is Rm modulo the data size. */
    public static void shiftVariable(Cpu cpu, int word) {
        int type = (word >>> 10) & 3;
        long value = cpu.x[rn(word)];
        long amount = cpu.x[rm(word)];
        long result = word < 0
                ? Alu.shift64(value, type, (int) (amount & 63))
                : Alu.shift32(value, type, (int) (amount & 31));
        cpu.setX(rd(word), result);
        cpu.pc += 4;
    }

    /** CRC32 (reflected polynomial 0x04C11DB7) and CRC32C (0x1EDC6F41) of 1, 2, 4 or 8 bytes of Rm. */
    public static void crc32(Cpu cpu, int word) {
        int sz = (word >>> 10) & 3;
        boolean sf = word < 0;
        if (sf != (sz == 3)) {
            throw GuestException.undefined();
        }
        boolean castagnoli = (word & (1 << 12)) != 0;
        int acc = (int) cpu.x[rn(word)];
        long data = cpu.x[rm(word)];
        int result = Crc32.update(acc, data, 1 << sz, castagnoli);
        cpu.setX(rd(word), zeroExtend32(result));
        cpu.pc += 4;
    }

    // ---- Data processing (1 source) ---------------------------------------------------------------

    public static void rbit(Cpu cpu, int word) {
        cpu.setX(rd(word), reverseBits(cpu.x[rn(word)], word < 0));
        cpu.pc += 4;
    }

    /** RBIT's value: the bits of the 64-bit (sf) or 32-bit value reversed. */
    public static long reverseBits(long value, boolean sf) {
        return sf ? Long.reverse(value) : zeroExtend32(Integer.reverse((int) value));
    }

    /** REV16: swaps the bytes of every halfword. */
    public static void rev16(Cpu cpu, int word) {
        cpu.setX(rd(word), reverseBytes16(cpu.x[rn(word)], word < 0));
        cpu.pc += 4;
    }

    public static long reverseBytes16(long value, boolean sf) {
        long result = ((value & 0x00FF_00FF_00FF_00FFL) << 8) | ((value >>> 8) & 0x00FF_00FF_00FF_00FFL);
        return sf ? result : zeroExtend32(result);
    }

    /** REV32 (sf=1) reverses the bytes of each word; with sf=0 this encoding is REV Wd. */
    public static void rev32(Cpu cpu, int word) {
        cpu.setX(rd(word), reverseBytes32(cpu.x[rn(word)], word < 0));
        cpu.pc += 4;
    }

    public static long reverseBytes32(long value, boolean sf) {
        if (sf) {
            long lo = Integer.reverseBytes((int) value) & 0xFFFF_FFFFL;
            long hi = Integer.reverseBytes((int) (value >>> 32)) & 0xFFFF_FFFFL;
            return (hi << 32) | lo;
        }
        return zeroExtend32(Integer.reverseBytes((int) value));
    }

    /** REV (64-bit); the encoding with sf=0 is unallocated. */
    public static void rev64(Cpu cpu, int word) {
        if (word >= 0) {
            throw GuestException.undefined();
        }
        cpu.setX(rd(word), Long.reverseBytes(cpu.x[rn(word)]));
        cpu.pc += 4;
    }

    public static void clz(Cpu cpu, int word) {
        cpu.setX(rd(word), countLeadingZeros(cpu.x[rn(word)], word < 0));
        cpu.pc += 4;
    }

    public static long countLeadingZeros(long value, boolean sf) {
        return sf ? Long.numberOfLeadingZeros(value) : Integer.numberOfLeadingZeros((int) value);
    }

    /** CLS: the number of bits below the top bit that equal it. */
    public static void cls(Cpu cpu, int word) {
        cpu.setX(rd(word), countLeadingSignBits(cpu.x[rn(word)], word < 0));
        cpu.pc += 4;
    }

    public static long countLeadingSignBits(long value, boolean sf) {
        return sf
                ? Long.numberOfLeadingZeros(value ^ (value >> 1)) - 1
                : Integer.numberOfLeadingZeros((int) value ^ ((int) value >> 1)) - 1;
    }

    // ---- Data processing (3 source) ---------------------------------------------------------------

    public static void madd(Cpu cpu, int word) {
        long result = cpu.x[ra(word)] + cpu.x[rn(word)] * cpu.x[rm(word)];
        cpu.setX(rd(word), word < 0 ? result : zeroExtend32(result));
        cpu.pc += 4;
    }

    public static void msub(Cpu cpu, int word) {
        long result = cpu.x[ra(word)] - cpu.x[rn(word)] * cpu.x[rm(word)];
        cpu.setX(rd(word), word < 0 ? result : zeroExtend32(result));
        cpu.pc += 4;
    }

    public static void smaddl(Cpu cpu, int word) {
        cpu.setX(rd(word), cpu.x[ra(word)] + (long) (int) cpu.x[rn(word)] * (int) cpu.x[rm(word)]);
        cpu.pc += 4;
    }

    public static void smsubl(Cpu cpu, int word) {
        cpu.setX(rd(word), cpu.x[ra(word)] - (long) (int) cpu.x[rn(word)] * (int) cpu.x[rm(word)]);
        cpu.pc += 4;
    }

    public static void umaddl(Cpu cpu, int word) {
        cpu.setX(rd(word), cpu.x[ra(word)] + zeroExtend32(cpu.x[rn(word)]) * zeroExtend32(cpu.x[rm(word)]));
        cpu.pc += 4;
    }

    public static void umsubl(Cpu cpu, int word) {
        cpu.setX(rd(word), cpu.x[ra(word)] - zeroExtend32(cpu.x[rn(word)]) * zeroExtend32(cpu.x[rm(word)]));
        cpu.pc += 4;
    }

    public static void smulh(Cpu cpu, int word) {
        cpu.setX(rd(word), Math.multiplyHigh(cpu.x[rn(word)], cpu.x[rm(word)]));
        cpu.pc += 4;
    }

    /** UMULH: the high half of the unsigned 128-bit product, from the signed one. */
    public static void umulh(Cpu cpu, int word) {
        cpu.setX(rd(word), unsignedMultiplyHigh(cpu.x[rn(word)], cpu.x[rm(word)]));
        cpu.pc += 4;
    }

    public static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    // ---- FEAT_FlagM ----------------------------------------------------------------------------

    /**
     * RMIF: ROR(Xn, imm6) bits 3:0 go into those of N, Z, C, V whose mask bit is set
     * (mask<3> = N ... mask<0> = V).
     */
    public static void rmif(Cpu cpu, int word) {
        long tmp = Long.rotateRight(cpu.x[(word >>> 5) & 31], (word >>> 15) & 0x3F);
        int mask = (word & 0xF) << 28;
        cpu.nzcv = (cpu.nzcv & ~mask) | (((int) tmp << 28) & mask);
        cpu.pc += 4;
    }

    /** SETF8/SETF16: N = Wn<msb>, Z = (Wn<msb:0> == 0), V = Wn<msb+1> EOR Wn<msb>; C unchanged. */
    private static void setFlags(Cpu cpu, int word, int bits) {
        long tmp = cpu.x[(word >>> 5) & 31];
        int n = (int) (tmp >>> (bits - 1)) & 1;
        int z = (tmp & ((1L << bits) - 1)) == 0 ? 1 : 0;
        int v = ((int) (tmp >>> bits) & 1) ^ n;
        cpu.nzcv = (cpu.nzcv & (1 << 29)) | (n << 31) | (z << 30) | (v << 28);
        cpu.pc += 4;
    }

    public static void setf8(Cpu cpu, int word) {
        setFlags(cpu, word, 8);
    }

    public static void setf16(Cpu cpu, int word) {
        setFlags(cpu, word, 16);
    }
}
