/*
 * MmFuzz's kernel header, in the spirit of tools/testing/vma/vma_internal.h: the C front end
 * force-includes this file (clang -include) into every C input and turns each #include of the
 * input into a blank line, so a real mm/huge_memory.c and a few-line excerpt are read the same way.
 *
 * Every declaration below is one of three kinds, labelled where it stands:
 *   DUPLICATED  written here as the kernel writes it (a macro or small inline), so the C that uses it
 *               runs it as C on the engine;
 *   CUSTOMISED  the kernel's name with the model's layout or meaning (the structs are laid out as the
 *               arena lays them out; core/Kernel/Layout is the authority, checked by a test);
 *   PORTED      declared here, run by the model's C# port of the same name (__mmfuzz_port): a call
 *               resolves by name to core/Kernel's port of that kernel state;
 *   STUBBED     a no-op (statistics, tracing, the shrinker bitmap), arguments not evaluated.
 * Anything else a taken function uses is an error naming it (declare it in a --stub-header).
 */
#ifndef MMFUZZ_H
#define MMFUZZ_H

#include "mmfuzz/compiler.h"
#include "mmfuzz/types.h"
#include "mmfuzz/list.h"
#include "mmfuzz/mm.h"
#include "mmfuzz/stubs.h"

#endif
