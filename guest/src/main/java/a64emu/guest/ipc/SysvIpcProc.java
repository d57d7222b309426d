package a64emu.guest.ipc;

import java.nio.charset.StandardCharsets;

/**
 * /proc/sysvipc/shm, sem and msg (Linux {@code sysvipc_*_proc_show} on a 64-bit kernel): a
 * header line, then one line per object in index order, in Linux's exact columns.
 */
public final class SysvIpcProc {
    private SysvIpcProc() {}

    public static final String SHM_HEADER = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
            + "  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";
    public static final String SEM_HEADER =
            "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";
    public static final String MSG_HEADER = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid"
            + "  cuid  cgid      stime      rtime      ctime\n";

    public static byte[] shm(IpcNamespace ns) {
        StringBuilder b = new StringBuilder(SHM_HEADER);
        Shm shm = ns.shm();
        for (ShmSegment s : shm.segments()) {
            b.append(String.format("%10d %10d  %4o %21s %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n",
                    s.key, s.id, s.mode, Long.toUnsignedString(s.size), s.cpid, s.lpid, s.nattch(), s.uid, s.gid,
                    s.cuid, s.cgid, s.atime, s.dtime, s.ctime, shm.residentPages(s) * Shm.PAGE_SIZE,
                    shm.swappedPages(s) * Shm.PAGE_SIZE));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] sem(IpcNamespace ns) {
        StringBuilder b = new StringBuilder(SEM_HEADER);
        for (SemSet s : ns.sem().sets()) {
            b.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n",
                    s.key, s.id, s.mode, s.nsems(), s.uid, s.gid, s.cuid, s.cgid, s.otime(), s.ctime));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] msg(IpcNamespace ns) {
        StringBuilder b = new StringBuilder(MSG_HEADER);
        for (MsgQueue q : ns.msg().queues()) {
            b.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n",
                    q.key, q.id, q.mode, q.cbytes, q.messages.size(), q.lspid, q.lrpid, q.uid, q.gid, q.cuid,
                    q.cgid, q.stime, q.rtime, q.ctime));
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
