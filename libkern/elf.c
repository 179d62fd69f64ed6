/*
 * elf.c - checking ELF-64 executables and relocatable objects.
 *
 * The code is structured as follows:
 *
 *   header_check	identification, file header, and the bounds of the
 *			program and section header tables (both kinds)
 *   exec_*		one program header at a time (exec_load for PT_LOAD,
 *			exec_interp, exec_tls, ...), then exec_finish for what
 *			needs them all: the entry point, the TLS template, the
 *			program headers' address and the address range
 *   rel_*		the section name table, every section header, every
 *			symbol, every relocation, in that order, so that each
 *			step may rely on what the earlier ones checked
 *
 * Every range test is written as "size <= len && off <= len - size" so
 * that no sum can wrap. Headers are copied out of the file with memcpy
 * (the file may sit at any alignment) and checked before any field is
 * used for anything but a message.
 */

#include "libkern/elf.h"

#include <stdarg.h>

#include "libkern/assert.h"
#include "libkern/cdefs.h"
#include "libkern/printf.h"
#include "libkern/string.h"

#define PAGE_MASK_ELF	(ELF_PAGE_SIZE - 1)
#define TRUNC_PAGE(x)	((x) & ~PAGE_MASK_ELF)
#define ROUND_PAGE(x)	(((x) + PAGE_MASK_ELF) & ~PAGE_MASK_ELF)

#define QUOTE_MAX	40	/* bytes of a name quoted in a message */

static_assert(sizeof(Elf64_Ehdr) == 64, "Elf64_Ehdr is 64 bytes");
static_assert(sizeof(Elf64_Phdr) == 56, "Elf64_Phdr is 56 bytes");
static_assert(sizeof(Elf64_Shdr) == 64, "Elf64_Shdr is 64 bytes");
static_assert(sizeof(Elf64_Sym) == 24, "Elf64_Sym is 24 bytes");
static_assert(sizeof(Elf64_Rela) == 24, "Elf64_Rela is 24 bytes");

/* The file under examination and where messages go. */
struct elf_ctx {
	const uint8_t	*base;
	size_t		len;
	char		*err;
	size_t		errlen;
};

static kern_return_t elf_fail(struct elf_ctx *cx, kern_return_t kr, const char *fmt, ...)
    __printflike(3, 4);

static kern_return_t
elf_fail(struct elf_ctx *cx, kern_return_t kr, const char *fmt, ...)
{
	va_list ap;

	if (cx->err != NULL && cx->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(cx->err, cx->errlen, fmt, ap);
		va_end(ap);
	}
	return kr;
}

/* [off, off + size) lies inside [0, len); no sum is formed. */
static bool
range_ok(uint64_t off, uint64_t size, uint64_t len)
{
	return size <= len && off <= len - size;
}

static bool
is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/*
 * quote: a name fit for a message: at most QUOTE_MAX bytes of s (which has
 * avail bytes before the end of its table), unprintable bytes as '?', and
 * "..." when cut short.
 */
struct quoted {
	char	q_buf[QUOTE_MAX + 4];
};

static const char *
quote(struct quoted *q, const char *s, uint64_t avail)
{
	size_t n = 0;

	while (n < avail && n < QUOTE_MAX && s[n] != '\0') {
		unsigned char c = (unsigned char)s[n];

		q->q_buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n == QUOTE_MAX && n < avail && s[n] != '\0') {
		memcpy(q->q_buf + n, "...", 3);
		n += 3;
	}
	q->q_buf[n] = '\0';
	return q->q_buf;
}

static const char *
etype_name(unsigned type)
{
	static const char *const names[] = { "ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE" };

	return type < nitems(names) ? names[type] : "unknown";
}

static const char *
machine_name(unsigned machine)
{
	switch (machine) {
	case EM_386:		return "EM_386";
	case EM_X86_64:		return "EM_X86_64";
	case EM_AARCH64:	return "EM_AARCH64";
	case EM_RISCV:		return "EM_RISCV";
	default:		return "unknown";
	}
}

/* "r-x" for VM_PROT_READ | VM_PROT_EXECUTE. */
struct protstr {
	char	p_buf[4];
};

static const char *
prot_str(struct protstr *p, vm_prot_t prot)
{
	p->p_buf[0] = (prot & VM_PROT_READ) ? 'r' : '-';
	p->p_buf[1] = (prot & VM_PROT_WRITE) ? 'w' : '-';
	p->p_buf[2] = (prot & VM_PROT_EXECUTE) ? 'x' : '-';
	p->p_buf[3] = '\0';
	return p->p_buf;
}

static vm_prot_t
pflags_prot(uint32_t flags)
{
	vm_prot_t prot = VM_PROT_NONE;

	if (flags & PF_R)
		prot |= VM_PROT_READ;
	if (flags & PF_W)
		prot |= VM_PROT_WRITE;
	if (flags & PF_X)
		prot |= VM_PROT_EXECUTE;
	return prot;
}

/* --- the file header -------------------------------------------------------- */

static kern_return_t
ident_check(struct elf_ctx *cx)
{
	const uint8_t *id = cx->base;

	if (cx->len < EI_NIDENT)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "the file is %zu bytes, too short "
		    "for an ELF identification (16 bytes)", cx->len);
	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 || id[EI_MAG2] != ELFMAG2 ||
	    id[EI_MAG3] != ELFMAG3)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "bad magic %02x %02x %02x %02x: "
		    "not an ELF file", id[0], id[1], id[2], id[3]);
	if (id[EI_CLASS] == ELFCLASS32)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "EI_CLASS 1 (ELFCLASS32): only "
		    "ELFCLASS64 files are supported");
	if (id[EI_CLASS] != ELFCLASS64)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "EI_CLASS %u is not a valid class",
		    id[EI_CLASS]);
	if (id[EI_DATA] == ELFDATA2MSB)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "EI_DATA 2 (ELFDATA2MSB, big-endian): "
		    "only little-endian files are supported");
	if (id[EI_DATA] != ELFDATA2LSB)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "EI_DATA %u is not a valid byte order",
		    id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "EI_VERSION %u: expected 1 "
		    "(EV_CURRENT)", id[EI_VERSION]);
	if (id[EI_OSABI] != ELFOSABI_NONE && id[EI_OSABI] != ELFOSABI_GNU)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "EI_OSABI %u: only System V (0) and "
		    "GNU (3) files are supported", id[EI_OSABI]);
	return KERN_SUCCESS;
}

