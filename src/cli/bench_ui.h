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

#endif
