package a64emu.guest.security;

import static a64emu.guest.security.Bpf.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.security.Bpf.Insn;
import org.junit.jupiter.api.Test;

class BpfTest {
    private static Insn s(int code, int k) {
        return Insn.stmt(code, k);
    }

    private static Insn j(int code, int k, int jt, int jf) {
        return Insn.jump(code, k, jt, jf);
    }

    private static final long[] NO_ARGS = new long[6];

    /** Runs a program seccomp accepted over seccomp_data for call nr with the given arguments. */
    private static int run(int nr, long[] args, Insn... p) {
        Insn[] checked = SeccompFilter.check(p);
        assertNotNull(checked, "the program must pass seccomp's checks");
        return Bpf.run(checked, SeccompFilter.data(nr, SeccompFilter.AUDIT_ARCH_AARCH64, 0x400123L, args));
    }

    @Test
    void wordLoadsReadEachFieldOfSeccompData() {
        long[] args = {0x1111_2222_3333_4444L, 0, 0, 0, 0, 0x5555_6666_7777_8888L};
        assertEquals(172, run(172, args, s(LD | W | ABS, 0), s(RET | A, 0)));
        assertEquals(SeccompFilter.AUDIT_ARCH_AARCH64, run(172, args, s(LD | W | ABS, 4), s(RET | A, 0)));
        assertEquals(0x400123, run(172, args, s(LD | W | ABS, 8), s(RET | A, 0)));
        assertEquals(0, run(172, args, s(LD | W | ABS, 12), s(RET | A, 0)));
        assertEquals(0x3333_4444, run(172, args, s(LD | W | ABS, 16), s(RET | A, 0)));
        assertEquals(0x1111_2222, run(172, args, s(LD | W | ABS, 20), s(RET | A, 0)));
        assertEquals(0x5555_6666, run(172, args, s(LD | W | ABS, 60), s(RET | A, 0)));
    }

    @Test
    void lenLoadsAreTheSizeOfSeccompData() {
        assertEquals(64, run(1, NO_ARGS, s(LD | W | LEN, 0), s(RET | A, 0)));
        assertEquals(64, run(1, NO_ARGS, s(LDX | W | LEN, 0), s(MISC | TXA, 0), s(RET | A, 0)));
    }

    @Test
    void conditionalJumpsCompareUnsignedWithKAndX() {
        Insn[] jeq = {s(LD | W | ABS, 0), j(JMP | JEQ | K, 39, 1, 0), s(RET | K, 1), s(RET | K, 2)};
        assertEquals(2, run(39, NO_ARGS, jeq));
        assertEquals(1, run(40, NO_ARGS, jeq));
        Insn[] jgt = {s(LD | W | ABS, 16), j(JMP | JGT | K, 10, 0, 1), s(RET | K, 1), s(RET | K, 2)};
        assertEquals(1, run(0, new long[] {11, 0, 0, 0, 0, 0}, jgt));
        assertEquals(2, run(0, new long[] {10, 0, 0, 0, 0, 0}, jgt));
        assertEquals(1, run(0, new long[] {0xFFFF_FFFFL, 0, 0, 0, 0, 0}, jgt), "unsigned: -1 is above 10");
        Insn[] jge = {s(LD | W | ABS, 16), j(JMP | JGE | K, 10, 0, 1), s(RET | K, 1), s(RET | K, 2)};
        assertEquals(1, run(0, new long[] {10, 0, 0, 0, 0, 0}, jge));
        assertEquals(2, run(0, new long[] {9, 0, 0, 0, 0, 0}, jge));
        Insn[] jset = {s(LD | W | ABS, 16), j(JMP | JSET | K, 0x4, 0, 1), s(RET | K, 1), s(RET | K, 2)};
        assertEquals(1, run(0, new long[] {6, 0, 0, 0, 0, 0}, jset));
        assertEquals(2, run(0, new long[] {3, 0, 0, 0, 0, 0}, jset));
        Insn[] jeqX = {s(LDX | IMM, 5), s(LD | W | ABS, 0), j(JMP | JEQ | X, 0, 0, 1), s(RET | K, 1), s(RET | K, 2)};
        assertEquals(1, run(5, NO_ARGS, jeqX));
        assertEquals(2, run(6, NO_ARGS, jeqX));
    }

    @Test
    void jaSkipsForward() {
        assertEquals(3, run(0, NO_ARGS, s(JMP | JA, 1), s(RET | K, 2), s(RET | K, 3)));
    }

    @Test
    void aluOperationsAreThirtyTwoBitUnsigned() {
        assertEquals(12, alu(ADD | K, 10, 2));
        assertEquals(8, alu(SUB | K, 10, 2));
        assertEquals(-1, alu(SUB | K, 0, 1));
        assertEquals(30, alu(MUL | K, 10, 3));
        assertEquals(0x7FFF_FFFF, alu(DIV | K, -2, 2), "unsigned division");
        assertEquals(1, alu(MOD | K, 10, 3));
        assertEquals(0x0F, alu(AND | K, 0xFF, 0x0F));
        assertEquals(0xFF, alu(OR | K, 0xF0, 0x0F));
        assertEquals(0xF0, alu(XOR | K, 0xFF, 0x0F));
        assertEquals(0x100, alu(LSH | K, 1, 8));
        assertEquals(0x7FFF_FFFF, alu(RSH | K, -1, 1), "logical shift");
        assertEquals(-10, run(0, new long[] {10, 0, 0, 0, 0, 0}, s(LD | W | ABS, 16), s(ALU | NEG, 0), s(RET | A, 0)));
        // The same operations with X.
        assertEquals(12, run(0, new long[] {10, 0, 0, 0, 0, 0},
                s(LDX | IMM, 2), s(LD | W | ABS, 16), s(ALU | ADD | X, 0), s(RET | A, 0)));
        assertEquals(5, run(0, new long[] {10, 0, 0, 0, 0, 0},
                s(LDX | IMM, 2), s(LD | W | ABS, 16), s(ALU | DIV | X, 0), s(RET | A, 0)));
    }