/* The section header table: its bounds, extended numbering, e_shstrndx. */
static kern_return_t
shdr_table_check(struct elf_ctx *cx, const Elf64_Ehdr *eh, struct elf_header *hdr)
{
	Elf64_Shdr sh0;
	uint64_t shnum;
	uint32_t shstrndx = eh->e_shstrndx;

	if (eh->e_shoff == 0) {
		if (eh->e_shnum != 0)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shnum %u, but e_shoff is 0 "
			    "(no section header table)", eh->e_shnum);
		if (eh->e_shstrndx != SHN_UNDEF)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shstrndx %u, but there is "
			    "no section header table", eh->e_shstrndx);
		return KERN_SUCCESS;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shentsize %u: expected 64 "
		    "(sizeof(Elf64_Shdr))", eh->e_shentsize);
	if (!range_ok(eh->e_shoff, sizeof(Elf64_Shdr), cx->len))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shoff 0x%llx: the section header "
		    "table starts past the end of the file (0x%zx bytes)",
		    (unsigned long long)eh->e_shoff, cx->len);
	memcpy(&sh0, cx->base + eh->e_shoff, sizeof(sh0));
	shnum = eh->e_shnum;
	if (shnum == 0) {
		shnum = sh0.sh_size;
		if (shnum == 0)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shnum is 0 (extended "
			    "numbering), but section 0's sh_size is 0 too");
	}
	if (shnum > (cx->len - eh->e_shoff) / sizeof(Elf64_Shdr))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "section header table (e_shoff "
		    "0x%llx, %llu entries of 64 bytes) runs past the end of the file (0x%zx "
		    "bytes)", (unsigned long long)eh->e_shoff, (unsigned long long)shnum,
		    cx->len);
	if (shnum > UINT32_MAX)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "%llu sections: more than an "
		    "Elf64_Word can index", (unsigned long long)shnum);
	if (shstrndx == SHN_XINDEX)
		shstrndx = sh0.sh_link;
	else if (shstrndx >= SHN_LORESERVE)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shstrndx 0x%x is a reserved "
		    "section index", shstrndx);
	if (shstrndx >= shnum)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shstrndx %u%s is out of range "
		    "(%llu sections)", shstrndx, eh->e_shstrndx == SHN_XINDEX ?
		    " (from section 0's sh_link)" : "", (unsigned long long)shnum);
	hdr->eh_shnum = (uint32_t)shnum;
	hdr->eh_shstrndx = shstrndx;
	return KERN_SUCCESS;
}

static kern_return_t
header_check(struct elf_ctx *cx, struct elf_header *hdr)
{
	Elf64_Ehdr eh;
	kern_return_t kr;

	memset(hdr, 0, sizeof(*hdr));
	if ((kr = ident_check(cx)) != KERN_SUCCESS)
		return kr;
	if (cx->len < sizeof(eh))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "the file is %zu bytes, too short "
		    "for the ELF header (64 bytes)", cx->len);
	memcpy(&eh, cx->base, sizeof(eh));
	if (eh.e_version != EV_CURRENT)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_version %u: expected 1 "
		    "(EV_CURRENT)", eh.e_version);
	if (eh.e_machine != EM_X86_64)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "e_machine %u (%s): only EM_X86_64 "
		    "(62) is supported", eh.e_machine, machine_name(eh.e_machine));
	if (eh.e_ehsize != sizeof(Elf64_Ehdr))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_ehsize %u: expected 64",
		    eh.e_ehsize);
	if (eh.e_phnum == PN_XNUM)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "e_phnum is PN_XNUM (0xffff): extended "
		    "program header counts are not supported");
	if (eh.e_phnum != 0 && eh.e_phentsize != sizeof(Elf64_Phdr))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_phentsize %u: expected 56 "
		    "(sizeof(Elf64_Phdr))", eh.e_phentsize);
	if (eh.e_phnum != 0 &&
	    !range_ok(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), cx->len))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header table (e_phoff "
		    "0x%llx, %u entries of 56 bytes) runs past the end of the file (0x%zx bytes)",
		    (unsigned long long)eh.e_phoff, eh.e_phnum, cx->len);
	if ((kr = shdr_table_check(cx, &eh, hdr)) != KERN_SUCCESS)
		return kr;
	hdr->eh_type = eh.e_type;
	hdr->eh_entry = eh.e_entry;
	hdr->eh_phoff = eh.e_phoff;
	hdr->eh_phnum = eh.e_phnum;
	hdr->eh_shoff = eh.e_shoff;
	return KERN_SUCCESS;
}

kern_return_t
elf_header_check(const void *buf, size_t len, struct elf_header *hdr, char *err,
    size_t errlen)
{
	struct elf_ctx cx = { buf, len, err, errlen };

	return header_check(&cx, hdr);
}

/* --- executables ------------------------------------------------------------- */

static kern_return_t
exec_file_range(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph)
{
	if (!range_ok(ph->p_offset, ph->p_filesz, cx->len))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_offset 0x%llx "
		    "+ p_filesz 0x%llx runs past the end of the file (0x%zx bytes)", i,
		    (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, cx->len);
	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_filesz 0x%llx "
		    "is larger than p_memsz 0x%llx", i, (unsigned long long)ph->p_filesz,
		    (unsigned long long)ph->p_memsz);
	/* Room to round the end up to a page, too. */
	if (ph->p_vaddr > UINT64_MAX - PAGE_MASK_ELF ||
	    ph->p_memsz > UINT64_MAX - PAGE_MASK_ELF - ph->p_vaddr)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_vaddr 0x%llx + "
		    "p_memsz 0x%llx wraps around the address space", i,
		    (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
	if (ph->p_align > 1 && !is_pow2(ph->p_align))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_align 0x%llx is "
		    "not a power of two", i, (unsigned long long)ph->p_align);
	return KERN_SUCCESS;
}

/* Where and how a PT_LOAD segment may lie, given the ones before it. */
static kern_return_t
exec_load_place(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph,
    const struct elf_exec_info *info)
{
	const struct elf_segment *prev;
	uint64_t prev_end;

	if (ph->p_align > 1 && (ph->p_vaddr & (ph->p_align - 1)) != (ph->p_offset & (ph->p_align - 1)))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_vaddr 0x%llx and "
		    "p_offset 0x%llx differ modulo p_align 0x%llx", i,
		    (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_offset,
		    (unsigned long long)ph->p_align);
	if ((ph->p_vaddr & PAGE_MASK_ELF) != (ph->p_offset & PAGE_MASK_ELF))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: p_vaddr 0x%llx and "
		    "p_offset 0x%llx differ modulo the page size (0x%llx): the segment cannot be "
		    "mapped from the file", i, (unsigned long long)ph->p_vaddr,
		    (unsigned long long)ph->p_offset, ELF_PAGE_SIZE);
	if (info->ei_nsegments == 0)
		return KERN_SUCCESS;
	prev = &info->ei_segments[info->ei_nsegments - 1];
	prev_end = prev->es_vaddr + prev->es_memsz;
	if (ph->p_vaddr < prev->es_vaddr)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: PT_LOAD at 0x%llx "
		    "comes after one at 0x%llx (program header %u); PT_LOAD segments must be "
		    "sorted by address", i, (unsigned long long)ph->p_vaddr,
		    (unsigned long long)prev->es_vaddr, prev->es_phindex);
	if (ph->p_vaddr < prev_end)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: [0x%llx, 0x%llx) "
		    "overlaps program header %u's segment [0x%llx, 0x%llx)", i,
		    (unsigned long long)ph->p_vaddr, (unsigned long long)(ph->p_vaddr + ph->p_memsz),
		    prev->es_phindex, (unsigned long long)prev->es_vaddr,
		    (unsigned long long)prev_end);
	if (TRUNC_PAGE(ph->p_vaddr) < ROUND_PAGE(prev_end))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: its first page "
		    "0x%llx is also the last page of program header %u's segment, which ends at "
		    "0x%llx; segments may not share a page", i,
		    (unsigned long long)TRUNC_PAGE(ph->p_vaddr), prev->es_phindex,
		    (unsigned long long)prev_end);
	return KERN_SUCCESS;
}

