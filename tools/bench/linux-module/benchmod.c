/*
 * benchmod.c - the smallest Linux module that does something: it logs
 * nothing and holds nothing, and exists to be loaded and unloaded by
 * modbench.c, the Linux side of Machina's kext.load_unload figure
 * (docs/performance.md). Built against Debian's linux-headers package by
 * tools/bench/linux.py; never part of Machina.
 */
#include <linux/init.h>
#include <linux/module.h>

static int loads;

static int __init
benchmod_init(void)
{
	loads++;
	return 0;
}

static void __exit
benchmod_exit(void)
{
}

module_init(benchmod_init);
module_exit(benchmod_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("an empty module for the load and unload benchmark");
