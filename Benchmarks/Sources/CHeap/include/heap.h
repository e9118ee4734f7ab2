#include <stddef.h>
/// Bytes malloc has handed out and not taken back (glibc's mallinfo2().uordblks).
size_t heap_bytes_in_use(void);
