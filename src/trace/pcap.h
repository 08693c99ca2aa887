/* pcap.h - the trace's datagrams as a classic pcap file for Wireshark
 * (pcap format with nanosecond timestamps, LINKTYPE_RAW: each record is
 * a bare IPv4 datagram). A view: it reads the log and never changes it. */
#ifndef NL_TRACE_PCAP_H
#define NL_TRACE_PCAP_H

#include <stdint.h>
#include <stdio.h>

#include "trace/trace.h"
#include "util/status.h"

#define TRACE_PCAP_MAGIC_NS 0xa1b23c4du	/* nanosecond-resolution magic */
#define TRACE_PCAP_SNAPLEN 65535u	/* longer datagrams are cut */
#define TRACE_PCAP_LINKTYPE_RAW 101u	/* records start at the IP header */
#define TRACE_PCAP_ALL_NODES (-1)	/* at_node: the whole lab */

/* Writes the pcap file of t to f, in log order (so in time order).
 * at_node == TRACE_PCAP_ALL_NODES: every pkt-send flagged TRACE_F_ORIGIN,
 * so each datagram appears once, when its source sends it. at_node >= 0:
 * every pkt-send and pkt-recv at that node, as Wireshark running on it
 * would see them. Events without bytes are skipped. The timestamp is the
 * event's virtual time. f stays open and owned by the caller.
 * NL_EINVAL for a NULL argument or at_node < -1, NL_ENOTFOUND for a node
 * the trace does not have, NL_ELIMIT for a time that is negative or
 * needs more than 32 bits of seconds, NL_EIO when writing fails. */
enum nl_status trace_pcap_write(const struct trace *t, int32_t at_node,
    FILE *f);

/* The same into a file created (or truncated) at path, closed before
 * returning. The arguments are checked before the file is opened. NL_EIO
 * when it cannot be opened, written or closed; once opened, any failure
 * removes it, so no half capture is left behind. */
enum nl_status trace_pcap_write_file(const struct trace *t, int32_t at_node,
    const char *path);

#endif
