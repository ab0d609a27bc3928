// SPDX-License-Identifier: GPL-2.0
/* nvghost_trace.c - instantiates the tracepoints of nvghost_trace.h. */
#define CREATE_TRACE_POINTS
#include "nvghost_trace.h"
