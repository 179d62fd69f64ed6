/*
 * elfcheck - run the kernel's ELF reader (libkern/elf.c) on files.
 *
 *	elfcheck [-q | -v] FILE...
 *
 * An executable (ET_EXEC, or ET_DYN static PIE) is checked as the program
 * loader will check it, against user space [0x1000, 0x00007ffffffff000); a
 * relocatable object (ET_REL) as the kext linker will. Each file gets one
 * line: what it is, or why it is refused. -q prints refusals only; -v also
 * lists segments, or sections and relocations.
 *
 * Exits 0 if every file was accepted, 1 if any was refused, 2 on a usage
 * or I/O error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libkern/elf.h"

#define USER_MIN	0x1000ULL
#define USER_MAX	0x00007ffffffff000ULL

static int verbosity = 1;	/* 0 quiet, 1 normal, 2 verbose */

static const char *
prot_str(vm_prot_t prot, char buf[4])
{
	buf[0] = (prot & VM_PROT_READ) ? 'r' : '-';
	buf[1] = (prot & VM_PROT_WRITE) ? 'w' : '-';
	buf[2] = (prot & VM_PROT_EXECUTE) ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

static int
check_exec(const char *path, const void *buf, size_t len)
{
	struct elf_exec_info info;
	char err[ELF_ERRLEN], p[4];

	if (elf_exec_parse(buf, len, USER_MIN, USER_MAX, &info, err, sizeof(err)) != KERN_SUCCESS) {
		printf("%s: refused: %s\n", path, err);
		return 1;
	}
	if (verbosity == 0)
		return 0;
	printf("%s: %s, entry 0x%llx, %u segments, stack %s%s\n", path,
	    info.ei_type == ET_EXEC ? "executable" : "static PIE",
	    (unsigned long long)info.ei_entry, info.ei_nsegments,
	    prot_str(info.ei_stack_prot, p), info.ei_has_tls ? ", TLS" : "");
	for (unsigned i = 0; verbosity > 1 && i < info.ei_nsegments; i++) {
		const struct elf_segment *es = &info.ei_segments[i];

		printf("  load 0x%016llx memsz 0x%llx offset 0x%llx filesz 0x%llx %s\n",
		    (unsigned long long)es->es_vaddr, (unsigned long long)es->es_memsz,
		    (unsigned long long)es->es_offset, (unsigned long long)es->es_filesz,
		    prot_str(es->es_prot, p));
	}
	return 0;
}

static void
list_rel(const struct elf_rel *rel)
{
	struct elf_section sec;
	struct elf_reloc_iter it;
	struct elf_reloc rl;
	struct elf_symbol sym;

	for (uint32_t i = 1; elf_rel_section(rel, i, &sec); i++)
		printf("  section %u %s type %u size 0x%llx\n", i, sec.esh_name, sec.esh_type,
		    (unsigned long long)sec.esh_size);
	elf_rel_reloc_iter_init(&it, rel, ELF_RELOC_ALL);
	while (elf_rel_reloc_next(&it, &rl)) {
		elf_rel_symbol(rel, rl.erl_sym, &sym);
		printf("  reloc section %u +0x%llx %s %s%+lld\n", rl.erl_target,
		    (unsigned long long)rl.erl_offset, rl.erl_type_name,
		    sym.esym_name[0] != '\0' ? sym.esym_name : "(section)",
		    (long long)rl.erl_addend);
	}
}

static int
check_rel(const char *path, const void *buf, size_t len)
{
	struct elf_rel rel;
	char err[ELF_ERRLEN];

	if (elf_rel_open(&rel, buf, len, err, sizeof(err)) != KERN_SUCCESS) {
		printf("%s: refused: %s\n", path, err);
		return 1;
	}
	if (verbosity > 0)
		printf("%s: relocatable object, %u sections, %llu symbols, %llu relocations\n",
		    path, elf_rel_section_count(&rel),
		    (unsigned long long)elf_rel_symbol_count(&rel),
		    (unsigned long long)rel.er_nrelocs);
	if (verbosity > 1)
		list_rel(&rel);
	return 0;
}

static int
check_file(const char *path, const void *buf, size_t len)
{
	struct elf_header hdr;
	char err[ELF_ERRLEN];

	if (elf_header_check(buf, len, &hdr, err, sizeof(err)) != KERN_SUCCESS) {
		printf("%s: refused: %s\n", path, err);
		return 1;
	}
	if (hdr.eh_type == ET_REL)
		return check_rel(path, buf, len);
	return check_exec(path, buf, len);
}

/* The whole file in a buffer of exactly its size; NULL (and a message) on error. */
static void *
read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	struct stat st;
	long len;

	errno = 0;
	if (f != NULL && (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))) {
		fprintf(stderr, "elfcheck: %s: not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc(len > 0 ? (size_t)len : 1)) == NULL ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "elfcheck: %s: %s\n", path, strerror(errno ? errno : EIO));
		free(buf);
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*lenp = (size_t)len;
	return buf;
}

int
main(int argc, char **argv)
{
	int i = 1, refused = 0, failed = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0)
			verbosity = 0;
		else if (strcmp(argv[i], "-v") == 0)
			verbosity = 2;
		else
			break;
	}
	if (i == argc || argv[i][0] == '-') {
		fprintf(stderr, "usage: elfcheck [-q | -v] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		size_t len;
		void *buf = read_file(argv[i], &len);

		if (buf == NULL) {
			failed = 1;
			continue;
		}
		refused |= check_file(argv[i], buf, len);
		free(buf);
	}
	return failed ? 2 : refused;
}
