/*
 * elf64.h - the ELF-64 object file format: its structures and constants.
 *
 * From the System V gABI (the "ELF-64 Object File Format") and the AMD64
 * psABI supplement: the file header, program and section headers, symbols
 * and RELA relocations, with x86-64's relocation types. Only what Machina
 * reads is here.
 *
 * The structures are the on-disk layouts, little-endian and naturally
 * aligned. An ELF file is not always naturally aligned in memory (a file
 * inside a newc cpio archive starts on a 4-byte boundary), so readers copy
 * headers out with memcpy rather than casting pointers into the file.
 * The Elf64_* names are the ABI's own, kept so that the documents read
 * straight onto the code.
 */

#ifndef LIBKERN_ELF64_H
#define LIBKERN_ELF64_H

#include <stdint.h>

typedef uint64_t	Elf64_Addr;
typedef uint64_t	Elf64_Off;
typedef uint16_t	Elf64_Half;
typedef uint32_t	Elf64_Word;
typedef int32_t		Elf64_Sword;
typedef uint64_t	Elf64_Xword;
typedef int64_t		Elf64_Sxword;

/* --- the file header ------------------------------------------------------ */

#define EI_NIDENT	16

typedef struct {
	unsigned char	e_ident[EI_NIDENT];
	Elf64_Half	e_type;
	Elf64_Half	e_machine;
	Elf64_Word	e_version;
	Elf64_Addr	e_entry;
	Elf64_Off	e_phoff;
	Elf64_Off	e_shoff;
	Elf64_Word	e_flags;
	Elf64_Half	e_ehsize;
	Elf64_Half	e_phentsize;
	Elf64_Half	e_phnum;
	Elf64_Half	e_shentsize;
	Elf64_Half	e_shnum;
	Elf64_Half	e_shstrndx;
} Elf64_Ehdr;

/* e_ident[] */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_ABIVERSION	8

#define ELFMAG0		0x7f
#define ELFMAG1		'E'
#define ELFMAG2		'L'
#define ELFMAG3		'F'

#define ELFCLASSNONE	0
#define ELFCLASS32	1
#define ELFCLASS64	2

#define ELFDATANONE	0
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2

#define EV_NONE		0
#define EV_CURRENT	1

#define ELFOSABI_NONE	0	/* System V */
#define ELFOSABI_GNU	3	/* GNU extensions (IFUNC, STB_GNU_UNIQUE) */

/* e_type */
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4

/* e_machine */
#define EM_386		3
#define EM_X86_64	62
#define EM_AARCH64	183
#define EM_RISCV	243

/* Extended numbering: the real counts live in section header 0. */
#define PN_XNUM		0xffff

/* --- program headers ------------------------------------------------------ */

typedef struct {
	Elf64_Word	p_type;
	Elf64_Word	p_flags;
	Elf64_Off	p_offset;
	Elf64_Addr	p_vaddr;
	Elf64_Addr	p_paddr;
	Elf64_Xword	p_filesz;
	Elf64_Xword	p_memsz;
	Elf64_Xword	p_align;
} Elf64_Phdr;

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_EH_FRAME	0x6474e550
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552
#define PT_GNU_PROPERTY	0x6474e553

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

/* --- section headers ------------------------------------------------------ */

typedef struct {
	Elf64_Word	sh_name;
	Elf64_Word	sh_type;
	Elf64_Xword	sh_flags;
	Elf64_Addr	sh_addr;
	Elf64_Off	sh_offset;
	Elf64_Xword	sh_size;
	Elf64_Word	sh_link;
	Elf64_Word	sh_info;
	Elf64_Xword	sh_addralign;
	Elf64_Xword	sh_entsize;
} Elf64_Shdr;

/* Special section indices. */
#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2
#define SHN_XINDEX	0xffff

#define SHT_NULL		0
#define SHT_PROGBITS		1
#define SHT_SYMTAB		2
#define SHT_STRTAB		3
#define SHT_RELA		4
#define SHT_HASH		5
#define SHT_DYNAMIC		6
#define SHT_NOTE		7
#define SHT_NOBITS		8
#define SHT_REL			9
#define SHT_SHLIB		10
#define SHT_DYNSYM		11
#define SHT_INIT_ARRAY		14
#define SHT_FINI_ARRAY		15
#define SHT_PREINIT_ARRAY	16
#define SHT_GROUP		17
#define SHT_SYMTAB_SHNDX	18
#define SHT_X86_64_UNWIND	0x70000001

