#!/usr/bin/env python3
"""differential.py - netlab's DNS codec against dnspython.

    /usr/bin/python3 tests/dns/differential.py NETLAB [--count N] [--seed S]

Generates random valid DNS messages with a fixed seed (random ids, flags,
opcodes, rcodes; names that share suffixes so compression kicks in, odd
octets that need escapes; A, AAAA, NS, CNAME, PTR, MX, SOA, TXT, HINFO and
unknown types; random TTLs and classes), writes them with dnspython
(to_wire, compression on) and feeds them all, in one run each, to
`NETLAB decode dns` and `NETLAB decode dns --reencode`. Checks:

  (a) our dig-like text, read back record by record with dnspython's own
      text parsers, says exactly what dnspython read from the wire:
      header fields, every question, every record (owner name octet for
      octet, TTL, class, type, RDATA in uncompressed wire form);
  (b) our re-encoding equals dnspython's bytes (same compression to the
      first occurrence of the longest suffix), and dnspython parses it
      back to the same message;
  (c) malformed messages (pointer loops, forward pointers, bad lengths...)
      each give one `error: REASON` line with the expected reason, and
      the exit status is 1.

Prints `dns differential: N passed, N failed` and exits 1 on any failure.
Needs dnspython 2.x, which Debian ships for /usr/bin/python3; the script
re-runs itself under that interpreter when started by another one.
"""
import os
import sys

DEBIAN_PY = "/usr/bin/python3"


def _reexec_under_debian_python():
    """Prefer /usr/bin/python3 (Debian's, with python3-dnspython)."""
    if os.environ.get("NETLAB_DIFF_REEXEC") == "1":
        return
    if not os.path.exists(DEBIAN_PY):
        return
    if os.path.realpath(sys.executable) == os.path.realpath(DEBIAN_PY):
        return
    os.environ["NETLAB_DIFF_REEXEC"] = "1"
    os.execv(DEBIAN_PY, [DEBIAN_PY] + sys.argv)


_reexec_under_debian_python()

import random  # noqa: E402
import re  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402

try:
    import dns.message  # noqa: E402
    import dns.name  # noqa: E402
    import dns.opcode  # noqa: E402
    import dns.rdata  # noqa: E402
    import dns.rdataclass  # noqa: E402
    import dns.rdatatype  # noqa: E402
    import dns.rrset  # noqa: E402
    import dns.version  # noqa: E402
except ImportError:
    sys.stderr.write("differential.py: dnspython is missing (Debian: "
                     "apt-get install python3-dnspython)\n")
    sys.exit(2)

SEED = 1035
COUNT = 10000

A, NS, CNAME, SOA, PTR, HINFO, MX, TXT, AAAA = 1, 2, 5, 6, 12, 13, 15, 16, 28
IN, CH, HS = 1, 3, 4
UNKNOWN_TYPES = [65280, 65534, 4660, 62000, 3333]

ZONES = [
    "com", "edu", "net", "org", "arpa", "example.com", "umass.edu",
    "cs.umass.edu", "gaia.cs.umass.edu", "in-addr.arpa", "192.in-addr.arpa",
    "hamburger.edu", "crepes.fr", "fr", "Example.COM", "CS.UMass.Edu",
    "a-very-long-label-name-that-goes-on-and-on.example.org",
]
PLAIN = "abcdefghijklmnopqrstuvwxyz0123456789-"
ODD = b'.\\"();@$ \x00\x01\x7f\x80\xff\t'


def rand_label(rng):
    r = rng.random()
    if r < 0.75:
        n = rng.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12])
        s = "".join(rng.choice(PLAIN) for _ in range(n))
        if rng.random() < 0.2:
            s = "".join(c.upper() if rng.random() < 0.5 else c for c in s)
        return s.encode()
    if r < 0.9:
        n = rng.randint(1, 8)
        return bytes(rng.choice(ODD + b"abcXYZ") for _ in range(n))
    if r < 0.95:
        return bytes(rng.choice(PLAIN.encode()) for _ in range(63))
    n = rng.randint(1, 20)
    return bytes(rng.randrange(256) for _ in range(n))


