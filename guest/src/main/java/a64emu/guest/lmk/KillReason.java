package a64emu.guest.lmk;

/**
 * Why lmkd killed (its {@code enum kill_reasons} in {@code statslog.h}, the reason of the
 * LmkKillOccurred atom), in that header's order. The minfree policy kills without a reason
 * ({@link #NONE}).
 */
public enum KillReason {
    NONE,
    PRESSURE_AFTER_KILL,
    NOT_RESPONDING,
    LOW_SWAP_AND_THRASHING,
    LOW_MEM_AND_SWAP,
    LOW_MEM_AND_THRASHING,
    DIRECT_RECL_AND_THRASHING,
    LOW_MEM_AND_SWAP_UTIL,
    LOW_FILECACHE_AFTER_THRASHING,
    LOW_MEM
}
