#!/bin/sh
# test_mail_scenarios.sh - the mail scenarios against the textbook and
# against Wireshark:
#  (a) the transcript of smtp-alice-bob holds the dialogue of Kurose &
#      Ross 2.3 verbatim, line for line and in this order;
#  (b) its pcap decodes as SMTP in tshark: every command and reply code
#      of the dialogue, in order, and no malformed frame;
#  (c) the pcap of pop3-vs-imap decodes as POP (110) and IMAP (143):
#      the commands of both sessions, in order, and no malformed frame.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
out=tests/out/mail
mkdir -p "$out"
fail=0

# ---- (a) the dialogue, verbatim and in order ----
"$NETLAB" run --headless scenarios/smtp-alice-bob.json \
    --pcap "$out/smtp-alice-bob.pcap" > "$out/smtp-alice-bob.txt" ||
    { echo "FAIL smtp-alice-bob: run failed"; exit 1; }
cat > "$out/want.txt" <<'WANT'
S: 220 hamburger.edu
C: HELO crepes.fr
S: 250 Hello crepes.fr, pleased to meet you
C: MAIL FROM: <alice@crepes.fr>
S: 250 alice@crepes.fr... Sender ok
C: RCPT TO: <bob@hamburger.edu>
S: 250 bob@hamburger.edu ... Recipient ok
C: DATA
S: 354 Enter mail, end with "." on a line by itself
C: Do you like ketchup?
C: How about pickles?
C: .
S: 250 Message accepted for delivery
C: QUIT
S: 221 hamburger.edu closing connection
WANT
# The SMTP lines of the transcript, without time, nodes and protocol.
sed -n 's/^\[[^]]*\] .*  SMTP  \([CS]: .*\)$/\1/p' \
    "$out/smtp-alice-bob.txt" > "$out/got.txt"
if ! diff -u "$out/want.txt" "$out/got.txt"; then
	echo "FAIL smtp-alice-bob: the SMTP lines differ from the textbook"
	fail=1
fi

# ---- (b) tshark decodes the SMTP ----
if command -v tshark >/dev/null 2>&1; then
	tshark -r "$out/smtp-alice-bob.pcap" -Y smtp -T fields \
	    -e smtp.req.command -e smtp.response.code \
	    > "$out/tshark.txt" 2> "$out/tshark.err" || {
		echo "FAIL smtp-alice-bob: tshark failed"
		cat "$out/tshark.err"
		fail=1
	}
	got=$(awk -F'\t' '{ s = $1 != "" ? $1 : $2; if (s != "")
	    printf "%s ", s }' "$out/tshark.txt")
	want="220 HELO 250 MAIL 250 RCPT 250 DATA 354 250 QUIT 221 "
	if [ "$got" != "$want" ]; then
		echo "FAIL smtp-alice-bob: tshark reads \"$got\""
		echo "     expected \"$want\""
		fail=1
	fi
	n=$(tshark -r "$out/smtp-alice-bob.pcap" -Y _ws.malformed 2>/dev/null |
	    wc -l)
	if [ "$n" -ne 0 ]; then
		echo "FAIL smtp-alice-bob: $n malformed frames"
		fail=1
	fi

	# ---- (c) POP3 and IMAP ----
	p="$out/pop3-vs-imap.pcap"
	"$NETLAB" run --headless scenarios/pop3-vs-imap.json --pcap "$p" \
	    > "$out/pop3-vs-imap.txt" ||
	    { echo "FAIL pop3-vs-imap: run failed"; fail=1; }
	got=$(tshark -r "$p" -Y pop -T fields -e pop.request.command \
	    2>/dev/null | awk 'NF { printf "%s ", $1 }')
	want="USER PASS STAT LIST UIDL RETR DELE QUIT USER PASS STAT QUIT "
	if [ "$got" != "$want" ]; then
		echo "FAIL pop3-vs-imap: tshark reads POP \"$got\""
		echo "     expected \"$want\""
		fail=1
	fi
	got=$(tshark -r "$p" -Y imap -T fields -e imap.request.command \
	    2>/dev/null | awk 'NF { printf "%s ", toupper($1) }')
	want="LOGIN SELECT FETCH FETCH LOGOUT LOGIN SELECT FETCH LOGOUT "
	if [ "$got" != "$want" ]; then
		echo "FAIL pop3-vs-imap: tshark reads IMAP \"$got\""
		echo "     expected \"$want\""
		fail=1
	fi
	n=$(tshark -r "$p" -Y _ws.malformed 2>/dev/null | wc -l)
	if [ "$n" -ne 0 ]; then
		echo "FAIL pop3-vs-imap: $n malformed frames"
		fail=1
	fi
else
	echo "tshark is not installed: pcap check skipped"
fi
exit $fail