def rand_name(rng, pool):
    """A name, often an existing one or a child of one (shared suffixes)."""
    r = rng.random()
    if r < 0.03:
        return dns.name.root
    if r < 0.35 and pool:
        return rng.choice(pool)
    if r < 0.7 and pool:
        base = rng.choice(pool)
    else:
        base = dns.name.from_text(rng.choice(ZONES))
    labels = [rand_label(rng) for _ in range(rng.choice([0, 1, 1, 1, 2, 3]))]
    if rng.random() < 0.01:  # a long one, near 255 octets
        labels = [rand_label(rng) for _ in range(40)]
    try:
        n = dns.name.Name(labels + list(base.labels))
        n.to_wire()  # raises if too long
    except (dns.name.NameTooLong, dns.name.LabelTooLong):
        return base
    pool.append(n)
    return n


def char_string(rng):
    n = rng.choice([0, 1, 3, 5, 10, 20, 40, 255]) if rng.random() < 0.3 \
        else rng.randint(0, 16)
    if rng.random() < 0.5:
        return bytes([n]) + bytes(
            rng.choice(PLAIN.encode() + b" ") for _ in range(n))
    return bytes([n]) + bytes(rng.randrange(256) for _ in range(n))


def rand_rdata(rng, rdtype, rdclass, pool):
    """RDATA in uncompressed wire form, read by dnspython into an Rdata."""
    if rdtype == A:
        wire = bytes(rng.randrange(256) for _ in range(4))
    elif rdtype == AAAA:
        groups = [rng.choice([0, 0, 0, 1, 0xffff, rng.randrange(65536)])
                  for _ in range(8)]
        wire = struct.pack("!8H", *groups)
    elif rdtype in (NS, CNAME, PTR):
        wire = rand_name(rng, pool).to_wire()
    elif rdtype == MX:
        wire = struct.pack("!H", rng.randrange(65536)) + \
            rand_name(rng, pool).to_wire()
    elif rdtype == SOA:
        wire = rand_name(rng, pool).to_wire() + \
            rand_name(rng, pool).to_wire() + \
            struct.pack("!5I", *[rng.randrange(2 ** 32) for _ in range(5)])
    elif rdtype == TXT:
        k = 0 if rng.random() < 0.03 else rng.randint(1, 4)
        wire = b"".join(char_string(rng) for _ in range(k))
    elif rdtype == HINFO:
        wire = char_string(rng) + char_string(rng)
    else:
        wire = bytes(rng.randrange(256) for _ in range(rng.choice(
            [0, 1, 4, 4, 16, rng.randint(0, 60)])))
    return dns.rdata.from_wire(rdclass, rdtype, wire, 0, len(wire))


def rand_type_class(rng):
    r = rng.random()
    if r < 0.85:
        t = rng.choice([A, A, A, AAAA, NS, NS, CNAME, PTR, MX, SOA, TXT,
                        TXT, HINFO])
        if t in (A, AAAA, HINFO) or rng.random() < 0.9:
            return t, IN
        return t, rng.choice([CH, HS])
    return rng.choice(UNKNOWN_TYPES), rng.choice([IN, IN, CH, 1234, 65000])


