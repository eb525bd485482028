/*
 * preload/elf.h: what `lockstep trace` reads from a program's ELF file:
 * whether it is dynamically linked (LD_PRELOAD needs PT_INTERP), and
 * names for addresses from its symbol table (nm's view: .symtab, else
 * .dynsym). Addresses are module-relative, as dladdr() gives them.
 */
#ifndef LOCKSTEP_PRELOAD_ELF_H
#define LOCKSTEP_PRELOAD_ELF_H

#include <stddef.h>
#include <stdint.h>

struct preload_elf;

/* Read path's ELF headers and symbols; NULL and *cause if it is not a
   readable 64-bit ELF file. */
struct preload_elf *preload_elf_open(const char *path, char **cause);
void		 preload_elf_free(struct preload_elf *);
/* Has a PT_INTERP header: the dynamic loader (and LD_PRELOAD) runs. */
int		 preload_elf_dynamic(const struct preload_elf *);
/* The address addr2line and the symbol table use for a module-relative
   one (differs for a non-PIE executable). */
uint64_t	 preload_elf_vaddr(const struct preload_elf *, uint64_t rel);
/* Symbol (data object or function) containing rel: its name and the
   offset and size, or NULL. */
const char	*preload_elf_symbol(const struct preload_elf *, uint64_t rel,
		    uint64_t *offset, uint64_t *size);

/* Module-relative address of the symbol name, or -1. */
int		 preload_elf_find(const struct preload_elf *, const char *name,
		    uint64_t *rel);

#endif
