package a64emu.cpu.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The whole A64 encoding table: the concatenation of the per-group tables in
 * {@code a64emu.cpu.isa}, one class per decode group of the ARM ARM (C4.1).
 */
public final class EncodingTable {
    private EncodingTable() {}

    private static final List<Encoding> ALL = build();

    private static List<Encoding> build() {
        List<Encoding> all = new ArrayList<>();
        // Each group class exposes ENCODINGS; register a new group here.
        all.addAll(a64emu.cpu.isa.DataProcessingImmediate.ENCODINGS);
        all.addAll(a64emu.cpu.isa.DataProcessingRegister.ENCODINGS);
        all.addAll(a64emu.cpu.isa.BranchExceptionSystem.ENCODINGS);
        all.addAll(a64emu.cpu.isa.SystemRegisterAccess.ENCODINGS);
        all.addAll(a64emu.cpu.isa.LoadStoreInteger.ENCODINGS);
        all.addAll(a64emu.cpu.isa.LoadStoreSimdFp.ENCODINGS);
        all.addAll(a64emu.cpu.isa.FloatingPoint.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdThreeSame.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdThreeDifferent.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdTwoRegMisc.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdAcrossLanes.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdCopy.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdModifiedImmediate.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdShiftImmediate.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdPermute.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdScalar.ENCODINGS);
        all.addAll(a64emu.cpu.isa.AdvSimdIndexedElement.ENCODINGS);
        return Collections.unmodifiableList(all);
    }

    public static List<Encoding> all() {
        return ALL;
    }
}
