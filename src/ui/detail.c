/* detail.c - one event's bytes as named fields with their byte ranges:
 * IPv4 (RFC 791 3.1), UDP (RFC 768), TCP (RFC 9293 3.1) through the
 * proto/ip codecs, DNS (RFC 1035 4.1) through proto/dns, and the lines
 * of text protocols (SMTP, POP3, IMAP, echo). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "proto/ip/ipv4.h"
#include "proto/ip/tcp_hdr.h"
#include "proto/ip/udp.h"
#include "ui/detail.h"
#include "util/buf.h"

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void
add(struct ui_detail *d, int depth, const char *name, size_t off,
    size_t len, const char *fmt, ...)
{
	struct ui_field *f;
	va_list ap;

	if (d->nfields >= UI_FIELDS_MAX)
		return;
	f = &d->fields[d->nfields++];
	snprintf(f->name, sizeof f->name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof f->value, fmt, ap);
	va_end(ap);
	f->off = (uint32_t)off;
	f->len = (uint32_t)len;
	f->depth = (uint8_t)depth;
}

/* Printable text of p[0..n) into out (size bytes): CR, LF and tab as
 * \r, \n, \t; other control and non-ASCII bytes as \xHH. */
static void
escape(char *out, size_t size, const uint8_t *p, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < size; i++) {
		uint8_t c = p[i];

		if (c == '\r' || c == '\n' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\r' ? 'r' : c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < n && o + 4 <= size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* Mostly printable: worth showing as lines. */
static int
is_text(const uint8_t *p, size_t n)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\r' && p[i] != '\n' &&
		    p[i] != '\t') || p[i] >= 0x7f)
			bad++;
	return n > 0 && bad * 10 <= n;
}

/* The lines of a text message, each with its line end. */
static void
text_lines(struct ui_detail *d, const uint8_t *p, size_t n, size_t base)
{
	size_t start = 0, i, k = 1;
	char name[24], val[100];

	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != '\n')
			continue;
		if (i == n && start == n)
			break;
		{
			size_t end = i < n ? i + 1 : n;

			snprintf(name, sizeof name, "Line %zu", k++);
			escape(val, sizeof val, p + start, end - start);
			add(d, 1, name, base + start, end - start, "%s", val);
			start = end;
		}
	}
}

static void
dns_flags(char *out, size_t size, const struct dns_hdr *h)
{
	const char *op = dns_opcode_str((enum dns_opcode)h->opcode);
	const char *rc = dns_rcode_str((enum dns_rcode)h->rcode);

	snprintf(out, size, "%s%s%s%s%s%s%s%s", h->qr ? "response" : "query",
	    op != NULL && h->opcode != DNS_OP_QUERY ? " " : "",
	    op != NULL && h->opcode != DNS_OP_QUERY ? op : "",
	    h->aa ? ", AA" : "", h->tc ? ", TC" : "", h->rd ? ", RD" : "",
	    h->ra ? ", RA" : "", "");
	if (h->qr && rc != NULL) {
		size_t l = strlen(out);

		snprintf(out + l, size - l, ", %s", rc);
	}
}

/* A DNS message at data[base .. base + n). */
static void
dns_fields(struct ui_detail *d, const uint8_t *p, size_t n, size_t base)
{
	static const char *const secname[DNS_SECTION_COUNT] = {"Answer",
	    "Authority", "Additional"};
	struct dns_msg *m = NULL;
	struct dns_perr err;
	struct nl_dbuf b;
	char buf[100], nm[DNS_NAME_STRLEN];
	size_t i, s;

	if (dns_msg_parse(p, n, &m, &err) != NL_OK) {
		add(d, 0, "DNS", base, n, "malformed: %s at byte %zu",
		    dns_err_str(err.code), err.off);
		return;
	}
	add(d, 0, "DNS", base, n, "%s, %zu bytes",
	    m->hdr.qr ? "response" : "query", n);
	add(d, 1, "Transaction ID", base + m->hdr.at.id.off, m->hdr.at.id.len,
	    "0x%04x", m->hdr.id);
	dns_flags(buf, sizeof buf, &m->hdr);
	add(d, 1, "Flags", base + m->hdr.at.flags.off, m->hdr.at.flags.len,
	    "%s", buf);
	add(d, 1, "Questions", base + m->hdr.at.qdcount.off, 2, "%u",
	    m->qdcount);
	add(d, 1, "Answer RRs", base + m->hdr.at.ancount.off, 2, "%u",
	    m->sec[DNS_S_ANSWER].count);
	add(d, 1, "Authority RRs", base + m->hdr.at.nscount.off, 2, "%u",
	    m->sec[DNS_S_AUTHORITY].count);
	add(d, 1, "Additional RRs", base + m->hdr.at.arcount.off, 2, "%u",
	    m->sec[DNS_S_ADDITIONAL].count);
	for (i = 0; i < m->qdcount; i++) {
		const struct dns_question *q = &m->qd[i];
		const char *ty = dns_type_str((enum dns_type)q->type);
		const char *cl = dns_class_str((enum dns_class)q->class);
		char tyb[16], clb[16];

		if (ty == NULL) {
			snprintf(tyb, sizeof tyb, "TYPE%u", q->type);
			ty = tyb;
		}
		if (cl == NULL) {
			snprintf(clb, sizeof clb, "CLASS%u", q->class);
			cl = clb;
		}
		add(d, 1, "Question", base + q->at.all.off, q->at.all.len,
		    "%s %s %s", dns_name_str(&q->name, nm, sizeof nm), ty, cl);
	}
	nl_dbuf_init(&b, 4096);
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		for (i = 0; i < m->sec[s].count; i++) {
			const struct dns_rr *rr = &m->sec[s].rr[i];
			size_t k;

			nl_dbuf_reset(&b);
			if (dns_rr_print(&b, rr) != NL_OK || b.data == NULL) {
				add(d, 1, secname[s], base + rr->at.all.off,
				    rr->at.all.len, "?");
				continue;
			}
			for (k = 0; k < b.len; k++)
				if (b.data[k] == '\t')
					b.data[k] = ' ';
			add(d, 1, secname[s], base + rr->at.all.off,
			    rr->at.all.len, "%s", (const char *)b.data);
		}
	}
	nl_dbuf_free(&b);
	dns_msg_free(m);
}

