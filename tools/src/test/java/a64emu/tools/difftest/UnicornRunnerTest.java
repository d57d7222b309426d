package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's plumbing: state in, one instruction, state and memory out. */
class UnicornRunnerTest {
    private final ScratchMemory memory = new ScratchMemory(11);
    private final Decoder decoder = new Decoder(EncodingTable.all());

    private Outcome run(int word, MachineState in) {
        DiffCase c = new DiffCase(0, "test", decoder.decode(word), word, 0, in);
        try (UnicornRunner unicorn = new UnicornRunner(memory)) {
            return unicorn.run(List.of(c)).get(0);
        }
    }

    private static MachineState state() {
        MachineState s = new MachineState();
        s.pc = ScratchMemory.slotAddress(3);
        s.sp = 0x8000;
        return s;
    }

    @Test
    void addsTwoRegistersAndAdvancesThePc() {
        MachineState in = state();
        in.x[1] = 40;
        in.x[2] = 2;
        Outcome o = run(0x8b020020, in); // add x0, x1, x2
        assertEquals(Outcome.Kind.RETIRED, o.kind());
        assertEquals(42, o.state().x[0]);
        assertEquals(in.pc + 4, o.state().pc);
        assertEquals(in.x[29], o.state().x[29]);
    }

    @Test
    void fpcrAndFpsrGoInAndComeBack() {
        MachineState in = state();
        in.fpcr = 1L << 22; // round towards plus infinity
        in.fpsr = 0x10;     // IXC already set
        in.v[2] = Double.doubleToRawLongBits(1.0);
        in.v[4] = Double.doubleToRawLongBits(3.0);
        Outcome o = run(0x1e621820, in); // fdiv d0, d1, d2
        assertEquals(Double.doubleToRawLongBits(1.0 / 3.0) + 1, o.state().v[0], "1/3 rounded up");
        assertEquals(1L << 22, o.state().fpcr);
        assertEquals(0x10, o.state().fpsr);
    }

    @Test
    void aStoreIsReportedByteByByteAndUndone() {
        MachineState in = state();
        in.x[1] = 0x4000;
        in.x[0] = 0x1122334455667788L;
        Outcome o = run(0xf9000020, in); // str x0, [x1]
        assertEquals((byte) 0x88, o.written().get(0x4000L));
        assertEquals((byte) 0x11, o.written().get(0x4007L));
        assertEquals(8, o.written().size());
    }

    @Test
    void aLoadOutsideScratchMemoryIsADataAbortAndUndefinedIsUndefined() {
        MachineState in = state();
        in.x[1] = ScratchMemory.SIZE + 0x1000;
        assertEquals(Outcome.Kind.DATA_ABORT, run(0xf9400020, in).kind()); // ldr x0, [x1]
        assertEquals(Outcome.Kind.UNDEFINED, run(0x00000000, state()).kind()); // udf #0
    }
}
