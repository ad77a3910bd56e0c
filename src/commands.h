/* commands.h - nsguard's own commands (SPEC.md section 9), run as `nsguard NAME ...`.
 *
 * argv[0] is the command word. Each handler prints its own output and returns
 * its exit status (exitstatus.h); the runtime-facing flow is in guard.h.
 */
#ifndef NSGUARD_COMMANDS_H
#define NSGUARD_COMMANDS_H

int cmd_check(int argc, char *argv[]);
int cmd_audit(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);

#endif