static void
segment_fill(struct elf_segment *es, unsigned i, const Elf64_Phdr *ph)
{
	es->es_vaddr = ph->p_vaddr;
	es->es_memsz = ph->p_memsz;
	es->es_offset = ph->p_offset;
	es->es_filesz = ph->p_filesz;
	es->es_align = ph->p_align > 1 ? ph->p_align : 1;
	es->es_prot = pflags_prot(ph->p_flags);
	es->es_phindex = (uint16_t)i;
}

static kern_return_t
exec_load(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph, struct elf_exec_info *info)
{
	kern_return_t kr;

	if ((kr = exec_file_range(cx, i, ph)) != KERN_SUCCESS)
		return kr;
	if (ph->p_memsz == 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: a PT_LOAD segment "
		    "with p_memsz 0", i);
	if ((kr = exec_load_place(cx, i, ph, info)) != KERN_SUCCESS)
		return kr;
	if (info->ei_nsegments == ELF_EXEC_MAX_SEGMENTS)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "program header %u: more than %u PT_LOAD "
		    "segments", i, ELF_EXEC_MAX_SEGMENTS);
	segment_fill(&info->ei_segments[info->ei_nsegments++], i, ph);
	return KERN_SUCCESS;
}

/* PT_INTERP: always refused; the message names the interpreter if it can. */
static kern_return_t
exec_interp(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph)
{
	struct quoted q;
	const char *path;

	if (!range_ok(ph->p_offset, ph->p_filesz, cx->len) || ph->p_filesz == 0 ||
	    cx->base[ph->p_offset + ph->p_filesz - 1] != '\0')
		return elf_fail(cx, KERN_NOT_SUPPORTED, "program header %u: PT_INTERP (with a "
		    "malformed path): dynamic executables are not supported", i);
	path = (const char *)cx->base + ph->p_offset;
	return elf_fail(cx, KERN_NOT_SUPPORTED, "program header %u: PT_INTERP asks for the "
	    "interpreter \"%s\": dynamic executables are not supported", i,
	    quote(&q, path, ph->p_filesz));
}

static kern_return_t
exec_tls(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph, struct elf_exec_info *info)
{
	kern_return_t kr;

	if (info->ei_has_tls)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: a second PT_TLS "
		    "(the first is program header %u)", i, info->ei_tls.es_phindex);
	if ((kr = exec_file_range(cx, i, ph)) != KERN_SUCCESS)
		return kr;
	info->ei_has_tls = true;
	segment_fill(&info->ei_tls, i, ph);
	return KERN_SUCCESS;
}

static kern_return_t
exec_gnu_stack(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph,
    struct elf_exec_info *info)
{
	if (info->ei_gnu_stack)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: a second "
		    "PT_GNU_STACK", i);
	info->ei_gnu_stack = true;
	info->ei_stack_prot = pflags_prot(ph->p_flags);
	info->ei_stack_size = ph->p_memsz;
	return KERN_SUCCESS;
}

static kern_return_t
exec_phdr(struct elf_ctx *cx, unsigned i, const Elf64_Phdr *ph, struct elf_exec_info *info)
{
	switch (ph->p_type) {
	case PT_LOAD:
		return exec_load(cx, i, ph, info);
	case PT_INTERP:
		return exec_interp(cx, i, ph);
	case PT_TLS:
		return exec_tls(cx, i, ph, info);
	case PT_GNU_STACK:
		return exec_gnu_stack(cx, i, ph, info);
	default:
		/* PT_NOTE, PT_PHDR, PT_DYNAMIC, PT_GNU_RELRO, ...: nothing to load. */
		return KERN_SUCCESS;
	}
}

/* The segment holding vaddr in [es_vaddr, es_vaddr + es_memsz), or NULL. */
static const struct elf_segment *
exec_segment_at(const struct elf_exec_info *info, uint64_t vaddr)
{
	for (unsigned s = 0; s < info->ei_nsegments; s++) {
		const struct elf_segment *es = &info->ei_segments[s];

		if (vaddr >= es->es_vaddr && vaddr - es->es_vaddr < es->es_memsz)
			return es;
	}
	return NULL;
}

static kern_return_t
exec_entry_check(struct elf_ctx *cx, const struct elf_exec_info *info)
{
	const struct elf_segment *es = exec_segment_at(info, info->ei_entry);
	unsigned long long entry = info->ei_entry;
	struct protstr p;

	if (es == NULL)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_entry 0x%llx is not inside any "
		    "PT_LOAD segment", entry);
	if (!(es->es_prot & VM_PROT_EXECUTE))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_entry 0x%llx lies in program "
		    "header %u's segment, which is not executable (%s)", entry, es->es_phindex,
		    prot_str(&p, es->es_prot));
	if (info->ei_entry - es->es_vaddr >= es->es_filesz)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_entry 0x%llx lies past the end of "
		    "program header %u's file contents (0x%llx), in zero-filled memory", entry,
		    es->es_phindex, (unsigned long long)(es->es_vaddr + es->es_filesz));
	return KERN_SUCCESS;
}

/* The TLS template's initial bytes must be loaded with some PT_LOAD's file contents. */
static kern_return_t
exec_tls_check(struct elf_ctx *cx, const struct elf_exec_info *info)
{
	const struct elf_segment *tls = &info->ei_tls;
	const struct elf_segment *es;

	if (!info->ei_has_tls || tls->es_filesz == 0)
		return KERN_SUCCESS;
	es = exec_segment_at(info, tls->es_vaddr);
	if (es == NULL || tls->es_filesz > es->es_filesz ||
	    tls->es_vaddr - es->es_vaddr > es->es_filesz - tls->es_filesz ||
	    tls->es_offset - es->es_offset != tls->es_vaddr - es->es_vaddr)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "program header %u: the PT_TLS "
		    "template [0x%llx, 0x%llx) is not loaded from the same file bytes by a "
		    "PT_LOAD segment", tls->es_phindex, (unsigned long long)tls->es_vaddr,
		    (unsigned long long)(tls->es_vaddr + tls->es_filesz));
	return KERN_SUCCESS;
}

/* AT_PHDR: the program headers' address, if a segment loads them from the file. */
static uint64_t
exec_phdr_addr(const struct elf_header *hdr, const struct elf_exec_info *info)
{
	uint64_t size = (uint64_t)hdr->eh_phnum * sizeof(Elf64_Phdr);

	for (unsigned s = 0; s < info->ei_nsegments; s++) {
		const struct elf_segment *es = &info->ei_segments[s];

		if (hdr->eh_phoff >= es->es_offset && size <= es->es_filesz &&
		    hdr->eh_phoff - es->es_offset <= es->es_filesz - size)
			return es->es_vaddr + (hdr->eh_phoff - es->es_offset);
	}
	return 0;
}

