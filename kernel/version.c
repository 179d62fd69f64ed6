/*
 * version.c - the version strings; MACHINA_VERSION and MACHINA_GIT_REV come
 * from the Makefile.
 */

#include "kernel/version.h"

const char ostype[] = "Machina";
const char osrelease[] = MACHINA_VERSION;
const char version[] = "Machina Kernel Version " MACHINA_VERSION
    " (" MACHINA_GIT_REV "): x86_64";
