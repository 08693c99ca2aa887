/* imf_str.c - names of the enums of proto/imf; a switch with no default,
 * so that a new value without a name is a compiler warning. */
#include "proto/imf/imf.h"

const char *
imf_ev_str(enum imf_ev ev)
{
	switch (ev) {
	case IMF_EV_NONE: return "NONE";
	case IMF_EV_HEADER_START: return "HEADER_START";
	case IMF_EV_HEADER_CONT: return "HEADER_CONT";
	case IMF_EV_HEADER_END: return "HEADER_END";
	case IMF_EV_HEADERS_END: return "HEADERS_END";
	case IMF_EV_BODY_LINE: return "BODY_LINE";
	case IMF_EV_END: return "END";
	}
	return "?";
}
