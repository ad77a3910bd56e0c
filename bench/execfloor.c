/* execfloor.c - the cost of one more exec: a minimal static program that
 * execs its arguments. bench/run subtracts what it costs in front of the
 * runtime from nsguard's overhead, so that the figure left is nsguard's own
 * work and not the machine's price of starting any program. */
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc < 2)
		return 2;
	execv(argv[1], argv + 1);
	return 127;
}
