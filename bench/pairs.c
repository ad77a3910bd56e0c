/* pairs.c - interleaved, paired timing of commands (bench/run).
 *
 *   pairs ROUNDS WARMUP NAME CMD... [-- NAME CMD...]...
 *
 * Each round runs every command once, each with stdin, stdout and stderr on
 * /dev/null (CMD is run as given: an absolute path, no PATH search, no
 * shell). The order changes from round to round, cycling through every
 * permutation of the commands (A B, B A; or A B C, A C B, B A C, ...), so
 * that every command runs in every position and before and after every other
 * one equally often. Sequential batches (all A, then all B, as hyperfine
 * runs them) drift on virtual machines: frequency, cache and neighbour load
 * change within seconds, and the difference of two means taken minutes apart
 * measures that drift as much as the program. Pairing each run with the runs
 * of the other commands in the same round cancels it. WARMUP rounds run
 * first and are not counted.
 *
 * Output, one record a line (times in microseconds, wall clock, fork to
 * reap):
 *
 *   cmd NAME MEDIAN Q1 Q3 MAXRSS_KIB FAILED
 *   diff NAME_A NAME_B MEDIAN Q1 Q3     for every A after B in the list
 *
 * where diff is the distribution of the paired differences A - B (A's run
 * minus B's run of the same round), MAXRSS_KIB the largest ru_maxrss that
 * wait4() reported for the command over the rounds, and FAILED the number of
 * counted runs that did not exit 0. wait4()'s ru_maxrss is the peak resident
 * set of the process and of every descendant it waited for (the kernel folds
 * a reaped child's peak into its parent's cmaxrss, and wait4() reports the
 * maximum of both): nsguard's sandboxed parser child is in the figure.
 * Checked on Linux 6.18: a program that forks a child which writes 64 MiB,
 * waits for it and touches nothing itself is reported at 66,228 KiB (a
 * /bin/true at 1,084 KiB); and `strace -f nsguard check FILE` shows nsguard
 * wait4()ing for its parser child before it exits. Since the kernel takes
 * the maximum, not the sum, the parser's pages shared with nsguard after
 * fork() (the file it was given) count once.
 *
 * Exit status: 0 when every counted run exited 0, 3 when some did not (the
 * figures are printed either way), 2 on a usage error, 1 when it cannot
 * fork or wait.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8

struct cmd {
	const char *name;
	char **argv;
	double *us;
	long max_rss;
	int failed;
};

/* The command running now: SIGINT or SIGTERM to pairs goes on to it, and
 * pairs stops after it (bench/run's clean-up then runs at once). */
static volatile pid_t running;

static void on_signal(int sig)
{
	if (running > 0)
		kill(running, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double run_once(char **argv, long *ret_rss, int *ret_ok)
{
	struct rusage ru;
	double start = now_us(), end;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);

		if (fd < 0)
			_exit(126);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0) {
		perror("pairs: fork");
		exit(1);
	}
	running = pid;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("pairs: wait4");
		exit(1);
	}
	end = now_us();
	running = 0;
	*ret_rss = ru.ru_maxrss;
	*ret_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return end - start;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v. Quartiles by linear interpolation between order statistics. */
static double quantile(double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static void print_dist(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf(" %.1f %.1f %.1f", quantile(v, n, 0.5), quantile(v, n, 0.25), quantile(v, n, 0.75));
}

/* The next permutation in lexicographic order; after the last, the first. */
static void next_order(int *p, int n)
{
	int i = n - 2, j = n - 1;

	while (i >= 0 && p[i] > p[i + 1])
		i--;
	if (i >= 0) {
		while (p[j] < p[i])
			j--;
		int t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	for (int a = i + 1, b = n - 1; a < b; a++, b--) {
		int t = p[a];
		p[a] = p[b];
		p[b] = t;
	}
}

static int parse(int argc, char **argv, struct cmd *cmds)
{
	int n = 0;

	for (int i = 3; i < argc; i++) {
		if (n == MAX_CMDS)
			return -1;
		cmds[n].name = argv[i++];
		cmds[n].argv = &argv[i];
		while (i < argc && strcmp(argv[i], "--") != 0)
			i++;
		if (cmds[n].argv == &argv[i]) /* a name without a command */
			return -1;
		argv[i] = NULL; /* the "--", or argv[argc], NULL already */
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS] = { 0 };
	int rounds, warmup, n, order[MAX_CMDS], failed = 0;
	double *diff;

	if (argc < 5)
		goto usage;
	rounds = atoi(argv[1]);
	warmup = atoi(argv[2]);
	n = parse(argc, argv, cmds);
	if (rounds < 1 || warmup < 0 || n < 1)
		goto usage;
	for (int c = 0; c < n; c++) {
		cmds[c].us = calloc((size_t)rounds, sizeof(double));
		order[c] = c;
	}
	diff = calloc((size_t)rounds, sizeof(double));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (int r = -warmup; r < rounds; r++, next_order(order, n))
		for (int k = 0; k < n; k++) {
			struct cmd *c = &cmds[order[k]];
			long rss;
			int ok;
			double us = run_once(c->argv, &rss, &ok);

			if (r < 0)
				continue;
			c->us[r] = us;
			c->max_rss = rss > c->max_rss ? rss : c->max_rss;
			c->failed += !ok;
		}
	for (int a = 1; a < n; a++)
		for (int b = 0; b < a; b++) {
			for (int r = 0; r < rounds; r++)
				diff[r] = cmds[a].us[r] - cmds[b].us[r];
			printf("diff %s %s", cmds[a].name, cmds[b].name);
			print_dist(diff, rounds);
			printf("\n");
		}
	for (int c = 0; c < n; c++) {
		printf("cmd %s", cmds[c].name);
		print_dist(cmds[c].us, rounds);
		printf(" %ld %d\n", cmds[c].max_rss, cmds[c].failed);
		failed += cmds[c].failed;
	}
	return failed ? 3 : 0;
usage:
	fprintf(stderr, "usage: pairs ROUNDS WARMUP NAME CMD... [-- NAME CMD...]...\n");
	return 2;
}
