"""machina_gdb - gdb commands for the Machina kernel.

  target     reading kernel memory safely (never writing)
  registry   the command base class, @command, and `machina` (the list)
  logbuf     the msgbuf ring's rules, without gdb (tested on the host)
  attach     machina-attach
  breakpoints machina-hwbreak; hardware breakpoints in the text under KVM
  slide      machina-slide; the kernel's symbols moved to where it really is
  dmesg      dmesg
  bootargs   bootargs
  paniclog   paniclog
  sysctl     sysctl
  procs      showallprocs, showproc
  mounts     showallmounts, showvnode
  ipc        showallports, showport, showportset, showtaskrights
  kmods      showallkmods, showkmod, kextsymbols; kext symbols loaded automatically
  threads    showalltasks, showallthreads, showtaskthreads, showcurrentthreads, showthread
  zones      zprint
  vm         showvmmap, showvmobject
  ioreg      showioreg
  debugger   stops where the kernel calls PE_enter_debugger (debug=0x1, panics)
  locks      showlocks

machina.py (what `make gdb` loads) imports the modules in COMMAND_MODULES,
in order; each registers its commands as it is imported. A new command is a
new module here plus one line in that list (see tools/gdb/README.md).
"""

COMMAND_MODULES = [
    "breakpoints",
    "slide",
    "attach",
    "dmesg",
    "bootargs",
    "paniclog",
    "sysctl",
    "procs",
    "mounts",
    "ipc",
    "kmods",
    "threads",
    "zones",
    "vm",
    "ioreg",
    "debugger",
    "locks",
]
