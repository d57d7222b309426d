package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.FrameAllocator;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One single-threaded guest process (Linux's task_struct and the parts of its mm and
 * files it owns): its CPU state, address space, file descriptors and signal state, and
 * how it ended.
 */
public final class Process {
    /** How a process ended: exit status, or the fatal signal with its diagnosis. */
    public record Termination(int exitCode, SignalInfo signal, long pc) {
        /** What a shell reports: the exit code, or 128 + signal number. */
        public int shellStatus() {
            return signal == null ? exitCode & 0xFF : 128 + signal.signo();
        }
    }

    public final int pid;
    public final int ppid;
    public final InitialStack.Credentials credentials;
    public final Cpu cpu;
    public final AddressSpace mm;
    public final MemoryMap memoryMap;
    public final FaultHandler faults;
    public final FrameAllocator frames;
    /** When the process started (System.nanoTime), for sysinfo's uptime. */
    public final long startNanos = System.nanoTime();
    public final UserMemory user;
    public final FileTable files;
    public final SignalActions signals = new SignalActions();
    public final SplittableRandom random;
    /** Files kept open by file-backed mappings (a VMA's vm_file); released at exit. */
    private final List<OpenFile> mappedFiles = new ArrayList<>();

    /** set_tid_address: cleared and futex-woken at thread exit (CLONE_CHILD_CLEARTID). */
    public long clearChildTid;
    public long robustListHead;
    public long robustListLength;

    private Termination termination;

    public Process(int pid, int ppid, InitialStack.Credentials credentials, Cpu cpu, AddressSpace mm,
                   FrameAllocator frames, FaultHandler faults, UserMemory user, FileTable files, long seed) {
        this.pid = pid;
        this.ppid = ppid;
        this.credentials = credentials;
        this.cpu = cpu;
        this.mm = mm;
        this.memoryMap = new MemoryMap(mm);
        this.faults = faults;
        this.frames = frames;
        this.user = user;
        this.files = files;
        this.random = new SplittableRandom(seed);
    }

    /** The thread id: the only thread, so the pid. */
    public int tid() {
        return pid;
    }

    public void keepMappedFile(OpenFile f) {
        f.retain();
        mappedFiles.add(f);
    }

    public boolean hasExited() {
        return termination != null;
    }

    public Termination termination() {
        return termination;
    }

    /** exit_group: the process ends with {@code code}. */
    public void exit(int code) {
        if (termination == null) {
            termination = new Termination(code, null, cpu.pc);
        }
    }

    /** The process dies of a signal raised at {@code pc}. */
    public void kill(SignalInfo signal, long pc) {
        if (termination == null) {
            termination = new Termination(0, signal, pc);
        }
    }

    /** Releases what the process holds: descriptors, mapped files, frames and page tables. */
    public void release() {
        files.closeAll();
        for (OpenFile f : mappedFiles) {
            f.release();
        }
        mappedFiles.clear();
        mm.pageTables().destroy();
    }
}
