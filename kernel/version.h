/*
 * version.h - who this kernel is: XNU's version strings.
 */

#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

extern const char version[];		/* the banner line */
extern const char ostype[];		/* "Machina" */
extern const char osrelease[];		/* "0.1.0" */

#endif /* KERNEL_VERSION_H */