static const char *
ipproto_name(uint8_t p)
{
	switch (p) {
	case IPV4_PROTO_TCP:
		return "TCP";
	case IPV4_PROTO_UDP:
		return "UDP";
	case IPV4_PROTO_ICMP:
		return "ICMP";
	default:
		return "?";
	}
}

static void
payload(struct ui_detail *d, const uint8_t *p, size_t n, size_t base,
    int dns)
{
	if (n == 0)
		return;
	if (dns) {
		dns_fields(d, p, n, base);
		return;
	}
	add(d, 0, "Payload", base, n, "%zu bytes", n);
	if (is_text(p, n))
		text_lines(d, p, n, base);
}

static void
tcp_fields(struct ui_detail *d, const struct ipv4_hdr *ip,
    const uint8_t *p, size_t n, size_t h)
{
	struct tcp_hdr th;
	const uint8_t *pl;
	size_t plen, hl;
	char fl[32];

	if (tcp_hdr_parse(p, n, ip->src, ip->dst, &th, &pl, &plen) != NL_OK) {
		add(d, 0, "TCP", h, n, "malformed segment");
		return;
	}
	hl = (size_t)th.off * 4;
	add(d, 0, "TCP", h, hl, "%u -> %u, %zu bytes of data", th.sport,
	    th.dport, plen);
	add(d, 1, "Source port", h, 2, "%u", th.sport);
	add(d, 1, "Destination port", h + 2, 2, "%u", th.dport);
	add(d, 1, "Sequence number", h + 4, 4, "%u", th.seq);
	add(d, 1, "Ack number", h + 8, 4, "%u", th.ack);
	add(d, 1, "Header length", h + 12, 1, "%zu bytes", hl);
	add(d, 1, "Flags", h + 13, 1, "0x%02x %s", th.flags,
	    tcp_flags_str(th.flags, fl, sizeof fl));
	add(d, 1, "Window", h + 14, 2, "%u", th.win);
	add(d, 1, "Checksum", h + 16, 2, "0x%04x", th.checksum);
	add(d, 1, "Urgent pointer", h + 18, 2, "%u", th.urg);
	if (th.mss != 0)
		add(d, 1, "Option MSS", h + 20, hl - 20, "%u", th.mss);
	payload(d, pl, plen, h + hl, th.sport == 53 || th.dport == 53);
}

static void
udp_fields(struct ui_detail *d, const struct ipv4_hdr *ip,
    const uint8_t *p, size_t n, size_t h)
{
	struct udp_hdr uh;
	const uint8_t *pl;
	size_t plen;

	if (udp_parse(p, n, ip->src, ip->dst, &uh, &pl, &plen) != NL_OK) {
		add(d, 0, "UDP", h, n, "malformed datagram");
		return;
	}
	add(d, 0, "UDP", h, UDP_HDR_LEN, "%u -> %u, %zu bytes of data",
	    uh.sport, uh.dport, plen);
	add(d, 1, "Source port", h, 2, "%u", uh.sport);
	add(d, 1, "Destination port", h + 2, 2, "%u", uh.dport);
	add(d, 1, "Length", h + 4, 2, "%u", uh.len);
	add(d, 1, "Checksum", h + 6, 2, "0x%04x", uh.checksum);
	payload(d, pl, plen, h + UDP_HDR_LEN, uh.sport == 53 || uh.dport == 53);
}

