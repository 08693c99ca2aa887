/* test_pcap.c - unit tests of the pcap module. */
#include "test.h"

const struct test_case tests_pcap[] = {
	{ NULL, NULL },
};
