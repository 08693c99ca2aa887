/* platform.c - monotonic clock, CPU time and peak RSS for Linux, macOS
 * and Windows (MSYS2). The only file with operating-system calls outside
 * SDL. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "cli/platform.h"

#if defined(_WIN32)
#include <windows.h>
#include <psapi.h>

uint64_t
nl_wall_ns(void)
{
	LARGE_INTEGER f, c;

	QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&c);
	return (uint64_t)((double)c.QuadPart * 1e9 / (double)f.QuadPart);
}

uint64_t
nl_cpu_ns(void)
{
	FILETIME c, e, k, u;

	if (!GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u))
		return 0;
	/* 100 ns units. */
	return ((((uint64_t)k.dwHighDateTime << 32) | k.dwLowDateTime) +
	    (((uint64_t)u.dwHighDateTime << 32) | u.dwLowDateTime)) * 100;
}

uint64_t
nl_peak_rss(void)
{
	PROCESS_MEMORY_COUNTERS pmc;

	if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
		return 0;
	return (uint64_t)pmc.PeakWorkingSetSize;
}

#else
#include <sys/resource.h>
#include <time.h>

uint64_t
nl_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t
nl_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
	    1000000000ULL + ((uint64_t)ru.ru_utime.tv_usec +
	    (uint64_t)ru.ru_stime.tv_usec) * 1000ULL;
}

uint64_t
nl_peak_rss(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
#if defined(__APPLE__)
	return (uint64_t)ru.ru_maxrss;		/* bytes on macOS */
#else
	return (uint64_t)ru.ru_maxrss * 1024;	/* kilobytes elsewhere */
#endif
}
#endif
