package a64emu.guest.lmk;

import java.util.Objects;

/**
 * Which low-memory killer the machine runs, as {@code run --lmk} says: lmkd's PSI policy
 * (Android's default, {@code ro.lmk.use_psi=true}), its old minfree policy
 * ({@code ro.lmk.use_minfree_levels=true}) with Android's table for the RAM size or an explicit
 * one, or no lmkd at all (only the kernel's OOM killer).
 *
 * @param mode    the policy
 * @param minfree for {@link Mode#MINFREE}, the explicit table; null for the one ActivityManager
 *                computes for the RAM ({@link MinfreeTable#android}) and for the other modes
 */
public record LmkConfig(Mode mode, MinfreeTable minfree) {
    /** lmkd's kill strategies. */
    public enum Mode {
        /** The new strategy on PSI events: watermarks, swap and thrashing ({@code mp_event_psi}). */
        PSI,
        /** The old strategy: minfree levels against free memory and file cache ({@code mp_event_common}). */
        MINFREE,
        /** No lmkd. */
        OFF
    }

    /** Android's default: lmkd on PSI. */
    public static final LmkConfig DEFAULT = new LmkConfig(Mode.PSI, null);
    public static final LmkConfig OFF = new LmkConfig(Mode.OFF, null);

    public LmkConfig {
        Objects.requireNonNull(mode, "mode");
        if (minfree != null && mode != Mode.MINFREE) {
            throw new IllegalArgumentException("a minfree table belongs to the minfree policy, not " + mode);
        }
    }

    /**
     * The value of {@code --lmk}: {@code psi}, {@code minfree}, {@code minfree=PAGES,...,adj=A,...}
     * or {@code off}; anything else, or a table {@link MinfreeTable#of} refuses, is an
     * {@link IllegalArgumentException} saying what is wrong.
     */
    public static LmkConfig parse(String text) {
        String t = text.trim();
        if (t.equals("psi")) {
            return DEFAULT;
        }
        if (t.equals("off")) {
            return OFF;
        }
        if (t.equals("minfree")) {
            return new LmkConfig(Mode.MINFREE, null);
        }
        if (t.startsWith("minfree=")) {
            try {
                return new LmkConfig(Mode.MINFREE, MinfreeTable.parse(t.substring("minfree=".length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("minfree table: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not psi, minfree, minfree=PAGES,...,adj=ADJ,... or off");
    }

    /** Whether lmkd runs at all. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** The minfree table for a machine with {@code memTotalKb} of MemTotal: the explicit one, or Android's. */
    public MinfreeTable minfreeFor(long memTotalKb) {
        return minfree != null ? minfree : MinfreeTable.android(memTotalKb);
    }

    /** As {@code --lmk} takes it. */
    @Override
    public String toString() {
        return switch (mode) {
            case PSI -> "psi";
            case OFF -> "off";
            case MINFREE -> minfree == null ? "minfree" : "minfree=" + minfree;
        };
    }
}
