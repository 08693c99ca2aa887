#!/bin/sh
# The DNS codec agrees with dnspython on 10,000 random messages, both ways,
# and rejects each malformed case with its specific reason.
set -u
for py in /usr/bin/python3 python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	    "$py" -c 'import dns.message' 2>/dev/null; then
		exec "$py" tests/dns/differential.py "$NETLAB"
	fi
done
echo "no python3 with dnspython (make deps installs python3-dnspython)"
exit 77