static kern_return_t
exec_range_check(struct elf_ctx *cx, const struct elf_exec_info *info, uint64_t min_addr,
    uint64_t max_addr)
{
	const struct elf_segment *first = &info->ei_segments[0];
	const struct elf_segment *last = &info->ei_segments[info->ei_nsegments - 1];
	const struct elf_segment *bad;

	if (info->ei_type == ET_DYN) {
		if (info->ei_end - info->ei_start > max_addr - min_addr)
			return elf_fail(cx, KERN_INVALID_ADDRESS, "the image spans 0x%llx bytes, "
			    "more than the allowed range [0x%llx, 0x%llx) holds",
			    (unsigned long long)(info->ei_end - info->ei_start),
			    (unsigned long long)min_addr, (unsigned long long)max_addr);
		return KERN_SUCCESS;
	}
	bad = info->ei_start < min_addr ? first : info->ei_end > max_addr ? last : NULL;
	if (bad != NULL)
		return elf_fail(cx, KERN_INVALID_ADDRESS, "program header %u: [0x%llx, 0x%llx) "
		    "lies outside the allowed range [0x%llx, 0x%llx)", bad->es_phindex,
		    (unsigned long long)bad->es_vaddr,
		    (unsigned long long)(bad->es_vaddr + bad->es_memsz),
		    (unsigned long long)min_addr, (unsigned long long)max_addr);
	return KERN_SUCCESS;
}

/* What needs every program header: extent, entry, TLS, AT_PHDR, range. */
static kern_return_t
exec_finish(struct elf_ctx *cx, const struct elf_header *hdr, uint64_t min_addr,
    uint64_t max_addr, struct elf_exec_info *info)
{
	const struct elf_segment *last;
	kern_return_t kr;

	if (info->ei_nsegments == 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "no PT_LOAD segments: there is "
		    "nothing to load");
	last = &info->ei_segments[info->ei_nsegments - 1];
	info->ei_start = TRUNC_PAGE(info->ei_segments[0].es_vaddr);
	info->ei_end = ROUND_PAGE(last->es_vaddr + last->es_memsz);
	info->ei_align = ELF_PAGE_SIZE;
	for (unsigned s = 0; s < info->ei_nsegments; s++)
		info->ei_align = MAX(info->ei_align, info->ei_segments[s].es_align);
	if ((kr = exec_entry_check(cx, info)) != KERN_SUCCESS)
		return kr;
	if ((kr = exec_tls_check(cx, info)) != KERN_SUCCESS)
		return kr;
	info->ei_phdr = exec_phdr_addr(hdr, info);
	return exec_range_check(cx, info, min_addr, max_addr);
}

kern_return_t
elf_exec_parse(const void *buf, size_t len, uint64_t min_addr, uint64_t max_addr,
    struct elf_exec_info *info, char *err, size_t errlen)
{
	struct elf_ctx cx = { buf, len, err, errlen };
	struct elf_header hdr;
	Elf64_Phdr ph;
	kern_return_t kr;

	memset(info, 0, sizeof(*info));
	if (min_addr >= max_addr || (min_addr & PAGE_MASK_ELF) || (max_addr & PAGE_MASK_ELF))
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "the allowed range [0x%llx, 0x%llx) "
		    "is empty or not page-aligned", (unsigned long long)min_addr,
		    (unsigned long long)max_addr);
	if ((kr = header_check(&cx, &hdr)) != KERN_SUCCESS)
		return kr;
	if (hdr.eh_type != ET_EXEC && hdr.eh_type != ET_DYN)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "e_type %u (%s): not an executable "
		    "(ET_EXEC, or ET_DYN for a static PIE)", hdr.eh_type, etype_name(hdr.eh_type));
	if (hdr.eh_phnum == 0)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "e_phnum is 0: an executable needs "
		    "program headers");
	info->ei_type = hdr.eh_type;
	info->ei_entry = hdr.eh_entry;
	info->ei_phentsize = sizeof(Elf64_Phdr);
	info->ei_phnum = hdr.eh_phnum;
	info->ei_stack_prot = VM_PROT_READ | VM_PROT_WRITE;
	for (unsigned i = 0; i < hdr.eh_phnum; i++) {
		memcpy(&ph, cx.base + hdr.eh_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if ((kr = exec_phdr(&cx, i, &ph, info)) != KERN_SUCCESS)
			return kr;
	}
	return exec_finish(&cx, &hdr, min_addr, max_addr, info);
}

static void
segment_slide(struct elf_segment *es, uint64_t slide)
{
	es->es_vaddr += slide;
}

kern_return_t
elf_exec_slide(struct elf_exec_info *info, uint64_t slide, uint64_t min_addr,
    uint64_t max_addr, char *err, size_t errlen)
{
	struct elf_ctx cx = { NULL, 0, err, errlen };

	if (info->ei_type != ET_DYN)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "only an ET_DYN image can slide; this "
		    "one is %s", etype_name(info->ei_type));
	if (slide & (info->ei_align - 1))
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "slide 0x%llx is not a multiple of "
		    "the image's alignment 0x%llx", (unsigned long long)slide,
		    (unsigned long long)info->ei_align);
	if (slide > UINT64_MAX - info->ei_end || info->ei_start + slide < min_addr ||
	    info->ei_end + slide > max_addr)
		return elf_fail(&cx, KERN_INVALID_ADDRESS, "slid by 0x%llx, the image [0x%llx, "
		    "0x%llx) would lie outside the allowed range [0x%llx, 0x%llx)",
		    (unsigned long long)slide, (unsigned long long)info->ei_start,
		    (unsigned long long)info->ei_end, (unsigned long long)min_addr,
		    (unsigned long long)max_addr);
	info->ei_slide += slide;
	info->ei_entry += slide;
	info->ei_start += slide;
	info->ei_end += slide;
	if (info->ei_phdr != 0)
		info->ei_phdr += slide;
	for (unsigned s = 0; s < info->ei_nsegments; s++)
		segment_slide(&info->ei_segments[s], slide);
	if (info->ei_has_tls)
		segment_slide(&info->ei_tls, slide);
	return KERN_SUCCESS;
}

/* --- relocatable objects: reading what was checked ---------------------------- */

static void
rel_shdr(const struct elf_rel *r, uint32_t index, Elf64_Shdr *sh)
{
	memcpy(sh, r->er_base + r->er_shoff + (uint64_t)index * sizeof(*sh), sizeof(*sh));
}

/* A name in string table sec (checked: NUL-terminated, offset in range). */
static const char *
rel_string(const struct elf_rel *r, const Elf64_Shdr *strtab, uint32_t offset)
{
	return (const char *)r->er_base + strtab->sh_offset + offset;
}

static void
rel_sym(const struct elf_rel *r, uint64_t index, Elf64_Sym *sym)
{
	Elf64_Shdr symtab;

	rel_shdr(r, r->er_symtab, &symtab);
	memcpy(sym, r->er_base + symtab.sh_offset + index * sizeof(*sym), sizeof(*sym));
}

static uint32_t
rel_sym_xindex(const struct elf_rel *r, uint64_t index)
{
	Elf64_Shdr shndx;
	uint32_t x;

	rel_shdr(r, r->er_symtab_shndx, &shndx);
	memcpy(&x, r->er_base + shndx.sh_offset + index * sizeof(x), sizeof(x));
	return x;
}

static void
rel_rela(const struct elf_rel *r, const Elf64_Shdr *sec, uint64_t index, Elf64_Rela *rela)
{
	memcpy(rela, r->er_base + sec->sh_offset + index * sizeof(*rela), sizeof(*rela));
}