def rand_message(rng):
    pool = []
    m = dns.message.Message(id=rng.randrange(65536))
    # dnspython 2.3 reads only the opcodes it names (UPDATE changes the
    # sections), so 0, 1, 2 and 4.
    opcode = rng.choice([0, 0, 0, 0, 1, 2, 4])
    flags = opcode << 11 | rng.randrange(16)  # rcode
    for bit in (0x8000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010):
        if rng.random() < 0.4:
            flags |= bit
    if rng.random() < 0.05:
        flags |= 0x0040  # Z
    m.flags = flags
    seen = set()
    for _ in range(rng.choice([0, 1, 1, 1, 1, 1, 1, 2])):
        n = rand_name(rng, pool)
        t, c = rand_type_class(rng)
        if rng.random() < 0.05:
            t = rng.choice([255, 252, 251, 28])
        key = (n, c, t)  # dns.name.Name compares ignoring case
        if key in seen:
            continue
        seen.add(key)
        m.question.append(dns.rrset.RRset(n, c, t))
    for section in (m.answer, m.authority, m.additional):
        seen = set()
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
            n = rand_name(rng, pool)
            t, c = rand_type_class(rng)
            if (n, c, t) in seen:
                continue
            seen.add((n, c, t))
            ttl = rng.choice([0, 1, 60, 300, 3600, 86400, 172800,
                              rng.randrange(2 ** 31), 2 ** 31 - 1])
            rrs = dns.rrset.RRset(n, c, t)
            count = 1 if dns.rdatatype.is_singleton(t) else \
                rng.choice([1, 1, 2, 3])
            for _ in range(count):
                rrs.add(rand_rdata(rng, t, c, pool), ttl)
            section.append(rrs)
    return m


# ---- What a message says, flattened for comparison ----

def flatten(msg):
    """Header, questions and records; names as raw labels (case counts),
    RDATA as uncompressed wire bytes (case counts)."""
    flags = msg.flags
    head = (msg.id, (flags >> 11) & 0xF, flags & 0xF, flags & 0x87F0)
    qs = [(r.name.labels, r.rdclass, r.rdtype) for r in msg.question]
    secs = []
    for section in (msg.answer, msg.authority, msg.additional):
        recs = []
        for rrset in section:
            for rd in rrset:
                recs.append((rrset.name.labels, rrset.ttl, rrset.rdclass,
                             rrset.rdtype, rd.to_wire()))
        secs.append(recs)
    return head, qs, secs


OPCODES = {"QUERY": 0, "IQUERY": 1, "STATUS": 2, "NOTIFY": 4, "UPDATE": 5,
           "DSO": 6}
RCODES = {"NOERROR": 0, "FORMERR": 1, "SERVFAIL": 2, "NXDOMAIN": 3,
          "NOTIMP": 4, "REFUSED": 5, "YXDOMAIN": 6, "YXRRSET": 7,
          "NXRRSET": 8, "NOTAUTH": 9, "NOTZONE": 10}
FLAGS = {"qr": 0x8000, "aa": 0x0400, "tc": 0x0200, "rd": 0x0100,
         "ra": 0x0080, "z": 0x0040, "ad": 0x0020, "cd": 0x0010}
HEADER_RE = re.compile(r"^;; ->>HEADER<<- opcode: (\w+), status: (\w+), "
                       r"id: (\d+)$")
FLAGS_RE = re.compile(r"^;; flags:([a-z ]*); QUERY: (\d+), ANSWER: (\d+), "
                      r"AUTHORITY: (\d+), ADDITIONAL: (\d+)$")
SECTIONS = {";; ANSWER SECTION:": 0, ";; AUTHORITY SECTION:": 1,
            ";; ADDITIONAL SECTION:": 2}


def mnemonic(table, prefix, text):
    if text in table:
        return table[text]
    if text.startswith(prefix) and text[len(prefix):].isdigit():
        return int(text[len(prefix):])
    raise ValueError("unknown %s %r" % (prefix.lower(), text))


