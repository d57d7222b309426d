package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * A64 "Branches, Exception Generating and System instructions" (ARM ARM C4.1.87,
 * op0 = 101x): immediate, conditional, compare-and-branch, test-and-branch and register
 * branches; SVC and BRK; hints and barriers. The system-register and system-instruction
 * space is in {@link SystemRegisterAccess}.
 *
 * <p>HVC, SMC, HLT, DCPS*, ERET, DRPS and the pointer-authenticating branches (BRAA,
 * RETAA, ...) are not listed: at EL0 without FEAT_PAuth they are UNDEFINED, which is
 * what an unmatched word executes as.
 *
 * <p>Fields: i = imm, c = cond, t = Rt, n = Rn, b = b5:b40, m = CRm, o = op2.
 */
public final class BranchExceptionSystem {
    private BranchExceptionSystem() {}

    public static final List<Encoding> ENCODINGS = List.of(
            //           3         2         1         0
            //          10987654321098765432109876543210
            Encoding.of("B",      "000101iiiiiiiiiiiiiiiiiiiiiiiiii", BranchExceptionSystem::b),
            Encoding.of("BL",     "100101iiiiiiiiiiiiiiiiiiiiiiiiii", BranchExceptionSystem::bl),
            Encoding.of("B_COND", "01010100iiiiiiiiiiiiiiiiiii0cccc", BranchExceptionSystem::bCond),
            Encoding.of("CBZ",    "f0110100iiiiiiiiiiiiiiiiiiittttt", BranchExceptionSystem::cbz),
            Encoding.of("CBNZ",   "f0110101iiiiiiiiiiiiiiiiiiittttt", BranchExceptionSystem::cbnz),
            Encoding.of("TBZ",    "b0110110bbbbbiiiiiiiiiiiiiittttt", BranchExceptionSystem::tbz),
            Encoding.of("TBNZ",   "b0110111bbbbbiiiiiiiiiiiiiittttt", BranchExceptionSystem::tbnz),

            Encoding.of("BR",     "1101011000011111000000nnnnn00000", BranchExceptionSystem::br),
            Encoding.of("BLR",    "1101011000111111000000nnnnn00000", BranchExceptionSystem::blr),
            Encoding.of("RET",    "1101011001011111000000nnnnn00000", BranchExceptionSystem::br),

            Encoding.of("SVC",    "11010100000iiiiiiiiiiiiiiii00001", BranchExceptionSystem::svc),
            Encoding.of("BRK",    "11010100001iiiiiiiiiiiiiiii00000", BranchExceptionSystem::brk),

            // Hint space (CRm:op2): every hint we do not implement behaves as NOP (ARM ARM
            // C6.2 HINT), which includes the PAuth and BTI hints on a core without them.
            Encoding.of("HINT",      "11010101000000110010mmmmooo11111", BranchExceptionSystem::nop),
            Encoding.of("NOP",       "11010101000000110010000000011111", BranchExceptionSystem::nop),
            Encoding.of("YIELD",     "11010101000000110010000000111111", BranchExceptionSystem::nop),
            Encoding.of("WFE",       "11010101000000110010000001011111", BranchExceptionSystem::nop),
            Encoding.of("WFI",       "11010101000000110010000001111111", BranchExceptionSystem::nop),
            Encoding.of("SEV",       "11010101000000110010000010011111", BranchExceptionSystem::nop),
            Encoding.of("SEVL",      "11010101000000110010000010111111", BranchExceptionSystem::nop),
            Encoding.of("XPACLRI",   "11010101000000110010000011111111", BranchExceptionSystem::nop),
            Encoding.of("ESB",       "11010101000000110010001000011111", BranchExceptionSystem::nop),
            Encoding.of("CSDB",      "11010101000000110010001010011111", BranchExceptionSystem::nop),
            Encoding.of("PACIASP",   "11010101000000110010001100111111", BranchExceptionSystem::nop),
            Encoding.of("PACIBSP",   "11010101000000110010001101111111", BranchExceptionSystem::nop),
            Encoding.of("AUTIASP",   "11010101000000110010001110111111", BranchExceptionSystem::nop),
            Encoding.of("AUTIBSP",   "11010101000000110010001111111111", BranchExceptionSystem::nop),
            Encoding.of("BTI",       "110101010000001100100100oo011111", BranchExceptionSystem::nop),

            // Barriers: with one PE and in-order execution they order nothing further.
            Encoding.of("CLREX",  "11010101000000110011mmmm01011111", BranchExceptionSystem::clrex),
            Encoding.of("DSB",    "11010101000000110011mmmm10011111", BranchExceptionSystem::nop),
            Encoding.of("DMB",    "11010101000000110011mmmm10111111", BranchExceptionSystem::nop),
            Encoding.of("ISB",    "11010101000000110011mmmm11011111", BranchExceptionSystem::nop),
            Encoding.of("SB",     "11010101000000110011000011111111", BranchExceptionSystem::nop),
            // PSTATE (MSR immediate, op1=000 CRm=0000): FEAT_FlagM CFINV, FEAT_FlagM2
            // XAFLAG/AXFLAG. The other PSTATE fields are not accessible at EL0 (or belong
            // to features a64emu does not implement) and stay UNDEFINED.
            Encoding.of("CFINV",  "11010101000000000100000000011111", BranchExceptionSystem::cfinv),
            Encoding.of("XAFLAG", "11010101000000000100000000111111", BranchExceptionSystem::xaflag),
            Encoding.of("AXFLAG", "11010101000000000100000001011111", BranchExceptionSystem::axflag));

