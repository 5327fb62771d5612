// printf-style formatting of one double, called from Swift without a `CVarArg` list (building
// one casts the value to a runtime protocol, whose first lookup scans every conformance record
// of the binary: a fraction of a millisecond of a one-shot command's start).
#include "CKernels.h"

#include <stdio.h>

int nabla_format_double(char *buffer, long size, const char *spec, double value) {
  return snprintf(buffer, (size_t)size, spec, value);
}
