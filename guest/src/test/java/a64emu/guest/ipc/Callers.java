package a64emu.guest.ipc;

import java.util.List;

/** Callers for the IPC tests: root with every capability, and unprivileged users. */
final class Callers {
    private Callers() {}

    static final long ALL_CAPS = (1L << 41) - 1;
    static final long MEMLOCK = 8L << 20;

    static IpcCaller root(int tgid) {
        return new IpcCaller(tgid, 0, 0, List.of(), ALL_CAPS, MEMLOCK, 1000);
    }

    static IpcCaller user(int tgid, long uid, long gid) {
        return new IpcCaller(tgid, uid, gid, List.of(), 0, MEMLOCK, 1000);
    }

    static IpcNamespace namespace(a64emu.guest.mm.FrameAllocator frames, List<Object> woken) {
        return new IpcNamespace(frames, woken::add, () -> 42, () -> 1234);
    }
}