    // ---- Immediate branches -----------------------------------------------------------------------

    public static void b(Cpu cpu, int word) {
        cpu.pc += imm26Offset(word);
    }

    public static void bl(Cpu cpu, int word) {
        cpu.x[30] = cpu.pc + 4;
        cpu.pc += imm26Offset(word);
    }

    /** imm26 times 4: the offset of B and BL. */
    public static long imm26Offset(int word) {
        return (long) ((word << 6) >> 6) << 2;
    }

    /** imm19 in bits 23:5, times 4: the offset of B.cond, CBZ/CBNZ and LDR (literal). */
    public static long imm19Offset(int word) {
        return (long) ((word << 8) >> 13) << 2;
    }

    public static void bCond(Cpu cpu, int word) {
        cpu.pc += Alu.conditionHolds(word & 0xF, cpu.nzcv) ? imm19Offset(word) : 4;
    }

    private static long testedRegister(Cpu cpu, int word) {
        long value = cpu.x[word & 31];
        return word < 0 ? value : value & 0xFFFF_FFFFL;
    }

    public static void cbz(Cpu cpu, int word) {
        cpu.pc += testedRegister(cpu, word) == 0 ? imm19Offset(word) : 4;
    }

    public static void cbnz(Cpu cpu, int word) {
        cpu.pc += testedRegister(cpu, word) != 0 ? imm19Offset(word) : 4;
    }

    /** Bit number b5:b40 of Rt; the target is imm14 * 4 from the branch. */
    private static boolean testedBit(Cpu cpu, int word) {
        return ((cpu.x[word & 31] >>> testedBitNumber(word)) & 1) != 0;
    }

    /** TBZ/TBNZ's bit number, b5:b40. */
    public static int testedBitNumber(int word) {
        return ((word >>> 26) & 0x20) | ((word >>> 19) & 0x1F);
    }

    public static long imm14Offset(int word) {
        return (long) ((word << 13) >> 18) << 2;
    }

    public static void tbz(Cpu cpu, int word) {
        cpu.pc += testedBit(cpu, word) ? 4 : imm14Offset(word);
    }

    public static void tbnz(Cpu cpu, int word) {
        cpu.pc += testedBit(cpu, word) ? imm14Offset(word) : 4;
    }

    // ---- Register branches --------------------------------------------------------------------------

    /** BR and RET: branch to Xn (RET's hint that it is a return does not change the behaviour). */
    public static void br(Cpu cpu, int word) {
        cpu.pc = cpu.x[(word >>> 5) & 31];
    }

    /** BLR: the target is read before X30 is written, so BLR X30 works. */
    public static void blr(Cpu cpu, int word) {
        long target = cpu.x[(word >>> 5) & 31];
        cpu.x[30] = cpu.pc + 4;
        cpu.pc = target;
    }

    // ---- Exception generation -------------------------------------------------------------------------

    /** SVC: the preferred return address is the next instruction (ARM ARM D1.10.1). */
    public static void svc(Cpu cpu, int word) {
        cpu.pc += 4;
        throw GuestException.svc(word >>> 5);
    }

    /** BRK: the preferred return address is the BRK itself. */
    public static void brk(Cpu cpu, int word) {
        throw GuestException.brk(word >>> 5);
    }

    // ---- Hints and barriers -----------------------------------------------------------------------------

    public static void nop(Cpu cpu, int word) {
        cpu.pc += 4;
    }

    /** CLREX clears the local exclusive monitor. */
    public static void clrex(Cpu cpu, int word) {
        cpu.clearExclusive();
        cpu.pc += 4;
    }

    // ---- FEAT_FlagM / FEAT_FlagM2 ----------------------------------------------------------------

    private static final int N = 1 << 31;
    private static final int Z = 1 << 30;
    private static final int C = 1 << 29;
    private static final int V = 1 << 28;

    /** CFINV: PSTATE.C = NOT PSTATE.C. */
    public static void cfinv(Cpu cpu, int word) {
        cpu.nzcv ^= C;
        cpu.pc += 4;
    }

    /**
     * XAFLAG: from the FCMP-style encoding of an "external" comparison to the Arm one:
     * N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z (ARM ARM C6.2 XAFLAG).
     */
    public static void xaflag(Cpu cpu, int word) {
        boolean z = (cpu.nzcv & Z) != 0;
        boolean c = (cpu.nzcv & C) != 0;
        cpu.nzcv = (!c && !z ? N : 0) | (z && c ? Z : 0) | (c || z ? C : 0) | (!c && z ? V : 0);
        cpu.pc += 4;
    }

    /** AXFLAG: Z = Z | V, C = C & !V, N = V = 0. */
    public static void axflag(Cpu cpu, int word) {
        boolean z = (cpu.nzcv & Z) != 0;
        boolean c = (cpu.nzcv & C) != 0;
        boolean v = (cpu.nzcv & V) != 0;
        cpu.nzcv = (z || v ? Z : 0) | (c && !v ? C : 0);
        cpu.pc += 4;
    }
}
