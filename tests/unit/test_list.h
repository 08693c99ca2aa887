/* test_list.h - the one list of unit test suites; main.c runs them in
 * this order. A suite is tests/unit/test_<name>.c defining
 * tests_<name>[]. */
SUITE(util)
SUITE(engine)
SUITE(ip)
SUITE(trace)
SUITE(net)
SUITE(tcp)
SUITE(trace_file)
SUITE(pcap)
SUITE(transcript)
SUITE(scenario)
SUITE(dns)
SUITE(line)
