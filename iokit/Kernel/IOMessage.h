/*
 * IOMessage.h - the messages the I/O Kit sends to drivers' interest
 * handlers, with Apple's names and values (iokit_common_msg(n) is
 * 0xe0000000 | n).
 */

#ifndef IOKIT_KERNEL_IOMESSAGE_H
#define IOKIT_KERNEL_IOMESSAGE_H

#include <stdint.h>

#define iokit_common_msg(message)	((uint32_t)(0xe0000000U | (message)))

/* The machine is about to be powered off, or restarted (shutdown hooks). */
#define kIOMessageSystemWillPowerOff	iokit_common_msg(0x250)
#define kIOMessageSystemWillRestart	iokit_common_msg(0x310)

#endif /* IOKIT_KERNEL_IOMESSAGE_H */
