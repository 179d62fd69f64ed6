/*
 * IOReturn.h - the I/O Kit's result codes, with Apple's names and values.
 *
 * An IOReturn is a kern_return_t: kIOReturnSuccess is KERN_SUCCESS, and
 * every other code is iokit_common_err(n), the I/O Kit's system (0x38)
 * and common subsystem (0) in Mach's error layout, so a value printed in
 * hex (0xe00002bc) means the same here as on macOS.
 */

#ifndef IOKIT_KERNEL_IORETURN_H
#define IOKIT_KERNEL_IORETURN_H

#include "mach/kern_return.h"

typedef kern_return_t	IOReturn;

#define iokit_common_err(x)	((IOReturn)(0xe0000000u | (unsigned)(x)))

#define kIOReturnSuccess		KERN_SUCCESS
#define kIOReturnError			iokit_common_err(0x2bc)	/* general error */
#define kIOReturnNoMemory		iokit_common_err(0x2bd)	/* cannot allocate memory */
#define kIOReturnNoResources		iokit_common_err(0x2be)	/* resource shortage */
#define kIOReturnIPCError		iokit_common_err(0x2bf)	/* error during IPC */
#define kIOReturnNoDevice		iokit_common_err(0x2c0)	/* no such device */
#define kIOReturnNotPrivileged		iokit_common_err(0x2c1)	/* privilege violation */
#define kIOReturnBadArgument		iokit_common_err(0x2c2)	/* invalid argument */
#define kIOReturnLockedRead		iokit_common_err(0x2c3)	/* device read locked */
#define kIOReturnLockedWrite		iokit_common_err(0x2c4)	/* device write locked */
#define kIOReturnExclusiveAccess	iokit_common_err(0x2c5)	/* exclusive access, already open */
#define kIOReturnBadMessageID		iokit_common_err(0x2c6)	/* sent and received messages differ */
#define kIOReturnUnsupported		iokit_common_err(0x2c7)	/* unsupported function */
#define kIOReturnVMError		iokit_common_err(0x2c8)	/* misc. VM failure */
#define kIOReturnInternalError		iokit_common_err(0x2c9)	/* internal error */
#define kIOReturnIOError		iokit_common_err(0x2ca)	/* general I/O error */
#define kIOReturnCannotLock		iokit_common_err(0x2cc)	/* cannot acquire lock */
#define kIOReturnNotOpen		iokit_common_err(0x2cd)	/* device not open */
#define kIOReturnNotReadable		iokit_common_err(0x2ce)	/* read not supported */
#define kIOReturnNotWritable		iokit_common_err(0x2cf)	/* write not supported */
#define kIOReturnNotAligned		iokit_common_err(0x2d0)	/* alignment error */
#define kIOReturnBadMedia		iokit_common_err(0x2d1)	/* media error */
#define kIOReturnStillOpen		iokit_common_err(0x2d2)	/* device(s) still open */
#define kIOReturnRLDError		iokit_common_err(0x2d3)	/* rld failure */
#define kIOReturnDMAError		iokit_common_err(0x2d4)	/* DMA failure */
#define kIOReturnBusy			iokit_common_err(0x2d5)	/* device busy */
#define kIOReturnTimeout		iokit_common_err(0x2d6)	/* I/O timeout */
#define kIOReturnOffline		iokit_common_err(0x2d7)	/* device offline */
#define kIOReturnNotReady		iokit_common_err(0x2d8)	/* not ready */
#define kIOReturnNotAttached		iokit_common_err(0x2d9)	/* device not attached */
#define kIOReturnNoChannels		iokit_common_err(0x2da)	/* no DMA channels left */
#define kIOReturnNoSpace		iokit_common_err(0x2db)	/* no space for data */
#define kIOReturnPortExists		iokit_common_err(0x2dd)	/* port already exists */
#define kIOReturnCannotWire		iokit_common_err(0x2de)	/* cannot wire physical memory */
#define kIOReturnNoInterrupt		iokit_common_err(0x2df)	/* no interrupt attached */
#define kIOReturnNoFrames		iokit_common_err(0x2e0)	/* no DMA frames enqueued */
#define kIOReturnMessageTooLarge	iokit_common_err(0x2e1)	/* oversized message received */
#define kIOReturnNotPermitted		iokit_common_err(0x2e2)	/* not permitted */
#define kIOReturnNoPower		iokit_common_err(0x2e3)	/* no power to device */
#define kIOReturnNoMedia		iokit_common_err(0x2e4)	/* media not present */
#define kIOReturnUnformattedMedia	iokit_common_err(0x2e5)	/* media not formatted */
#define kIOReturnUnsupportedMode	iokit_common_err(0x2e6)	/* no such mode */
#define kIOReturnUnderrun		iokit_common_err(0x2e7)	/* data underrun */
#define kIOReturnOverrun		iokit_common_err(0x2e8)	/* data overrun */
#define kIOReturnDeviceError		iokit_common_err(0x2e9)	/* the device is not working */
#define kIOReturnNoCompletion		iokit_common_err(0x2ea)	/* a completion routine is required */
#define kIOReturnAborted		iokit_common_err(0x2eb)	/* operation aborted */
#define kIOReturnNoBandwidth		iokit_common_err(0x2ec)	/* bus bandwidth would be exceeded */
#define kIOReturnNotResponding		iokit_common_err(0x2ed)	/* device not responding */
#define kIOReturnIsoTooOld		iokit_common_err(0x2ee)	/* isochronous I/O request too old */
#define kIOReturnIsoTooNew		iokit_common_err(0x2ef)	/* isochronous I/O request too new */
#define kIOReturnNotFound		iokit_common_err(0x2f0)	/* data was not found */
#define kIOReturnInvalid		iokit_common_err(0x1)	/* should never be seen */

#endif /* IOKIT_KERNEL_IORETURN_H */
