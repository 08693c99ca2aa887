/* pcap.c - pcap writer over the trace log: the classic libpcap file
 * format (draft-ietf-opsawg-pcap sections 4-5) with the nanosecond magic
 * and LINKTYPE_RAW (101), so records are bare IPv4 datagrams (RFC 791). */
#include "trace/pcap.h"

#include <stddef.h>

/* The file is written little-endian whatever the host, so one scenario
 * and seed give the same bytes everywhere; readers learn the byte order
 * from the magic. */
static void
le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Writes n bytes; NL_EIO on a short write. */
static enum nl_status
pcap_put(FILE *f, const void *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, f) != n)
		return NL_EIO;
	return NL_OK;
}

/*
 * File header, 24 bytes:
 *   magic (0xa1b23c4d: ns timestamps)  u32
 *   major version 2, minor 4           u16, u16
 *   reserved (thiszone, sigfigs) 0     u32, u32
 *   snaplen                            u32
 *   link type                          u32
 */
static enum nl_status
pcap_put_file_hdr(FILE *f)
{
	uint8_t h[24];

	le32(h, TRACE_PCAP_MAGIC_NS);
	le16(h + 4, 2);
	le16(h + 6, 4);
	le32(h + 8, 0);
	le32(h + 12, 0);
	le32(h + 16, TRACE_PCAP_SNAPLEN);
	le32(h + 20, TRACE_PCAP_LINKTYPE_RAW);
	return pcap_put(f, h, sizeof h);
}

/*
 * Record header, 16 bytes, then the captured bytes:
 *   timestamp seconds, nanoseconds     u32, u32
 *   captured length (<= snaplen)       u32
 *   original length                    u32
 */
static enum nl_status
pcap_put_record(FILE *f, const struct trace_event *ev)
{
	uint8_t h[16];
	uint32_t caplen;

	/* Virtual time starts at 0; the seconds field is 32 bits. */
	if (ev->t < 0 || ev->t / SIM_S > (sim_time)UINT32_MAX)
		return NL_ELIMIT;
	caplen = ev->len < TRACE_PCAP_SNAPLEN ? ev->len : TRACE_PCAP_SNAPLEN;
	le32(h, (uint32_t)(ev->t / SIM_S));
	le32(h + 4, (uint32_t)(ev->t % SIM_S));
	le32(h + 8, caplen);
	le32(h + 12, ev->len);
	if (pcap_put(f, h, sizeof h) != NL_OK)
		return NL_EIO;
	return pcap_put(f, ev->data, caplen);
}

/* Whether ev goes into the capture taken at at_node (see pcap.h). */
static int
pcap_wanted(const struct trace_event *ev, int32_t at_node)
{
	if (ev->data == NULL || ev->len == 0)
		return 0;
	if (at_node == TRACE_PCAP_ALL_NODES)
		return ev->kind == TRACE_PKT_SEND &&
		    (ev->flags & TRACE_F_ORIGIN) != 0;
	return (ev->kind == TRACE_PKT_SEND || ev->kind == TRACE_PKT_RECV) &&
	    ev->node == at_node;
}

/* NL_OK when at_node names the whole lab or a node of t. */
static enum nl_status
pcap_check_node(const struct trace *t, int32_t at_node)
{
	if (at_node < TRACE_PCAP_ALL_NODES)
		return NL_EINVAL;
	if (at_node >= 0 && (size_t)at_node >= trace_node_count(t))
		return NL_ENOTFOUND;
	return NL_OK;
}

/* See pcap.h. Writes the file header, then one record per selected
 * event; stops at the first failure, leaving a partial file in f. */
enum nl_status
trace_pcap_write(const struct trace *t, int32_t at_node, FILE *f)
{
	const struct trace_event *ev;
	enum nl_status st;
	size_t i;

	if (t == NULL || f == NULL)
		return NL_EINVAL;
	if ((st = pcap_check_node(t, at_node)) != NL_OK)
		return st;
	if ((st = pcap_put_file_hdr(f)) != NL_OK)
		return st;
	for (i = 0; (ev = trace_at(t, i)) != NULL; i++) {
		if (!pcap_wanted(ev, at_node))
			continue;
		if ((st = pcap_put_record(f, ev)) != NL_OK)
			return st;
	}
	/* fwrite may only have buffered; a full disk shows up here. */
	if (fflush(f) != 0 || ferror(f))
		return NL_EIO;
	return NL_OK;
}

/* See pcap.h. The file is this function's own: opened, written, closed,
 * and removed again when anything failed. */
enum nl_status
trace_pcap_write_file(const struct trace *t, int32_t at_node,
    const char *path)
{
	FILE *f;
	enum nl_status st;

	if (t == NULL || path == NULL)
		return NL_EINVAL;
	if ((st = pcap_check_node(t, at_node)) != NL_OK)
		return st;
	f = fopen(path, "wb");
	if (f == NULL)
		return NL_EIO;
	st = trace_pcap_write(t, at_node, f);
	if (fclose(f) != 0 && st == NL_OK)
		st = NL_EIO;
	if (st != NL_OK)
		remove(path);
	return st;
}
