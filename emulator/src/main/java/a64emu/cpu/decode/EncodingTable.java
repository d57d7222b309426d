package a64emu.cpu.decode;

import a64emu.cpu.isa.AdvSimdAcrossLanes;
import a64emu.cpu.isa.AdvSimdCopy;
import a64emu.cpu.isa.AdvSimdIndexedElement;
import a64emu.cpu.isa.AdvSimdModifiedImmediate;
import a64emu.cpu.isa.AdvSimdPermute;
import a64emu.cpu.isa.AdvSimdScalar;
import a64emu.cpu.isa.AdvSimdShiftImmediate;
import a64emu.cpu.isa.AdvSimdThreeDifferent;
import a64emu.cpu.isa.AdvSimdThreeSame;
import a64emu.cpu.isa.AdvSimdTwoRegMisc;
import a64emu.cpu.isa.BranchExceptionSystem;
import a64emu.cpu.isa.Crypto;
import a64emu.cpu.isa.DataProcessingImmediate;
import a64emu.cpu.isa.DataProcessingRegister;
import a64emu.cpu.isa.FloatingPoint;
import a64emu.cpu.isa.LoadStoreAtomic;
import a64emu.cpu.isa.LoadStoreInteger;
import a64emu.cpu.isa.LoadStoreSimdFp;
import a64emu.cpu.isa.SystemRegisterAccess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole A64 encoding table: the concatenation of the per-group tables in
 * {@code a64emu.cpu.isa}, one class per decode group of the ARM ARM (C4.1).
 */
public final class EncodingTable {
    private EncodingTable() {}

    /** Each group class and its ENCODINGS; register a new group here. */
    private static final Map<Class<?>, List<Encoding>> GROUPS = groups(
            DataProcessingImmediate.class, DataProcessingImmediate.ENCODINGS,
            DataProcessingRegister.class, DataProcessingRegister.ENCODINGS,
            BranchExceptionSystem.class, BranchExceptionSystem.ENCODINGS,
            SystemRegisterAccess.class, SystemRegisterAccess.ENCODINGS,
            LoadStoreInteger.class, LoadStoreInteger.ENCODINGS,
            LoadStoreAtomic.class, LoadStoreAtomic.ENCODINGS,
            LoadStoreSimdFp.class, LoadStoreSimdFp.ENCODINGS,
            FloatingPoint.class, FloatingPoint.ENCODINGS,
            AdvSimdThreeSame.class, AdvSimdThreeSame.ENCODINGS,
            AdvSimdThreeDifferent.class, AdvSimdThreeDifferent.ENCODINGS,
            AdvSimdTwoRegMisc.class, AdvSimdTwoRegMisc.ENCODINGS,
            AdvSimdAcrossLanes.class, AdvSimdAcrossLanes.ENCODINGS,
            AdvSimdCopy.class, AdvSimdCopy.ENCODINGS,
            AdvSimdModifiedImmediate.class, AdvSimdModifiedImmediate.ENCODINGS,
            AdvSimdShiftImmediate.class, AdvSimdShiftImmediate.ENCODINGS,
            AdvSimdPermute.class, AdvSimdPermute.ENCODINGS,
            AdvSimdScalar.class, AdvSimdScalar.ENCODINGS,
            AdvSimdIndexedElement.class, AdvSimdIndexedElement.ENCODINGS,
            Crypto.class, Crypto.ENCODINGS);

    private static final List<Encoding> ALL = build();
    private static final Map<Encoding, Class<?>> GROUP_OF = groupIndex();

    @SuppressWarnings("unchecked")
    private static Map<Class<?>, List<Encoding>> groups(Object... classAndTable) {
        Map<Class<?>, List<Encoding>> m = new LinkedHashMap<>();
        for (int i = 0; i < classAndTable.length; i += 2) {
            m.put((Class<?>) classAndTable[i], (List<Encoding>) classAndTable[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<Encoding> build() {
        List<Encoding> all = new ArrayList<>();
        GROUPS.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    private static Map<Encoding, Class<?>> groupIndex() {
        Map<Encoding, Class<?>> m = new IdentityHashMap<>();
        GROUPS.forEach((group, table) -> table.forEach(e -> m.put(e, group)));
        return m;
    }

    public static List<Encoding> all() {
        return ALL;
    }

    /** The decode-group classes, in table order. */
    public static List<Class<?>> groups() {
        return List.copyOf(GROUPS.keySet());
    }

    /** The group class whose table lists {@code e}. */
    public static Class<?> groupOf(Encoding e) {
        return GROUP_OF.get(e);
    }
}