/* --- relocatable objects: checking -------------------------------------------- */

/* A section's label for messages: "section 5 (.rela.text)". */
struct seclabel {
	char	sl_buf[QUOTE_MAX + 32];
};

static const char *
rel_label(struct seclabel *l, const struct elf_rel *r, uint32_t index)
{
	Elf64_Shdr sh, strtab;
	struct quoted q;

	rel_shdr(r, index, &sh);
	rel_shdr(r, r->er_shstrndx, &strtab);
	if (index == 0 || sh.sh_name >= strtab.sh_size)
		snprintf(l->sl_buf, sizeof(l->sl_buf), "section %u", index);
	else
		snprintf(l->sl_buf, sizeof(l->sl_buf), "section %u (%s)", index,
		    quote(&q, rel_string(r, &strtab, sh.sh_name), strtab.sh_size - sh.sh_name));
	return l->sl_buf;
}

static kern_return_t
rel_check_strtab(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh)
{
	struct seclabel l;
	const uint8_t *s = cx->base + sh->sh_offset;

	if (sh->sh_size == 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: an empty string table (it must "
		    "hold at least the empty string)", rel_label(&l, r, index));
	if (s[0] != '\0')
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: the string table does not begin "
		    "with a NUL", rel_label(&l, r, index));
	if (s[sh->sh_size - 1] != '\0')
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: the string table does not end "
		    "with a NUL", rel_label(&l, r, index));
	return KERN_SUCCESS;
}

/* The section name table comes first: every other message names sections. */
static kern_return_t
rel_check_shstrtab(struct elf_ctx *cx, const struct elf_rel *r)
{
	Elf64_Shdr sh;

	rel_shdr(r, r->er_shstrndx, &sh);
	if (sh.sh_type != SHT_STRTAB)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "e_shstrndx %u names a section of "
		    "type %u, not a string table (SHT_STRTAB)", r->er_shstrndx, sh.sh_type);
	if (!range_ok(sh.sh_offset, sh.sh_size, cx->len))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "section %u (the section name table): "
		    "sh_offset 0x%llx + sh_size 0x%llx runs past the end of the file (0x%zx "
		    "bytes)", r->er_shstrndx, (unsigned long long)sh.sh_offset,
		    (unsigned long long)sh.sh_size, cx->len);
	if (sh.sh_size == 0 || cx->base[sh.sh_offset] != '\0' ||
	    cx->base[sh.sh_offset + sh.sh_size - 1] != '\0')
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "section %u (the section name table): "
		    "a string table must begin and end with a NUL", r->er_shstrndx);
	return KERN_SUCCESS;
}

/* sh_link names a section of the wanted type. */
static kern_return_t
rel_check_link(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh, uint32_t want, const char *what)
{
	Elf64_Shdr linked;
	struct seclabel l;

	rel_shdr(r, sh->sh_link, &linked);
	if (sh->sh_link == 0 || linked.sh_type != want)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_link %u names a section of "
		    "type %u, not %s", rel_label(&l, r, index), sh->sh_link, linked.sh_type, what);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_entsize(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh, uint64_t entsize, const char *type)
{
	struct seclabel l;

	if (sh->sh_entsize != entsize)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_entsize %llu, expected %llu "
		    "(sizeof(%s))", rel_label(&l, r, index), (unsigned long long)sh->sh_entsize,
		    (unsigned long long)entsize, type);
	if (sh->sh_size % entsize != 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_size 0x%llx is not a multiple "
		    "of sh_entsize %llu", rel_label(&l, r, index),
		    (unsigned long long)sh->sh_size, (unsigned long long)entsize);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_symtab(struct elf_ctx *cx, struct elf_rel *r, uint32_t index, const Elf64_Shdr *sh)
{
	struct seclabel l;
	kern_return_t kr;

	if (r->er_symtab != 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: a second symbol table (the first "
		    "is section %u)", rel_label(&l, r, index), r->er_symtab);
	if ((kr = rel_check_entsize(cx, r, index, sh, sizeof(Elf64_Sym), "Elf64_Sym")) != 0)
		return kr;
	if (sh->sh_size == 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: an empty symbol table (it must "
		    "hold at least the null symbol)", rel_label(&l, r, index));
	if ((kr = rel_check_link(cx, r, index, sh, SHT_STRTAB, "a string table")) != 0)
		return kr;
	if (sh->sh_info > sh->sh_size / sizeof(Elf64_Sym))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_info %u (one past the last "
		    "local symbol) is beyond the table's %llu symbols", rel_label(&l, r, index),
		    sh->sh_info, (unsigned long long)(sh->sh_size / sizeof(Elf64_Sym)));
	r->er_symtab = index;
	r->er_strtab = sh->sh_link;
	r->er_nsyms = sh->sh_size / sizeof(Elf64_Sym);
	return KERN_SUCCESS;
}

/* A RELA section's target, sh_info: a section with file contents to patch. */
static kern_return_t
rel_check_target(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh)
{
	Elf64_Shdr target;
	struct seclabel l, lt;

	if (sh->sh_info == 0 || sh->sh_info >= r->er_shnum)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_info %u does not name a "
		    "section to relocate (%u sections)", rel_label(&l, r, index), sh->sh_info,
		    r->er_shnum);
	rel_shdr(r, sh->sh_info, &target);
	switch (target.sh_type) {
	case SHT_NULL:
	case SHT_NOBITS:
	case SHT_SYMTAB:
	case SHT_STRTAB:
	case SHT_RELA:
	case SHT_REL:
	case SHT_SYMTAB_SHNDX:
	case SHT_GROUP:
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: relocates %s, of type %u, which "
		    "has no contents to patch", rel_label(&l, r, index),
		    rel_label(&lt, r, sh->sh_info), target.sh_type);
	default:
		return KERN_SUCCESS;
	}
}

static kern_return_t
rel_check_rela(struct elf_ctx *cx, struct elf_rel *r, uint32_t index, const Elf64_Shdr *sh)
{
	kern_return_t kr;

	if ((kr = rel_check_entsize(cx, r, index, sh, sizeof(Elf64_Rela), "Elf64_Rela")) != 0)
		return kr;
	if ((kr = rel_check_link(cx, r, index, sh, SHT_SYMTAB, "the symbol table")) != 0)
		return kr;
	if ((kr = rel_check_target(cx, r, index, sh)) != 0)
		return kr;
	r->er_nrelocs += sh->sh_size / sizeof(Elf64_Rela);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_symtab_shndx(struct elf_ctx *cx, struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh)
{
	struct seclabel l;
	kern_return_t kr;

	if (r->er_symtab_shndx != 0)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: a second SHT_SYMTAB_SHNDX "
		    "section (the first is section %u)", rel_label(&l, r, index),
		    r->er_symtab_shndx);
	if ((kr = rel_check_entsize(cx, r, index, sh, sizeof(Elf64_Word), "Elf64_Word")) != 0)
		return kr;
	if ((kr = rel_check_link(cx, r, index, sh, SHT_SYMTAB, "the symbol table")) != 0)
		return kr;
	r->er_symtab_shndx = index;
	return KERN_SUCCESS;
}

