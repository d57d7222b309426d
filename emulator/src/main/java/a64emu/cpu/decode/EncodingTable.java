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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The whole A64 encoding table: the concatenation of the per-group tables in
 * {@code a64emu.cpu.isa}, one class per decode group of the ARM ARM (C4.1).
 *
 * <p>Each group also declares its region: the bits every one of its encodings fixes alike
 * (EncodingTableTest checks it). A decoder loads a group's table, with the lambdas of its
 * semantics, only when it first meets a word in the group's region: building all ~730
 * encodings took a good part of every run's start, and a program uses a few groups.
 */
public final class EncodingTable {
    private EncodingTable() {}

    /**
     * One decode group: its class, its region (the words whose bits under {@code regionMask}
     * equal {@code regionValue}) and its table, which {@code encodings} reads (initialising the
     * class).
     */
    public record Group(Class<?> type, int regionMask, int regionValue, Supplier<List<Encoding>> encodings) {
        /** @param region a pattern of {@code 0}/{@code 1} (fixed) and {@code -} (any), as an encoding's */
        static Group of(Class<?> type, String region, Supplier<List<Encoding>> encodings) {
            Encoding r = Encoding.of(type.getSimpleName(), region, null);
            return new Group(type, r.mask(), r.value(), encodings);
        }

        /** Whether {@code word} is in the region, where every encoding of the group lies. */
        public boolean covers(int word) {
            return (word & regionMask) == regionValue;
        }
    }

    /** The groups in table order; register a new group here. */
    private static final List<Group> GROUPS = List.of(
            Group.of(DataProcessingImmediate.class, "---100--------------------------",
                    () -> DataProcessingImmediate.ENCODINGS),
            Group.of(DataProcessingRegister.class, "----101-------------------------",
                    () -> DataProcessingRegister.ENCODINGS),
            Group.of(BranchExceptionSystem.class, "---101--------------------------",
                    () -> BranchExceptionSystem.ENCODINGS),
            Group.of(SystemRegisterAccess.class, "1101010100----------------------",
                    () -> SystemRegisterAccess.ENCODINGS),
            Group.of(LoadStoreInteger.class, "----100-------------------------", () -> LoadStoreInteger.ENCODINGS),
            Group.of(LoadStoreAtomic.class, "----1000--1---------------------", () -> LoadStoreAtomic.ENCODINGS),
            Group.of(LoadStoreSimdFp.class, "----110-------------------------", () -> LoadStoreSimdFp.ENCODINGS),
            Group.of(FloatingPoint.class, "-001111-------------------------", () -> FloatingPoint.ENCODINGS),
            Group.of(AdvSimdThreeSame.class, "0--01110-------------1----------", () -> AdvSimdThreeSame.ENCODINGS),
            Group.of(AdvSimdThreeDifferent.class, "0--01110--1---------00----------",
                    () -> AdvSimdThreeDifferent.ENCODINGS),
            Group.of(AdvSimdTwoRegMisc.class, "0--01110--1--00-----10----------",
                    () -> AdvSimdTwoRegMisc.ENCODINGS),
            Group.of(AdvSimdAcrossLanes.class, "0--01110--11000-----10----------",
                    () -> AdvSimdAcrossLanes.ENCODINGS),
            Group.of(AdvSimdCopy.class, "0--01110000-----0----1----------", () -> AdvSimdCopy.ENCODINGS),
            Group.of(AdvSimdModifiedImmediate.class, "0--0111100000--------1----------",
                    () -> AdvSimdModifiedImmediate.ENCODINGS),
            Group.of(AdvSimdShiftImmediate.class, "0--011110------------1----------",
                    () -> AdvSimdShiftImmediate.ENCODINGS),
            Group.of(AdvSimdPermute.class, "0--01110--0-----0----0----------", () -> AdvSimdPermute.ENCODINGS),
            Group.of(AdvSimdScalar.class, "01-1111-------------------------", () -> AdvSimdScalar.ENCODINGS),
            Group.of(AdvSimdIndexedElement.class, "0---1111-------------0----------",
                    () -> AdvSimdIndexedElement.ENCODINGS),
            Group.of(Crypto.class, "-10-1110------------------------", () -> Crypto.ENCODINGS));

    /** The encodings of the groups read so far, each with its group. */
    private static final Map<Encoding, Class<?>> GROUP_OF = new IdentityHashMap<>();

    /** Every encoding, in table order (reads every group). */
    private static final class All {
        static final List<Encoding> ALL = build();

        private static List<Encoding> build() {
            List<Encoding> all = new ArrayList<>();
            GROUPS.forEach(g -> all.addAll(encodings(g)));
            return Collections.unmodifiableList(all);
        }
    }

    public static List<Encoding> all() {
        return All.ALL;
    }

    /** The groups, in table order, none read yet. */
    public static List<Group> groupTables() {
        return GROUPS;
    }

    /** {@code group}'s table, read now if it was not yet. */
    static List<Encoding> encodings(Group group) {
        List<Encoding> table = group.encodings().get();
        synchronized (GROUP_OF) {
            if (!table.isEmpty() && !GROUP_OF.containsKey(table.get(0))) {
                table.forEach(e -> GROUP_OF.put(e, group.type()));
            }
        }
        return table;
    }

    /** The decode-group classes, in table order. */
    public static List<Class<?>> groups() {
        return GROUPS.stream().<Class<?>>map(Group::type).toList();
    }

    /** The group class whose table lists {@code e}. */
    public static Class<?> groupOf(Encoding e) {
        synchronized (GROUP_OF) {
            Class<?> group = GROUP_OF.get(e);
            if (group != null) {
                return group;
            }
        }
        all();
        synchronized (GROUP_OF) {
            return GROUP_OF.get(e);
        }
    }
}
