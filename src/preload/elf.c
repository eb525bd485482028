/*
 * preload/elf.c: the ELF facts `lockstep trace` needs (preload/elf.h).
 *
 * The file is read whole into memory; every offset and size taken from
 * it is checked against its length before use, so a truncated or hostile
 * file gives a message, never a crash. Symbols of type OBJECT and FUNC
 * with a size are kept sorted by address for a binary search.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preload/elf.h"
#include "util/xmalloc.h"

#define PRELOAD_ELF_MAX	(256u << 20)

struct preload_sym {
	uint64_t	 addr;
	uint64_t	 size;
	char		*name;
};

struct preload_elf {
	int			 dynamic;
	uint64_t		 base;		/* lowest PT_LOAD vaddr */
	struct preload_sym	*syms;
	size_t			 nsyms;
};

static int
preload_elf_in(size_t len, uint64_t off, uint64_t size)
{
	return (off <= len && size <= len - off);
}

static int
preload_sym_cmp(const void *a, const void *b)
{
	const struct preload_sym	*sa = a, *sb = b;

	return (sa->addr < sb->addr ? -1 : sa->addr > sb->addr);
}

/* Keep the OBJECT and FUNC symbols of one symbol table section. */
static void
preload_elf_syms(struct preload_elf *e, const unsigned char *buf, size_t len,
    const Elf64_Shdr *sh, const Elf64_Shdr *strsh)
{
	Elf64_Sym	 symbuf, *sym = &symbuf;
	const char	*name;
	uint64_t	 i, n;
	int		 type;

	if (sh->sh_entsize != sizeof(Elf64_Sym) ||
	    !preload_elf_in(len, sh->sh_offset, sh->sh_size) ||
	    !preload_elf_in(len, strsh->sh_offset, strsh->sh_size))
		return;
	n = sh->sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < n; i++) {
		/* Copied: offsets in a hostile file need not be aligned. */
		memcpy(sym, buf + sh->sh_offset + i * sizeof *sym,
		    sizeof *sym);
		type = ELF64_ST_TYPE(sym->st_info);
		if ((type != STT_OBJECT && type != STT_FUNC) ||
		    sym->st_value == 0 || sym->st_name >= strsh->sh_size)
			continue;
		name = (const char *)buf + strsh->sh_offset + sym->st_name;
		if (memchr(name, '\0', strsh->sh_size - sym->st_name) == NULL ||
		    *name == '\0')
			continue;
		e->syms = xreallocarray(e->syms, e->nsyms + 1, sizeof *e->syms);
		e->syms[e->nsyms].addr = sym->st_value;
		e->syms[e->nsyms].size = sym->st_size;
		e->syms[e->nsyms].name = xstrdup(name);
		e->nsyms++;
	}
}

struct preload_elf *
preload_elf_open(const char *path, char **cause)
{
	struct preload_elf	*e;
	const Elf64_Ehdr	*eh;
	Elf64_Phdr		 phbuf, *ph = &phbuf;
	Elf64_Shdr		*shs = NULL, *symtab = NULL, *dynsym = NULL;
	Elf64_Shdr		*use;
	unsigned char		*buf = NULL;
	size_t			 len = 0, cap = 0, n;
	FILE			*f;
	uint64_t		 i;
	int			 have_base = 0;

	if ((f = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	for (;;) {
		if (len == cap) {
			if (cap >= PRELOAD_ELF_MAX)
				break;
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	eh = (const Elf64_Ehdr *)buf;
	if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
		xasprintf(cause, "%s: not an ELF executable (lockstep trace "
		    "runs compiled programs)", path);
		free(buf);
		return (NULL);
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !preload_elf_in(len, eh->e_phoff, (uint64_t)eh->e_phnum *
	    sizeof(Elf64_Phdr))) {
		xasprintf(cause, "%s: not a 64-bit ELF file this lockstep can "
		    "trace", path);
		free(buf);
		return (NULL);
	}
	e = xcalloc(1, sizeof *e);
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(ph, buf + eh->e_phoff + i * sizeof *ph, sizeof *ph);
		if (ph->p_type == PT_INTERP)
			e->dynamic = 1;
		if (ph->p_type == PT_LOAD && (!have_base ||
		    ph->p_vaddr < e->base)) {
			e->base = ph->p_vaddr & ~(uint64_t)0xfff;
			have_base = 1;
		}
	}
	if (eh->e_shentsize == sizeof(Elf64_Shdr) && preload_elf_in(len,
	    eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr))) {
		shs = xreallocarray(NULL, eh->e_shnum + 1, sizeof *shs);
		memcpy(shs, buf + eh->e_shoff, (size_t)eh->e_shnum *
		    sizeof *shs);
		for (i = 0; i < eh->e_shnum; i++) {
			if (shs[i].sh_type == SHT_SYMTAB)
				symtab = &shs[i];
			else if (shs[i].sh_type == SHT_DYNSYM)
				dynsym = &shs[i];
		}
		use = symtab != NULL ? symtab : dynsym;
		if (use != NULL && use->sh_link < eh->e_shnum)
			preload_elf_syms(e, buf, len, use,
			    &shs[use->sh_link]);
		free(shs);
	}
	if (e->nsyms > 0)
		qsort(e->syms, e->nsyms, sizeof *e->syms, preload_sym_cmp);
	free(buf);
	return (e);
}

void
preload_elf_free(struct preload_elf *e)
{
	size_t	i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nsyms; i++)
		free(e->syms[i].name);
	free(e->syms);
	free(e);
}

int
preload_elf_dynamic(const struct preload_elf *e)
{
	return (e->dynamic);
}

uint64_t
preload_elf_vaddr(const struct preload_elf *e, uint64_t rel)
{
	return (rel + e->base);
}

const char *
preload_elf_symbol(const struct preload_elf *e, uint64_t rel,
    uint64_t *offset, uint64_t *size)
{
	uint64_t	addr = rel + e->base;
	size_t		lo = 0, hi = e->nsyms, mid;

	/* Last symbol starting at or before addr. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (e->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (NULL);
	mid = lo - 1;
	if (addr >= e->syms[mid].addr + (e->syms[mid].size > 0 ?
	    e->syms[mid].size : 1))
		return (NULL);
	*offset = addr - e->syms[mid].addr;
	*size = e->syms[mid].size;
	return (e->syms[mid].name);
}

int
preload_elf_find(const struct preload_elf *e, const char *name,
    uint64_t *rel)
{
	size_t	i;

	for (i = 0; i < e->nsyms; i++) {
		if (strcmp(e->syms[i].name, name) == 0) {
			*rel = e->syms[i].addr - e->base;
			return (0);
		}
	}
	return (-1);
}
