/* exitstatus.h - every exit status nsguard itself chooses, in one place.
 *
 * After a successful exec the status is the runtime's, not nsguard's. The
 * values follow the conventions engines and scripts already rely on: 1 for
 * "refused" (runc's own failure status, so an engine reports the message),
 * 127 for a runtime that cannot be executed (the shell's "command not found").
 */
#ifndef NSGUARD_EXITSTATUS_H
#define NSGUARD_EXITSTATUS_H

enum nsg_exit {
	NSG_EXIT_OK = 0,	   /* check: allowed; audit: nothing shares an enforced type */
	NSG_EXIT_REFUSED = 1,	   /* a refused create/run/restore; check: would be refused */
	NSG_EXIT_SHARED = 1,	   /* audit: a container shares a type the policy does not turn off */
	NSG_EXIT_UNUSABLE = 2,	   /* check, audit: bad usage, or no answer can be given */
	NSG_EXIT_EXEC_FAILED = 127 /* the runtime cannot be resolved or executed */
};

#endif
