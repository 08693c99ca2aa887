/* status.c - names and texts of enum nl_status, from the X-macro list. */
#include "util/status.h"

const char *
nl_status_str(enum nl_status st)
{
	switch (st) {
#define NL_STATUS_TEXT(name, text) case NL_##name: return text;
	NL_STATUS_MAP(NL_STATUS_TEXT)
#undef NL_STATUS_TEXT
	case NL_STATUS_COUNT_:
		break;
	}
	return "unknown status";
}

const char *
nl_status_name(enum nl_status st)
{
	switch (st) {
#define NL_STATUS_NAME(name, text) case NL_##name: return "NL_" #name;
	NL_STATUS_MAP(NL_STATUS_NAME)
#undef NL_STATUS_NAME
	case NL_STATUS_COUNT_:
		break;
	}
	return "NL_UNKNOWN";
}
