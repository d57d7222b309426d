package a64emu.guest.proc;

import a64emu.guest.mm.AddressSpace;

/** Process tables whose one process makes every call, for tests of other synthetic trees (/sys). */
public final class TestCallers {
    private TestCallers() {}

    /** A table of one process, pid 4242, with user and group {@code uid}, the capabilities that go with it. */
    public static ProcessTable callerWithUid(AddressSpace mm, long uid) {
        TestProcess p = new TestProcess(4242, mm);
        p.uid = uid;
        p.gid = uid;
        return TestProcess.table(p);
    }
}