def read_dig(lines):
    """Our dig-like text, read with dnspython's parsers for names, types,
    classes and RDATA; returns the same shape as flatten()."""
    m = HEADER_RE.match(lines[0])
    if not m:
        raise ValueError("bad header line %r" % lines[0])
    opcode = mnemonic(OPCODES, "OPCODE", m.group(1))
    rcode = mnemonic(RCODES, "RCODE", m.group(2))
    mid = int(m.group(3))
    f = FLAGS_RE.match(lines[1])
    if not f:
        raise ValueError("bad flags line %r" % lines[1])
    bits = 0
    for word in f.group(1).split():
        bits |= FLAGS[word]
    counts = [int(f.group(i)) for i in range(2, 6)]
    qs, secs = [], [[], [], []]
    where = None
    for line in lines[2:]:
        if line == "":
            where = None
            continue
        if line == ";; QUESTION SECTION:":
            where = "q"
            continue
        if line in SECTIONS:
            where = SECTIONS[line]
            continue
        if where == "q":
            if not line.startswith(";"):
                raise ValueError("bad question %r" % line)
            name, empty, cls, typ = line[1:].split("\t")
            if empty != "":
                raise ValueError("bad question %r" % line)
            qs.append((dns.name.from_text(name).labels,
                       dns.rdataclass.from_text(cls),
                       dns.rdatatype.from_text(typ)))
        elif where in (0, 1, 2):
            name, ttl, cls, typ, rdata = line.split("\t", 4)
            rdclass = dns.rdataclass.from_text(cls)
            rdtype = dns.rdatatype.from_text(typ)
            rd = dns.rdata.from_text(rdclass, rdtype, rdata)
            secs[where].append((dns.name.from_text(name).labels, int(ttl),
                                rdclass, rdtype, rd.to_wire()))
        else:
            raise ValueError("line outside a section %r" % line)
    if counts != [len(qs)] + [len(s) for s in secs]:
        raise ValueError("counts %r do not match the sections" % counts)
    return (mid, opcode, rcode, bits), qs, secs


def split_records(text):
    """Our output, one record per input message: a dig block or an
    error line."""
    out, cur = [], None
    for line in text.split("\n"):
        if line.startswith(";; ->>HEADER<<-") or line.startswith("error:"):
            cur = [line]
            out.append(cur)
        elif cur is not None:
            cur.append(line)
        elif line != "":
            raise ValueError("stray output line %r" % line)
    for rec in out:
        while rec and rec[-1] == "":
            rec.pop()
    return out


