/**
 * The guest's /sys (Linux sysfs on kernfs, fs/sysfs/ and fs/kernfs/): the part of the device
 * tree this kernel has devices for, zram0 with its attributes as drivers/block/zram/zram_drv.c
 * and block/genhd.c define them. {@link a64emu.guest.sys.SysFs} is the mounted tree,
 * {@link a64emu.guest.sys.Kernfs} its nodes (directories listed in kernfs's name-hash order,
 * links, device attribute files with show and store methods),
 * {@link a64emu.guest.sys.ZramAttributes} the files of /sys/devices/virtual/block/zram0.
 */
package a64emu.guest.sys;
