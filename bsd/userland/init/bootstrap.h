/*
 * bootstrap.h - init's bootstrap server (servers/bootstrap.h).
 */

#ifndef INIT_BOOTSTRAP_H
#define INIT_BOOTSTRAP_H

/*
 * bootstrap_start: make the bootstrap port, make it init's (so that every
 * process started from here on inherits it), and serve it from a thread
 * of its own. Says on the console and returns if it cannot.
 */
void	bootstrap_start(void);

#endif /* INIT_BOOTSTRAP_H */