/* What every section header must satisfy, whatever its type. */
static kern_return_t
rel_check_shdr(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    const Elf64_Shdr *sh)
{
	Elf64_Shdr strtab;
	struct seclabel l;

	rel_shdr(r, r->er_shstrndx, &strtab);
	if (sh->sh_name >= strtab.sh_size)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "section %u: sh_name %u lies past the "
		    "end of the section name table (%llu bytes)", index, sh->sh_name,
		    (unsigned long long)strtab.sh_size);
	if (sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL &&
	    !range_ok(sh->sh_offset, sh->sh_size, cx->len))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_offset 0x%llx + sh_size 0x%llx "
		    "runs past the end of the file (0x%zx bytes)", rel_label(&l, r, index),
		    (unsigned long long)sh->sh_offset, (unsigned long long)sh->sh_size, cx->len);
	if (sh->sh_addralign > 1 && !is_pow2(sh->sh_addralign))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_addralign 0x%llx is not a "
		    "power of two", rel_label(&l, r, index), (unsigned long long)sh->sh_addralign);
	if (sh->sh_link >= r->er_shnum)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_link %u is out of range (%u "
		    "sections)", rel_label(&l, r, index), sh->sh_link, r->er_shnum);
	if ((sh->sh_flags & SHF_INFO_LINK) && sh->sh_info >= r->er_shnum)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_info %u (SHF_INFO_LINK) is out "
		    "of range (%u sections)", rel_label(&l, r, index), sh->sh_info, r->er_shnum);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_section(struct elf_ctx *cx, struct elf_rel *r, uint32_t index)
{
	Elf64_Shdr sh;
	struct seclabel l;
	kern_return_t kr;

	rel_shdr(r, index, &sh);
	if ((kr = rel_check_shdr(cx, r, index, &sh)) != KERN_SUCCESS)
		return kr;
	switch (sh.sh_type) {
	case SHT_SYMTAB:
		return rel_check_symtab(cx, r, index, &sh);
	case SHT_STRTAB:
		return rel_check_strtab(cx, r, index, &sh);
	case SHT_RELA:
		return rel_check_rela(cx, r, index, &sh);
	case SHT_SYMTAB_SHNDX:
		return rel_check_symtab_shndx(cx, r, index, &sh);
	case SHT_REL:
		return elf_fail(cx, KERN_NOT_SUPPORTED, "%s: SHT_REL relocations (without "
		    "addends) are not used on x86-64", rel_label(&l, r, index));
	default:
		return KERN_SUCCESS;
	}
}

/* A symbol's label for messages: "symbol 12 (foo)". */
struct symlabel {
	char	sy_buf[QUOTE_MAX + 40];
};

static const char *
sym_label(struct symlabel *l, const struct elf_rel *r, uint64_t index, const Elf64_Sym *sym)
{
	Elf64_Shdr strtab;
	struct quoted q;

	rel_shdr(r, r->er_strtab, &strtab);
	if (sym->st_name == 0 || sym->st_name >= strtab.sh_size)
		snprintf(l->sy_buf, sizeof(l->sy_buf), "symbol %llu", (unsigned long long)index);
	else
		snprintf(l->sy_buf, sizeof(l->sy_buf), "symbol %llu (%s)", (unsigned long long)index,
		    quote(&q, rel_string(r, &strtab, sym->st_name), strtab.sh_size - sym->st_name));
	return l->sy_buf;
}

/* Name, binding and type, and locals before globals (the symbol table's sh_info). */
static kern_return_t
rel_check_sym_kind(struct elf_ctx *cx, const struct elf_rel *r, uint64_t index,
    const Elf64_Sym *sym, uint32_t first_global)
{
	Elf64_Shdr strtab;
	struct symlabel l;
	unsigned bind = ELF64_ST_BIND(sym->st_info), type = ELF64_ST_TYPE(sym->st_info);

	rel_shdr(r, r->er_strtab, &strtab);
	if (sym->st_name >= strtab.sh_size)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "symbol %llu: st_name %u lies past "
		    "the end of the string table (section %u, %llu bytes)",
		    (unsigned long long)index, sym->st_name, r->er_strtab,
		    (unsigned long long)strtab.sh_size);
	if (bind != STB_LOCAL && bind != STB_GLOBAL && bind != STB_WEAK)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "%s: binding %u (%s) is not supported",
		    sym_label(&l, r, index, sym), bind,
		    bind == STB_GNU_UNIQUE ? "STB_GNU_UNIQUE" : "unknown");
	if (type > STT_TLS)
		return elf_fail(cx, KERN_NOT_SUPPORTED, "%s: type %u (%s) is not supported",
		    sym_label(&l, r, index, sym), type,
		    type == STT_GNU_IFUNC ? "STT_GNU_IFUNC" : "unknown");
	if (index < first_global && bind != STB_LOCAL)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: not STB_LOCAL, but the symbol "
		    "table's sh_info (%u) places it among the locals", sym_label(&l, r, index, sym),
		    first_global);
	if (index >= first_global && bind == STB_LOCAL)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: STB_LOCAL, but the symbol table's "
		    "sh_info (%u) says the locals end before it", sym_label(&l, r, index, sym),
		    first_global);
	return KERN_SUCCESS;
}

/* A symbol defined in a section: the section exists and holds its value (and size). */
static kern_return_t
rel_check_sym_defined(struct elf_ctx *cx, const struct elf_rel *r, uint64_t index,
    const Elf64_Sym *sym, uint32_t shndx)
{
	Elf64_Shdr sec;
	struct symlabel l;
	struct seclabel ls;
	unsigned type = ELF64_ST_TYPE(sym->st_info);

	if (shndx >= r->er_shnum)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: section index %u is out of range "
		    "(%u sections)", sym_label(&l, r, index, sym), shndx, r->er_shnum);
	rel_shdr(r, shndx, &sec);
	if (sec.sh_type == SHT_NULL)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: defined in %s, which is SHT_NULL",
		    sym_label(&l, r, index, sym), rel_label(&ls, r, shndx));
	if (sym->st_value > sec.sh_size)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: st_value 0x%llx lies past the "
		    "end of %s, which is 0x%llx bytes", sym_label(&l, r, index, sym),
		    (unsigned long long)sym->st_value, rel_label(&ls, r, shndx),
		    (unsigned long long)sec.sh_size);
	if ((type == STT_OBJECT || type == STT_FUNC) && sym->st_size > sec.sh_size - sym->st_value)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: st_value 0x%llx + st_size 0x%llx "
		    "runs past the end of %s, which is 0x%llx bytes", sym_label(&l, r, index, sym),
		    (unsigned long long)sym->st_value, (unsigned long long)sym->st_size,
		    rel_label(&ls, r, shndx), (unsigned long long)sec.sh_size);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_sym_section(struct elf_ctx *cx, const struct elf_rel *r, uint64_t index,
    const Elf64_Sym *sym)
{
	struct symlabel l;
	uint32_t shndx = sym->st_shndx;

	switch (shndx) {
	case SHN_UNDEF:
	case SHN_ABS:
		return KERN_SUCCESS;
	case SHN_COMMON:
		if (!is_pow2(sym->st_value))
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: SHN_COMMON with alignment "
			    "(st_value) 0x%llx, not a power of two", sym_label(&l, r, index, sym),
			    (unsigned long long)sym->st_value);
		return KERN_SUCCESS;
	case SHN_XINDEX:
		if (r->er_symtab_shndx == 0)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: st_shndx is SHN_XINDEX, but "
			    "there is no SHT_SYMTAB_SHNDX section", sym_label(&l, r, index, sym));
		shndx = rel_sym_xindex(r, index);
		if (shndx == SHN_UNDEF)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: its extended section index "
			    "is 0", sym_label(&l, r, index, sym));
		break;
	default:
		if (shndx >= SHN_LORESERVE)
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: st_shndx 0x%x is a reserved "
			    "index with no meaning here", sym_label(&l, r, index, sym), shndx);
		break;
	}
	return rel_check_sym_defined(cx, r, index, sym, shndx);
}