static void
ip_fields(struct ui_detail *d, const uint8_t *p, size_t n)
{
	struct ipv4_hdr ip;
	char a[IPV4_ADDR_STRLEN];
	size_t hl;

	if (ipv4_hdr_parse(p, n, &ip) != NL_OK) {
		add(d, 0, "Bytes", 0, n, "%zu bytes, not an IPv4 datagram", n);
		return;
	}
	hl = (size_t)ip.ihl * 4;
	add(d, 0, "IPv4", 0, hl, "%s, %u bytes", ipproto_name(ip.proto),
	    ip.total_len);
	add(d, 1, "Version", 0, 1, "4");
	add(d, 1, "Header length", 0, 1, "%zu bytes", hl);
	add(d, 1, "Type of service", 1, 1, "0x%02x", ip.tos);
	add(d, 1, "Total length", 2, 2, "%u", ip.total_len);
	add(d, 1, "Identification", 4, 2, "0x%04x (%u)", ip.id, ip.id);
	add(d, 1, "Flags", 6, 1, "%s%s%s", ip.flags & IPV4_FLAG_DF ? "DF" : "",
	    (ip.flags & IPV4_FLAG_DF) && (ip.flags & IPV4_FLAG_MF) ? ", " : "",
	    ip.flags & IPV4_FLAG_MF ? "MF" : ip.flags ? "" : "none");
	add(d, 1, "Fragment offset", 6, 2, "%u", ip.frag_off);
	add(d, 1, "Time to live", 8, 1, "%u", ip.ttl);
	add(d, 1, "Protocol", 9, 1, "%s (%u)", ipproto_name(ip.proto), ip.proto);
	add(d, 1, "Header checksum", 10, 2, "0x%04x", ip.checksum);
	add(d, 1, "Source", 12, 4, "%s", ipv4_addr_str(ip.src, a));
	add(d, 1, "Destination", 16, 4, "%s", ipv4_addr_str(ip.dst, a));
	if (ip.proto == IPV4_PROTO_TCP)
		tcp_fields(d, &ip, p + hl, (size_t)ip.total_len - hl, hl);
	else if (ip.proto == IPV4_PROTO_UDP)
		udp_fields(d, &ip, p + hl, (size_t)ip.total_len - hl, hl);
	else if (ip.total_len > hl)
		add(d, 0, "Payload", hl, (size_t)ip.total_len - hl, "%zu bytes",
		    (size_t)ip.total_len - hl);
}

void
ui_detail_decode(struct ui_detail *d, const struct trace *t, size_t i)
{
	const struct trace_event *ev = trace_at(t, i);

	d->nfields = 0;
	d->ev = UINT32_MAX;
	if (ev == NULL)
		return;
	d->ev = (uint32_t)i;
	switch (ev->kind) {
	case TRACE_PKT_SEND:
	case TRACE_PKT_RECV:
	case TRACE_PKT_DROP:
		if (ev->kind == TRACE_PKT_DROP && ev->a >= 0 &&
		    ev->a < TRACE_DROP_COUNT_)
			add(d, 0, "Dropped", 0, 0, "%s",
			    trace_drop_str((enum trace_drop)ev->a));
		if (ev->len > 0)
			ip_fields(d, ev->data, ev->len);
		break;
	case TRACE_APP:
		if (ev->len == 0) {
			add(d, 0, trace_proto_label((enum trace_proto)
			    ev->proto), 0, 0, "no bytes recorded");
		} else if (ev->proto == TRACE_P_DNS) {
			dns_fields(d, ev->data, ev->len, 0);
		} else {
			add(d, 0, trace_proto_label((enum trace_proto)
			    ev->proto), 0, ev->len, "%s, %u bytes",
			    ev->flags & TRACE_F_TO_SERVER ? "client to server" :
			    "server to client", ev->len);
			if (is_text(ev->data, ev->len))
				text_lines(d, ev->data, ev->len, 0);
		}
		break;
	case TRACE_TCP_STATE:
		add(d, 0, "TCP state", 0, 0, "connection %lld",
		    (long long)ev->c);
		break;
	case TRACE_STATE:
	case TRACE_NOTE:
	case TRACE_LINK:
	case TRACE_NODE:
	default:
		if (ev->len > 0) {
			add(d, 0, "Bytes", 0, ev->len, "%u bytes", ev->len);
			if (is_text(ev->data, ev->len))
				text_lines(d, ev->data, ev->len, 0);
		}
		break;
	}
}

int
ui_detail_field_at(const struct ui_detail *d, uint32_t off)
{
	int best = -1;
	size_t i;

	for (i = 0; i < d->nfields; i++) {
		const struct ui_field *f = &d->fields[i];

		if (f->len == 0 || off < f->off || off - f->off >= f->len)
			continue;
		if (best < 0 || f->depth > d->fields[best].depth ||
		    (f->depth == d->fields[best].depth &&
		    f->len < d->fields[best].len))
			best = (int)i;
	}
	return best;
}
