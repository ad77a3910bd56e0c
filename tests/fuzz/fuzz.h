/* fuzz.h - one libFuzzer entry point per fuzz target. */
#ifndef NSGUARD_FUZZ_H
#define NSGUARD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