static kern_return_t
rel_check_symbols(struct elf_ctx *cx, const struct elf_rel *r)
{
	Elf64_Shdr symtab, shndx;
	Elf64_Sym sym;
	struct seclabel l;
	kern_return_t kr;

	if (r->er_symtab == 0)
		return KERN_SUCCESS;
	rel_shdr(r, r->er_symtab, &symtab);
	if (r->er_symtab_shndx != 0) {
		rel_shdr(r, r->er_symtab_shndx, &shndx);
		if (shndx.sh_size != r->er_nsyms * sizeof(Elf64_Word))
			return elf_fail(cx, KERN_INVALID_ARGUMENT, "%s: sh_size 0x%llx, but the "
			    "symbol table has %llu symbols (4 bytes each)",
			    rel_label(&l, r, r->er_symtab_shndx), (unsigned long long)shndx.sh_size,
			    (unsigned long long)r->er_nsyms);
	}
	for (uint64_t i = 0; i < r->er_nsyms; i++) {
		rel_sym(r, i, &sym);
		if ((kr = rel_check_sym_kind(cx, r, i, &sym, symtab.sh_info)) != KERN_SUCCESS)
			return kr;
		if ((kr = rel_check_sym_section(cx, r, i, &sym)) != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/* --- relocation types ------------------------------------------------------------ */

struct reloc_type {
	const char	*rt_name;
	uint8_t		rt_width;	/* bytes of the field */
	bool		rt_dynamic;	/* made by the static linker, never in an ET_REL */
};

#define RT(n, w, d)	[R_X86_64_##n] = { "R_X86_64_" #n, (w), (d) }
static const struct reloc_type reloc_types[] = {
	RT(NONE, 0, false),		RT(64, 8, false),		RT(PC32, 4, false),
	RT(GOT32, 4, false),		RT(PLT32, 4, false),		RT(COPY, 0, true),
	RT(GLOB_DAT, 8, true),		RT(JUMP_SLOT, 8, true),		RT(RELATIVE, 8, true),
	RT(GOTPCREL, 4, false),		RT(32, 4, false),		RT(32S, 4, false),
	RT(16, 2, false),		RT(PC16, 2, false),		RT(8, 1, false),
	RT(PC8, 1, false),		RT(DTPMOD64, 8, false),		RT(DTPOFF64, 8, false),
	RT(TPOFF64, 8, false),		RT(TLSGD, 4, false),		RT(TLSLD, 4, false),
	RT(DTPOFF32, 4, false),		RT(GOTTPOFF, 4, false),		RT(TPOFF32, 4, false),
	RT(PC64, 8, false),		RT(GOTOFF64, 8, false),		RT(GOTPC32, 4, false),
	RT(GOT64, 8, false),		RT(GOTPCREL64, 8, false),	RT(GOTPC64, 8, false),
	RT(GOTPLT64, 8, false),		RT(PLTOFF64, 8, false),		RT(SIZE32, 4, false),
	RT(SIZE64, 8, false),		RT(GOTPC32_TLSDESC, 4, false),	RT(TLSDESC_CALL, 0, false),
	RT(TLSDESC, 16, true),		RT(IRELATIVE, 8, true),		RT(RELATIVE64, 8, true),
	RT(GOTPCRELX, 4, false),	RT(REX_GOTPCRELX, 4, false),
};
#undef RT

static const struct reloc_type *
reloc_type(uint32_t type)
{
	if (type >= nitems(reloc_types) || reloc_types[type].rt_name == NULL)
		return NULL;
	return &reloc_types[type];
}

const char *
elf_reloc_type_name(uint32_t type)
{
	const struct reloc_type *rt = reloc_type(type);

	return rt != NULL ? rt->rt_name : NULL;
}

static kern_return_t
rel_check_one_reloc(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index,
    uint64_t j, const Elf64_Rela *rela, const Elf64_Shdr *target, uint32_t target_index)
{
	const struct reloc_type *rt = reloc_type(ELF64_R_TYPE(rela->r_info));
	uint32_t sym = ELF64_R_SYM(rela->r_info);
	struct seclabel l, lt;

	if (sym >= r->er_nsyms)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "relocation %llu in %s: symbol index "
		    "%u is out of range (%llu symbols)", (unsigned long long)j,
		    rel_label(&l, r, index), sym, (unsigned long long)r->er_nsyms);
	if (rt == NULL)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "relocation %llu in %s: type %u is not "
		    "an x86-64 relocation type", (unsigned long long)j, rel_label(&l, r, index),
		    ELF64_R_TYPE(rela->r_info));
	if (rt->rt_dynamic)
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "relocation %llu in %s: %s is a "
		    "dynamic relocation, out of place in a relocatable object",
		    (unsigned long long)j, rel_label(&l, r, index), rt->rt_name);
	if (!range_ok(rela->r_offset, rt->rt_width, target->sh_size))
		return elf_fail(cx, KERN_INVALID_ARGUMENT, "relocation %llu in %s: r_offset 0x%llx "
		    "+ %u bytes (%s) runs past the end of %s, which is 0x%llx bytes", (unsigned long long)j,
		    rel_label(&l, r, index), (unsigned long long)rela->r_offset, rt->rt_width,
		    rt->rt_name, rel_label(&lt, r, target_index), (unsigned long long)target->sh_size);
	return KERN_SUCCESS;
}

