/* bench_ui.h - the viewer's frame time for netlab-bench (bench.c). */
#ifndef NL_BENCH_UI_H
#define NL_BENCH_UI_H

/*
 * `netlab-bench ui [NODES MESSAGES] [--save OUT.bmp]`: builds a
 * synthetic trace of NODES nodes (1,000) with MESSAGES datagrams in
 * flight at once (10,000) and times the display-list build and the
 * software draw of its frames, offscreen at 1280x800, against a baseline
 * of 3 nodes and 2 messages in the same run. Prints `name value unit`
 * lines: build and draw medians over the frames, their sum, and the
 * quickest frame; --save writes the last big frame.
 * Returns 0, or 1 when the viewer cannot start (no font: the reason on
 * stderr), 2 on a usage error.
 */
int bench_ui(int argc, char **argv);

struct trace;

/*
 * The frame of trace t nine tenths in, with the inspector open on the
 * node called `node`, against the same frame with no inspector: what a
 * long trace costs a frame (the inspector folds the node's state events
 * up to the cursor; the first frame folds from the start, the next
 * carry the fold on). Prints `name value unit` lines. Returns 0, or 1
 * when the viewer cannot start or there is no such node.
 */
int bench_ui_inspect(const struct trace *t, const char *node);

#endif
