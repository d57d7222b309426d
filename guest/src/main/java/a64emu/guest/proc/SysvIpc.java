package a64emu.guest.proc;

import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.fs.SyntheticNode.Entry;
import a64emu.guest.fs.SyntheticNode.Kind;
import a64emu.guest.ipc.IpcNamespace;
import a64emu.guest.ipc.SysvIpcProc;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/sysvipc (Linux {@code ipc_init_proc_interface}): msg, sem and shm, one line per
 * System V object of the kernel's IPC namespace, listed in the directory's name order.
 */
final class SysvIpc {
    private SysvIpc() {}

    private static final String[] FILES = {"msg", "sem", "shm"};
    /** The files' inodes: dynamic proc inodes past those of /proc/pressure. */
    private static final long FIRST_FILE_INODE = ProcFs.PROC_DYNAMIC_FIRST + 0x110;

    static SyntheticNode lookup(IpcNamespace ipc, long dirInode, List<String> rest) {
        if (rest.isEmpty()) {
            return new ProcEntry.Dir(dirInode, 0555, 0, 0, () -> {
                List<Entry> out = new ArrayList<>();
                for (int i = 0; i < FILES.length; i++) {
                    out.add(new Entry(FILES[i], FIRST_FILE_INODE + i, Kind.REGULAR));
                }
                return out;
            });
        }
        if (rest.size() != 1) return null;
        return switch (rest.get(0)) {
            case "msg" -> new ProcEntry.File(FIRST_FILE_INODE, 0444, 0, 0, () -> SysvIpcProc.msg(ipc), null);
            case "sem" -> new ProcEntry.File(FIRST_FILE_INODE + 1, 0444, 0, 0, () -> SysvIpcProc.sem(ipc), null);
            case "shm" -> new ProcEntry.File(FIRST_FILE_INODE + 2, 0444, 0, 0, () -> SysvIpcProc.shm(ipc), null);
            default -> null;
        };
    }
}
