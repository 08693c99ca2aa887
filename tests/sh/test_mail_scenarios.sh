#!/bin/sh
# test_mail_scenarios.sh - the mail scenarios against the textbook and
# against Wireshark:
#  (a) the transcript of smtp-alice-bob holds the dialogue of Kurose &
#      Ross 2.3 verbatim, line for line and in this order;
#  (b) its pcap decodes as SMTP in tshark: every command and reply code
#      of the dialogue, in order, and no malformed frame;
#  (c) the pcap of pop3-vs-imap decodes as POP (110) and IMAP (143):
#      the commands of every session (the IMAP move into a folder
#      included), in order, and no malformed frame;
#  (d) the relay scenarios tell the story they claim: the MX lookup and
#      the relay (mail-end-to-end), the deferral and one connection for
#      both messages at the retry (mail-queue-retry), two bounces that
#      reach Alice (mail-bounce), a threaded reply relayed the other way
#      and a forward with the original attached (mail-reply-forward);
#      and tshark reads the relay's SMTP.
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
	# Part 2 (keep, \Seen), then the phone's move into Archive and the
	# laptop's LIST that finds the folder.
	want="LOGIN SELECT FETCH FETCH LOGOUT LOGIN SELECT FETCH LOGOUT"
	want="$want LOGIN LIST SELECT FETCH FETCH CREATE COPY STORE EXPUNGE"
	want="$want LOGOUT LOGIN LIST SELECT FETCH LOGOUT "
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

# ---- (d) relay, queue, bounce ----
# want NAME PATTERN COUNT: the transcript of NAME has COUNT lines
# matching the extended regular expression PATTERN.
want() {
	n=$(grep -E -c -e "$2" "$out/$1.txt")
	if [ "$n" -ne "$3" ]; then
		echo "FAIL $1: $n lines match \"$2\", expected $3"
		fail=1
	fi
}
for s in mail-end-to-end mail-queue-retry mail-bounce mail-reply-forward; do
	"$NETLAB" run --headless "scenarios/$s.json" --pcap "$out/$s.pcap" \
	    > "$out/$s.txt" || { echo "FAIL $s: run failed"; fail=1; }
done
want mail-end-to-end 'mail.crepes.fr → dns.crepes.fr  DNS .* MX\? hamburger.edu' 1
want mail-end-to-end 'queue 1: from <alice@crepes.fr> to <bob@hamburger.edu>' 1
want mail-end-to-end 'C: EHLO mail.crepes.fr' 1
want mail-end-to-end 'queue 1: <bob@hamburger.edu> delivered to mail.hamburger.edu' 1
want mail-end-to-end 'mail.hamburger.edu  SMTP  mailbox bob: \+1' 1
want mail-end-to-end 'bob.hamburger.edu: 1 new message: "Lunch"' 1
want mail-queue-retry 'deferred: connect to .* timed out; next try in 1 min' 2
want mail-queue-retry 'C: EHLO mail.crepes.fr' 1
want mail-queue-retry 'C: MAIL FROM:<alice@crepes.fr>' 2
want mail-queue-retry 'delivered to mail.hamburger.edu' 2
want mail-queue-retry '2 new messages: "Lunch", "Dinner"' 1
want mail-bounce 'queue 1: <bobb@hamburger.edu> bounced: mail.hamburger.edu said 550' 1
want mail-bounce 'queue 2: <bob@hamburger.edu> bounced: delivery time expired' 1
want mail-bounce 'mail.crepes.fr  SMTP  mailbox alice: \+1' 2
want mail-bounce '2 new messages: "Undelivered Mail Returned to Sender", "Undelivered Mail Returned to Sender"' 1
want mail-reply-forward 'bob.hamburger.edu → mail.hamburger.edu  SMTP  C: RCPT TO: <alice@crepes.fr>' 1
want mail-reply-forward 'bob.hamburger.edu → mail.hamburger.edu  SMTP  C: Subject: Re: Lunch' 1
want mail-reply-forward 'bob.hamburger.edu → mail.hamburger.edu  SMTP  C: In-Reply-To: <1.1704067200@crepes.fr>' 1
want mail-reply-forward 'bob.hamburger.edu → mail.hamburger.edu  SMTP  C: > How about pickles\?' 1
want mail-reply-forward 'mail.hamburger.edu → dns.hamburger.edu  DNS .* MX\? crepes.fr' 1
want mail-reply-forward 'C: EHLO mail.hamburger.edu' 1
want mail-reply-forward 'alice.crepes.fr → mail.crepes.fr  SMTP  C: Subject: Fwd: Re: Lunch' 1
want mail-reply-forward 'alice.crepes.fr → mail.crepes.fr  SMTP  C: Content-Type: message/rfc822' 1
want mail-reply-forward 'carol.crepes.fr: 1 new message: "Fwd: Re: Lunch"' 1
if command -v tshark >/dev/null 2>&1; then
	got=$(tshark -r "$out/mail-queue-retry.pcap" -Y smtp -T fields \
	    -e smtp.req.command 2>/dev/null | awk 'NF { printf "%s ", $1 }')
	want="HELO MAIL RCPT DATA QUIT HELO MAIL RCPT DATA QUIT EHLO MAIL RCPT DATA MAIL RCPT DATA QUIT "
	if [ "$got" != "$want" ]; then
		echo "FAIL mail-queue-retry: tshark reads SMTP \"$got\""
		echo "     expected \"$want\""
		fail=1
	fi
fi
exit $fail