static kern_return_t
rel_check_relocs(struct elf_ctx *cx, const struct elf_rel *r, uint32_t index)
{
	Elf64_Shdr sec, target;
	Elf64_Rela rela;
	kern_return_t kr;

	rel_shdr(r, index, &sec);
	rel_shdr(r, sec.sh_info, &target);
	for (uint64_t j = 0; j < sec.sh_size / sizeof(Elf64_Rela); j++) {
		rel_rela(r, &sec, j, &rela);
		kr = rel_check_one_reloc(cx, r, index, j, &rela, &target, sec.sh_info);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/* --- relocatable objects: the interface --------------------------------------- */

kern_return_t
elf_rel_open(struct elf_rel *rel, const void *buf, size_t len, char *err, size_t errlen)
{
	struct elf_ctx cx = { buf, len, err, errlen };
	struct elf_header hdr;
	struct elf_rel r;	/* handed out only once every check has passed */
	Elf64_Shdr sh;
	kern_return_t kr;

	memset(rel, 0, sizeof(*rel));
	if ((kr = header_check(&cx, &hdr)) != KERN_SUCCESS)
		return kr;
	if (hdr.eh_type != ET_REL)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "e_type %u (%s): not a relocatable "
		    "object (ET_REL)", hdr.eh_type, etype_name(hdr.eh_type));
	if (hdr.eh_shnum == 0)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "e_shoff is 0: a relocatable object "
		    "needs section headers");
	if (hdr.eh_shstrndx == SHN_UNDEF)
		return elf_fail(&cx, KERN_INVALID_ARGUMENT, "e_shstrndx is SHN_UNDEF: a "
		    "relocatable object needs section names");
	memset(&r, 0, sizeof(r));
	r.er_base = buf;
	r.er_len = len;
	r.er_shoff = hdr.eh_shoff;
	r.er_shnum = hdr.eh_shnum;
	r.er_shstrndx = hdr.eh_shstrndx;
	if ((kr = rel_check_shstrtab(&cx, &r)) != KERN_SUCCESS)
		return kr;
	for (uint32_t i = 1; i < r.er_shnum; i++) {
		if ((kr = rel_check_section(&cx, &r, i)) != KERN_SUCCESS)
			return kr;
	}
	if ((kr = rel_check_symbols(&cx, &r)) != KERN_SUCCESS)
		return kr;
	for (uint32_t i = 1; i < r.er_shnum; i++) {
		rel_shdr(&r, i, &sh);
		if (sh.sh_type == SHT_RELA && (kr = rel_check_relocs(&cx, &r, i)) != KERN_SUCCESS)
			return kr;
	}
	*rel = r;
	return KERN_SUCCESS;
}

uint32_t
elf_rel_section_count(const struct elf_rel *rel)
{
	return rel->er_shnum;
}

bool
elf_rel_section(const struct elf_rel *rel, uint32_t index, struct elf_section *sec)
{
	Elf64_Shdr sh, strtab;

	if (index >= rel->er_shnum)
		return false;
	memset(sec, 0, sizeof(*sec));
	sec->esh_index = index;
	sec->esh_name = "";
	sec->esh_align = 1;
	if (index == 0)		/* may hold extended counts, not a section */
		return true;
	rel_shdr(rel, index, &sh);
	rel_shdr(rel, rel->er_shstrndx, &strtab);
	sec->esh_name = rel_string(rel, &strtab, sh.sh_name);
	sec->esh_type = sh.sh_type;
	sec->esh_flags = sh.sh_flags;
	sec->esh_addr = sh.sh_addr;
	sec->esh_offset = sh.sh_offset;
	sec->esh_size = sh.sh_size;
	if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL)
		sec->esh_data = rel->er_base + sh.sh_offset;
	sec->esh_align = sh.sh_addralign > 1 ? sh.sh_addralign : 1;
	sec->esh_link = sh.sh_link;
	sec->esh_info = sh.sh_info;
	sec->esh_entsize = sh.sh_entsize;
	return true;
}

bool
elf_rel_find_section(const struct elf_rel *rel, const char *name, struct elf_section *sec)
{
	for (uint32_t i = 1; i < rel->er_shnum; i++) {
		if (elf_rel_section(rel, i, sec) && strcmp(sec->esh_name, name) == 0)
			return true;
	}
	return false;
}

uint64_t
elf_rel_symbol_count(const struct elf_rel *rel)
{
	return rel->er_nsyms;
}

bool
elf_rel_symbol(const struct elf_rel *rel, uint64_t index, struct elf_symbol *sym)
{
	Elf64_Shdr strtab;
	Elf64_Sym st;

	if (index >= rel->er_nsyms)
		return false;
	rel_sym(rel, index, &st);
	rel_shdr(rel, rel->er_strtab, &strtab);
	memset(sym, 0, sizeof(*sym));
	sym->esym_index = index;
	sym->esym_name = rel_string(rel, &strtab, st.st_name);
	sym->esym_value = st.st_value;
	sym->esym_size = st.st_size;
	sym->esym_bind = ELF64_ST_BIND(st.st_info);
	sym->esym_type = ELF64_ST_TYPE(st.st_info);
	sym->esym_visibility = ELF64_ST_VISIBILITY(st.st_other);
	sym->esym_shndx = st.st_shndx;
	switch (st.st_shndx) {
	case SHN_UNDEF:
		sym->esym_kind = ELF_SYM_UNDEF;
		break;
	case SHN_ABS:
		sym->esym_kind = ELF_SYM_ABS;
		break;
	case SHN_COMMON:
		sym->esym_kind = ELF_SYM_COMMON;
		break;
	case SHN_XINDEX:
		sym->esym_kind = ELF_SYM_DEFINED;
		sym->esym_shndx = rel_sym_xindex(rel, index);
		break;
	default:
		sym->esym_kind = ELF_SYM_DEFINED;
		break;
	}
	return true;
}

bool
elf_rel_find_symbol(const struct elf_rel *rel, const char *name, struct elf_symbol *sym)
{
	Elf64_Shdr symtab;

	if (rel->er_symtab == 0)
		return false;
	rel_shdr(rel, rel->er_symtab, &symtab);
	for (uint64_t i = symtab.sh_info; i < rel->er_nsyms; i++) {
		if (elf_rel_symbol(rel, i, sym) && strcmp(sym->esym_name, name) == 0)
			return true;
	}
	return false;
}

/* The first SHT_RELA section at or after from; er_shnum if none. */
static uint32_t
rel_next_rela(const struct elf_rel *rel, uint32_t from)
{
	Elf64_Shdr sh;

	for (uint32_t i = from; i < rel->er_shnum; i++) {
		rel_shdr(rel, i, &sh);
		if (sh.sh_type == SHT_RELA)
			return i;
	}
	return rel->er_shnum;
}

void
elf_rel_reloc_iter_init(struct elf_reloc_iter *it, const struct elf_rel *rel, uint32_t section)
{
	it->eri_rel = rel;
	it->eri_next = 0;
	it->eri_all = section == ELF_RELOC_ALL;
	if (it->eri_all)
		it->eri_section = rel_next_rela(rel, 1);
	else if (section < rel->er_shnum && rel_next_rela(rel, section) == section)
		it->eri_section = section;
	else
		it->eri_section = rel->er_shnum;
}

bool
elf_rel_reloc_next(struct elf_reloc_iter *it, struct elf_reloc *rl)
{
	const struct elf_rel *rel = it->eri_rel;
	Elf64_Shdr sec;
	Elf64_Rela rela;

	while (it->eri_section < rel->er_shnum) {
		rel_shdr(rel, it->eri_section, &sec);
		if (it->eri_next < sec.sh_size / sizeof(Elf64_Rela)) {
			rel_rela(rel, &sec, it->eri_next, &rela);
			rl->erl_section = it->eri_section;
			rl->erl_target = sec.sh_info;
			rl->erl_index = it->eri_next++;
			rl->erl_offset = rela.r_offset;
			rl->erl_type = ELF64_R_TYPE(rela.r_info);
			rl->erl_type_name = elf_reloc_type_name(rl->erl_type);
			rl->erl_width = reloc_type(rl->erl_type)->rt_width;
			rl->erl_sym = ELF64_R_SYM(rela.r_info);
			rl->erl_addend = rela.r_addend;
			return true;
		}
		if (!it->eri_all)
			break;
		it->eri_section = rel_next_rela(rel, it->eri_section + 1);
		it->eri_next = 0;
	}
	it->eri_section = rel->er_shnum;
	return false;
}