def run(netlab, args, lines):
    p = subprocess.run([netlab, "decode", "dns"] + args,
                       input="\n".join(lines) + "\n",
                       capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


# ---- Malformed messages and the reason each must give ----

Q_A = "0161 00 0001 0001 "      # question "a." A IN


def hdr(qd, an, ns, ar):
    return "1234 8000 %04x %04x %04x %04x " % (qd, an, ns, ar)


def malformed():
    """(hex, reason, dnspython_rejects_too)"""
    label64 = "40" + "61" * 64
    name257 = ("3f" + "61" * 63) * 4 + "00"
    three63 = ("3f" + "62" * 63) * 3 + "00"
    chain = "0000010001"
    prev = 12
    for k in range(1, 129):
        here = 12 + 5 + 6 * (k - 1)
        chain += "%04x00010001" % (0xC000 | prev)
        prev = here
    cases = [
        # A blank line is skipped; a lone separator is an empty message.
        (":", "truncated header", True),
        ("1234 0100 0001 0000 0000", "truncated header", True),
        (hdr(2, 0, 0, 0) + Q_A, "question count exceeds message", True),
        (hdr(0xffff, 0, 0, 0) + Q_A, "question count exceeds message", True),
        (hdr(1, 1, 0, 0) + Q_A, "answer count exceeds message", True),
        (hdr(1, 0, 1, 0) + Q_A, "authority count exceeds message", True),
        (hdr(1, 0, 0, 1) + Q_A, "additional count exceeds message", True),
        (hdr(1, 0, 0, 0) + "0161 00 0001 00", "truncated question", True),
        (hdr(0, 1, 0, 0) + "05 6162636465 00 0001 0001",
         "truncated resource record", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0001 0001 00000e10 0005 0a000001",
         "RDLENGTH past end of message", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0001 0001 00000e10 0003 0a0000",
         "RDLENGTH does not match A record (expected 4)", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 001c 0001 00000e10 0004 0a000001",
         "RDLENGTH does not match AAAA record (expected 16)", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 000f 0001 00000e10 0001 00",
         "RDLENGTH too short for the record type", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0002 0001 00000e10 0003 c00c 00",
         "RDLENGTH longer than the record's data", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0005 0001 00000e10 0002 03616263 00",
         "name in RDATA runs past RDLENGTH", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0002 0001 00000e10 0000",
         "name in RDATA runs past RDLENGTH", True),
        (hdr(1, 1, 0, 0) + Q_A + "c00c 0010 0001 00000e10 0003 05 6162",
         "TXT string runs past RDLENGTH", True),
        (hdr(1, 0, 0, 0) + "c00c 0001 0001", "compression pointer loop", True),
        (hdr(1, 0, 0, 0) + "0161 c00c 0001 0001",
         "compression pointer loop", True),
        (hdr(0, 2, 0, 0) + "00 ff00 0001 00000001 0004 0178 c017"
         "c019 0001 0001 00000001 0004 01020304",
         "compression pointer loop", True),
        (hdr(1, 0, 0, 0) + "c010 0001 0001 0161 00",
         "forward compression pointer", True),
        (hdr(2, 0, 0, 0) + "0161 c011 0001 0001 0162 c00c 0001 0001",
         "forward compression pointer", True),
        (hdr(1, 0, 0, 0) + "c0ff 0001 0001", "pointer past end of message",
         True),
        (hdr(1, 0, 0, 0) + "0561626364", "name runs past end of message",
         True),
        (hdr(0, 1, 0, 0) + "0161 0162 0163 0164 0165 c0",
         "name runs past end of message", True),
        (hdr(1, 0, 0, 0) + label64 + "00 0001 0001",
         "reserved label type 0x40", True),
        (hdr(1, 0, 0, 0) + "8061 0000 0100 01", "reserved label type 0x80",
         True),
        (hdr(1, 0, 0, 0) + name257 + "0001 0001",
         "name longer than 255 octets", True),
        (hdr(2, 0, 0, 0) + three63 + "0001 0001 3f" + "62" * 63 +
         "c00c 0001 0001", "name longer than 255 octets", True),
        (hdr(129, 0, 0, 0) + chain, "too many compression pointers", False),
        (hdr(1, 0, 0, 0) + Q_A + "00", "trailing bytes after message", True),
        ("00" * 65536, "message longer than 65535 octets", False),
        ("12 34 0", "odd number of hex digits", False),
        ("1234 zz", "not a hex digit at column 6", False),
    ]
    return cases


def dnspython_rejects(hexstr):
    try:
        dns.message.from_wire(bytes.fromhex(
            hexstr.replace(" ", "").replace(":", "")))
    except Exception:  # any dns.exception.DNSException or struct error
        return True
    return False


def main(argv):
    global COUNT, SEED
    if len(argv) < 2:
        sys.stderr.write("usage: differential.py NETLAB [--count N] "
                         "[--seed S]\n")
        return 2
    netlab = argv[1]
    rest = argv[2:]
    while rest:
        if rest[0] == "--count" and len(rest) > 1:
            COUNT = int(rest[1])
        elif rest[0] == "--seed" and len(rest) > 1:
            SEED = int(rest[1])
        else:
            sys.stderr.write("differential.py: unknown argument %r\n" %
                             rest[0])
            return 2
        rest = rest[2:]

    rng = random.Random(SEED)
    wires = []
    while len(wires) < COUNT:
        w = rand_message(rng).to_wire()
        wires.append(w)
    refs = [flatten(dns.message.from_wire(w)) for w in wires]

    passed = failed = 0
    shown = [0]

    def fail(what):
        nonlocal failed
        failed += 1
        if shown[0] < 10:
            shown[0] += 1
            sys.stderr.write("FAIL %s\n" % what)

    # Comments and blank lines are skipped, and a message may be spread
    # with spaces and colons.
    lines = ["# %d messages from dnspython %s, seed %d" %
             (COUNT, dns.version.version, SEED), ""]
    for i, w in enumerate(wires):
        h = w.hex()
        if i % 7 == 3:
            h = ":".join(h[j:j + 2] for j in range(0, len(h), 2))
        elif i % 7 == 5:
            h = " ".join(h[j:j + 8] for j in range(0, len(h), 8))
        lines.append(h)

    rc, text, err = run(netlab, [], lines)
    records = split_records(text)
    rc2, text2, err2 = run(netlab, ["--reencode"], lines)
    hexes = [ln for ln in text2.split("\n") if ln != ""]
    if rc != 0 or len(records) != len(wires):
        fail("decode: exit %d, %d records for %d messages: %s" %
             (rc, len(records), len(wires), err.strip()[:300]))
    if rc2 != 0 or len(hexes) != len(wires):
        fail("--reencode: exit %d, %d lines for %d messages: %s" %
             (rc2, len(hexes), len(wires), err2.strip()[:300]))

    for i, w in enumerate(wires):
        ok = True
        # (a) the text says what dnspython read.
        try:
            got = read_dig(records[i])
            if got != refs[i]:
                ok = False
                fail("message %d: text differs\n  wire %s\n  ours %r\n"
                     "  dnspython %r" % (i, w.hex(), got, refs[i]))
        except Exception as e:  # a parse error of our text is a failure
            ok = False
            rec = records[i] if i < len(records) else ["(missing)"]
            fail("message %d: %s: %s\n  wire %s\n  %s" %
                 (i, type(e).__name__, e, w.hex(), "\n  ".join(rec)))
        # (b) the re-encoding is the same message, in the same bytes.
        try:
            ours = bytes.fromhex(hexes[i])
            if ours != w:
                ok = False
                fail("message %d: re-encoding differs\n  theirs %s\n"
                     "  ours   %s" % (i, w.hex(), ours.hex()))
            elif flatten(dns.message.from_wire(ours)) != refs[i]:
                ok = False
                fail("message %d: re-encoding reads differently" % i)
        except Exception as e:
            ok = False
            fail("message %d: re-encoding: %s: %s" % (i, type(e).__name__, e))
        if ok:
            passed += 1

    # (c) malformed input: one error line each, with its reason.
    cases = malformed()
    # Every proper prefix of some generated messages, too.
    cut_lines = []
    for w in wires[:200]:
        if len(w) > 12:
            cut_lines.append(w[:rng.randrange(len(w))].hex() or ":")
    rc3, text3, err3 = run(netlab, [], [c[0] for c in cases] + cut_lines)
    out3 = text3.split("\n")
    if rc3 != 1:
        fail("malformed: exit %d, want 1: %s" % (rc3, err3.strip()[:300]))
    if out3 and out3[-1] == "":
        out3.pop()
    if len(out3) != len(cases) + len(cut_lines):
        fail("malformed: %d output lines for %d inputs" %
             (len(out3), len(cases) + len(cut_lines)))
    for i, (h, reason, dp) in enumerate(cases):
        want = "error: " + reason
        got = out3[i] if i < len(out3) else "(missing)"
        if got != want:
            fail("malformed case %d: got %r, want %r" % (i, got, want))
        elif dp and not dnspython_rejects(h):
            fail("malformed case %d (%s): dnspython accepts it" % (i, reason))
        else:
            passed += 1
    for j, h in enumerate(cut_lines):
        k = len(cases) + j
        got = out3[k] if k < len(out3) else "(missing)"
        if not got.startswith("error: "):
            fail("truncated message %d: got %r" % (j, got[:80]))
        else:
            passed += 1

    print("dns differential: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
