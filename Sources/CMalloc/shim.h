// glibc's malloc tuning (mallopt) and statistics (mallinfo2), which its Swift module leaves out.
#include <malloc.h>