    @Test
    void divisionByAZeroXEndsTheProgramWithZero() {
        assertEquals(0, run(0, new long[] {10, 0, 0, 0, 0, 0},
                s(LDX | IMM, 0), s(LD | W | ABS, 16), s(ALU | DIV | X, 0), s(RET | K, 7)));
        assertEquals(0, run(0, new long[] {10, 0, 0, 0, 0, 0},
                s(LDX | IMM, 0), s(LD | W | ABS, 16), s(ALU | MOD | X, 0), s(RET | K, 7)));
    }

    private static int alu(int op, int a, int k) {
        return run(0, new long[] {a & 0xFFFF_FFFFL, 0, 0, 0, 0, 0}, s(LD | W | ABS, 16), s(ALU | op, k), s(RET | A, 0));
    }

    @Test
    void retKReturnsItsConstant() {
        assertEquals(Seccomp.RET_ERRNO | 13, run(0, NO_ARGS, s(RET | K, Seccomp.RET_ERRNO | 13)));
    }

    @Test
    void taxTxaAndScratchMemoryMoveValues() {
        assertEquals(42, run(42, NO_ARGS, s(LD | W | ABS, 0), s(MISC | TAX, 0), s(LD | IMM, 0), s(MISC | TXA, 0),
                s(RET | A, 0)));
        assertEquals(42, run(42, NO_ARGS, s(LD | W | ABS, 0), s(ST, 15), s(LD | IMM, 0), s(LD | MEM, 15),
                s(RET | A, 0)));
        assertEquals(42, run(42, NO_ARGS, s(LDX | IMM, 42), s(STX, 3), s(LDX | IMM, 0), s(LDX | MEM, 3),
                s(MISC | TXA, 0), s(RET | A, 0)));
    }

    @Test
    void classicCheckRefusesWhatLinuxRefuses() {
        Insn ret = s(RET | K, 0);
        assertFalse(checkClassic(new Insn[0]), "empty");
        assertFalse(checkClassic(new Insn[MAXINSNS + 1]), "too long");
        assertFalse(checkClassic(new Insn[] {s(LD | W | ABS, 0)}), "no final RET");
        assertFalse(checkClassic(new Insn[] {s(0xFF, 0), ret}), "unknown code");
        assertFalse(checkClassic(new Insn[] {s(ALU | DIV | K, 0), ret}), "division by constant 0");
        assertFalse(checkClassic(new Insn[] {s(ALU | MOD | K, 0), ret}), "modulo by constant 0");
        assertFalse(checkClassic(new Insn[] {s(ALU | LSH | K, 32), ret}), "shift by 32");
        assertFalse(checkClassic(new Insn[] {s(ST, 16), ret}), "scratch slot 16");
        assertFalse(checkClassic(new Insn[] {s(JMP | JA, 1), ret}), "JA past the end");
        assertFalse(checkClassic(new Insn[] {j(JMP | JEQ | K, 0, 1, 0), ret}), "jt past the end");
        assertFalse(checkClassic(new Insn[] {j(JMP | JEQ | K, 0, 0, 1), ret}), "jf past the end");
        assertFalse(checkClassic(new Insn[] {s(LD | MEM, 0), ret}), "scratch read before any store");
        assertFalse(checkClassic(new Insn[] {s(LD | W | ABS, SKF_AD_OFF), ret}), "ancillary load");
        // A store on one path only does not make the slot readable after the paths join.
        assertFalse(checkClassic(new Insn[] {j(JMP | JEQ | K, 0, 0, 1), s(ST, 2), s(LD | MEM, 2), ret}));
        assertTrue(checkClassic(new Insn[] {s(ST, 2), j(JMP | JEQ | K, 0, 0, 1), s(ST, 3), s(LD | MEM, 2), ret}));
        assertTrue(checkClassic(new Insn[] {j(JMP | JEQ | K, 0, 0, 0), ret}));
    }

    @Test
    void seccompCheckKeepsOnlyAlignedWordLoadsInsideSeccompData() {
        Insn ret = s(RET | K, 0);
        assertNull(SeccompFilter.check(new Insn[] {s(LD | W | ABS, 64), ret}), "past the end");
        assertNull(SeccompFilter.check(new Insn[] {s(LD | W | ABS, 2), ret}), "unaligned");
        assertNull(SeccompFilter.check(new Insn[] {s(LD | H | ABS, 0), ret}), "half word");
        assertNull(SeccompFilter.check(new Insn[] {s(LD | B | ABS, 0), ret}), "byte");
        assertNull(SeccompFilter.check(new Insn[] {s(LD | W | IND, 0), ret}), "indirect");
        assertNull(SeccompFilter.check(new Insn[] {s(LDX | B | MSH, 0), ret}), "MSH");
        assertNotNull(SeccompFilter.check(new Insn[] {s(LD | W | ABS, 60), ret}));
    }

    @Test
    void decodeReadsLittleEndianSockFilters() {
        byte[] raw = {0x20, 0, 1, 2, 4, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, (byte) 0xFF, 0x7F};
        Insn[] p = decode(raw, 2);
        assertEquals(new Insn(LD | W | ABS, 1, 2, 4), p[0]);
        assertEquals(new Insn(RET | K, 0, 0, Seccomp.RET_ALLOW), p[1]);
    }
}
