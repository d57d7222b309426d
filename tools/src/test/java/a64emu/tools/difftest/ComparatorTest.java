package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ComparatorTest {
    private final byte[] reference = new byte[ScratchMemory.SIZE];

    private static Outcome retired(MachineState s, long address, int value) {
        TreeMap<Long, Byte> written = new TreeMap<>();
        if (address >= 0) {
            written.put(address, (byte) value);
        }
        return new Outcome(Outcome.Kind.RETIRED, "", s, written);
    }

    @Test
    void identicalOutcomesAgree() {
        MachineState s = new MachineState();
        assertEquals(List.of(), Comparator.differences(retired(s, 0x2000, 7), retired(s.copy(), 0x2000, 7), reference, true));
    }

    @Test
    void aRegisterDifferenceIsNamedWithBothValues() {
        MachineState a = new MachineState();
        MachineState b = a.copy();
        b.x[3] = 0x10;
        b.v[2 * 5 + 1] = 1;
        assertEquals(List.of("x3: a64emu=0 oracle=10", "v5: a64emu=00000000000000000000000000000000 "
                + "oracle=00000000000000010000000000000000"), Comparator.differences(retired(a, -1, 0), retired(b, -1, 0), reference, true));
    }

    @Test
    void aByteOnlyOneEngineStoredIsComparedWithTheReference() {
        MachineState s = new MachineState();
        reference[0x3000] = 5;
        assertEquals(List.of(), Comparator.differences(retired(s, 0x3000, 5), retired(s, -1, 0), reference, true));
        assertEquals(List.of("mem[3000]: a64emu=06 oracle=05"),
                Comparator.differences(retired(s, 0x3000, 6), retired(s, -1, 0), reference, true));
    }

    @Test
    void differentOutcomeKindsDifferAndEqualExceptionsAgree() {
        Outcome undefined = Outcome.exception(Outcome.Kind.UNDEFINED, "a");
        assertEquals(List.of(), Comparator.differences(undefined, Outcome.exception(Outcome.Kind.UNDEFINED, "b"), reference, true));
        assertEquals(1, Comparator.differences(undefined, retired(new MachineState(), -1, 0), reference, true).size());
    }

    @Test
    void tpidrIsComparedOnlyWhenTheOracleCan() {
        MachineState a = new MachineState();
        MachineState b = a.copy();
        b.tpidr = 1;
        assertEquals(1, Comparator.differences(retired(a, -1, 0), retired(b, -1, 0), reference, true).size());
        assertEquals(0, Comparator.differences(retired(a, -1, 0), retired(b, -1, 0), reference, false).size());
    }
}
