/**
 * The guest's /proc (Linux fs/proc/): per-process directories with stat, status, statm, maps,
 * smaps, smaps_rollup, pagemap, environ, auxv, cmdline, comm, oom_score, oom_adj and
 * oom_score_adj, for the guest's processes and the kernel threads (kthreadd, kswapd0 and those
 * the kernel started, lmkd); the self and thread-self links; the system-wide cpuinfo, meminfo,
 * vmstat, zoneinfo, buddyinfo, swaps, uptime, loadavg and pressure/memory; and /proc/sys/vm. Contents are generated from the real page tables, the frame
 * metadata (page kind, map count, dirty and mlock flags), the LRU lists, the zone's watermarks,
 * the swap area and the kernel's own counters when a file is opened, or, for pagemap, environ,
 * smaps_rollup and the sysctls, when it is read, in Linux's formats. Files are named after their
 * Linux counterparts: {@link a64emu.guest.proc.TaskMmu} (task_mmu.c), {@link a64emu.guest.proc.Pagemap}
 * (task_mmu.c's pagemap), {@link a64emu.guest.proc.Array} (array.c), {@link a64emu.guest.proc.Meminfo}
 * (meminfo.c), {@link a64emu.guest.proc.Vmstat}, {@link a64emu.guest.proc.Zoneinfo} and
 * {@link a64emu.guest.proc.Buddyinfo} (mm/vmstat.c), {@link a64emu.guest.proc.Swaps}
 * (mm/swapfile.c), {@link a64emu.guest.proc.ProcSysctl} (proc_sysctl.c and the vm table),
 * {@link a64emu.guest.proc.ProcDointvec} (kernel/sysctl.c), {@link a64emu.guest.proc.KernelThread}
 * (kernel/kthread.c), {@link a64emu.guest.proc.CpuInfo} (arch/arm64/kernel/cpuinfo.c),
 * {@link a64emu.guest.proc.Uptime} (uptime.c), {@link a64emu.guest.proc.Loadavg} (loadavg.c),
 * {@link a64emu.guest.proc.Base} (base.c), {@link a64emu.guest.proc.Pressure} (kernel/sched/psi.c's
 * files), {@link a64emu.guest.proc.ProcFs} (root.c).
 */
package a64emu.guest.proc;
