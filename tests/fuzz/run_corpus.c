/* run_corpus.c - replays fuzz corpora without libFuzzer: a plain main
 * that feeds every file named on the command line (or every file in the
 * folders named) to LLVMFuzzerTestOneInput, so `make test` runs each
 * corpus under ASan and UBSan with any compiler (SQLite's fuzzcheck,
 * c-ares's ares-test-fuzz.c). Prints "fuzz-TARGET: N inputs". */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs over this size are cut, as libFuzzer's -max_len would. */
#define MAX_INPUT (1 << 20)

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "run_corpus: cannot open %s\n", path);
		return 0;
	}
	buf = malloc(MAX_INPUT);
	if (buf == NULL) {
		fclose(f);
		return 0;
	}
	n = fread(buf, 1, MAX_INPUT, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file in dir, in name order so runs are repeatable. */
static int
run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int count = 0;

	if (d == NULL)
		return run_file(dir);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof *names);
			if (nn == NULL)
				break;
			names = nn;
		}
		names[n] = malloc(strlen(path) + 1);
		if (names[n] == NULL)
			break;
		strcpy(names[n++], path);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		count += run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return count;
}

int
main(int argc, char **argv)
{
	int i, count = 0;

	for (i = 1; i < argc; i++)
		count += run_dir(argv[i]);
	printf("%s: %d inputs\n", argc > 0 ? argv[0] : "run_corpus", count);
	return count > 0 ? 0 : 1;
}