#define SHF_WRITE		0x1
#define SHF_ALLOC		0x2
#define SHF_EXECINSTR		0x4
#define SHF_MERGE		0x10
#define SHF_STRINGS		0x20
#define SHF_INFO_LINK		0x40
#define SHF_LINK_ORDER		0x80
#define SHF_GROUP		0x200
#define SHF_TLS			0x400

/* --- symbols -------------------------------------------------------------- */

typedef struct {
	Elf64_Word	st_name;
	unsigned char	st_info;
	unsigned char	st_other;
	Elf64_Half	st_shndx;
	Elf64_Addr	st_value;
	Elf64_Xword	st_size;
} Elf64_Sym;

#define ELF64_ST_BIND(i)	((i) >> 4)
#define ELF64_ST_TYPE(i)	((i) & 0xf)
#define ELF64_ST_INFO(b, t)	(((b) << 4) | ((t) & 0xf))
#define ELF64_ST_VISIBILITY(o)	((o) & 0x3)

#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STB_GNU_UNIQUE	10

#define STT_NOTYPE	0
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_SECTION	3
#define STT_FILE	4
#define STT_COMMON	5
#define STT_TLS		6
#define STT_GNU_IFUNC	10

#define STV_DEFAULT	0
#define STV_INTERNAL	1
#define STV_HIDDEN	2
#define STV_PROTECTED	3

/* --- relocations ---------------------------------------------------------- */

typedef struct {
	Elf64_Addr	r_offset;
	Elf64_Xword	r_info;
} Elf64_Rel;

typedef struct {
	Elf64_Addr	r_offset;
	Elf64_Xword	r_info;
	Elf64_Sxword	r_addend;
} Elf64_Rela;

#define ELF64_R_SYM(i)		((uint32_t)((i) >> 32))
#define ELF64_R_TYPE(i)		((uint32_t)((i) & 0xffffffffU))
#define ELF64_R_INFO(s, t)	(((uint64_t)(s) << 32) | (uint32_t)(t))

/* The AMD64 psABI's relocation types (39 and 40 are retired). */
#define R_X86_64_NONE			0
#define R_X86_64_64			1
#define R_X86_64_PC32			2
#define R_X86_64_GOT32			3
#define R_X86_64_PLT32			4
#define R_X86_64_COPY			5
#define R_X86_64_GLOB_DAT		6
#define R_X86_64_JUMP_SLOT		7
#define R_X86_64_RELATIVE		8
#define R_X86_64_GOTPCREL		9
#define R_X86_64_32			10
#define R_X86_64_32S			11
#define R_X86_64_16			12
#define R_X86_64_PC16			13
#define R_X86_64_8			14
#define R_X86_64_PC8			15
#define R_X86_64_DTPMOD64		16
#define R_X86_64_DTPOFF64		17
#define R_X86_64_TPOFF64		18
#define R_X86_64_TLSGD			19
#define R_X86_64_TLSLD			20
#define R_X86_64_DTPOFF32		21
#define R_X86_64_GOTTPOFF		22
#define R_X86_64_TPOFF32		23
#define R_X86_64_PC64			24
#define R_X86_64_GOTOFF64		25
#define R_X86_64_GOTPC32		26
#define R_X86_64_GOT64			27
#define R_X86_64_GOTPCREL64		28
#define R_X86_64_GOTPC64		29
#define R_X86_64_GOTPLT64		30
#define R_X86_64_PLTOFF64		31
#define R_X86_64_SIZE32			32
#define R_X86_64_SIZE64			33
#define R_X86_64_GOTPC32_TLSDESC	34
#define R_X86_64_TLSDESC_CALL		35
#define R_X86_64_TLSDESC		36
#define R_X86_64_IRELATIVE		37
#define R_X86_64_RELATIVE64		38
#define R_X86_64_GOTPCRELX		41
#define R_X86_64_REX_GOTPCRELX		42

#endif /* LIBKERN_ELF64_H */
