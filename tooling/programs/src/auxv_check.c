/*
 * The initial stack of a static ELF: argc, argv, envp and the auxiliary
 * vector in that order (fs/binfmt_elf.c create_elf_tables), and what the
 * vector describes: the program headers, the entry, the page size, 16
 * random bytes, the executable's name. Only relative facts are printed.
 */
#include "rt.h"

extern char _start[];

struct phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

int main(int argc, char **argv, char **envp) {
	say("argc %d, argv[0] \"%s\"\n", argc, argv[0]);
	say("envp follows argv's NULL: %s\n", yes(envp == argv + argc + 1));
	int envc = 0;
	while (envp[envc]) envc++;
	say("auxv follows envp's NULL: %s\n", yes((void *)g_auxv == (void *)(envp + envc + 1)));
	say("argv strings lie above the vectors: %s\n", yes((unsigned long)argv[0] > (unsigned long)g_auxv));
	int n = 0, pagesz = 0, entry = 0, phdr = 0, random = 0, execfn = 0;
	for (unsigned long *a = g_auxv; a[0] != AT_NULL; a += 2) {
		n++;
		pagesz += a[0] == AT_PAGESZ, entry += a[0] == AT_ENTRY, phdr += a[0] == AT_PHDR;
		random += a[0] == AT_RANDOM, execfn += a[0] == AT_EXECFN;
	}
	say("each of AT_PAGESZ AT_ENTRY AT_PHDR AT_RANDOM AT_EXECFN once: %s\n",
	    yes(pagesz == 1 && entry == 1 && phdr == 1 && random == 1 && execfn == 1));
	say("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
	say("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (unsigned long)_start));
	say("AT_PHENT %lu\n", getauxval(AT_PHENT));
	struct phdr *ph = (struct phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	int loads = 0, entry_in_exec_load = 0;
	for (unsigned long i = 0; i < phnum; i++) {
		if (ph[i].type != 1) continue; /* PT_LOAD */
		loads++;
		if ((ph[i].flags & 1) && (unsigned long)_start >= ph[i].vaddr &&
		    (unsigned long)_start < ph[i].vaddr + ph[i].memsz)
			entry_in_exec_load = 1;
	}
	say("AT_PHDR is readable and has PT_LOAD headers: %s\n", yes(loads >= 1));
	say("_start lies in an executable PT_LOAD: %s\n", yes(entry_in_exec_load));
	u8 *rnd = (u8 *)getauxval(AT_RANDOM);
	int nonzero = 0;
	for (int i = 0; i < 16; i++) nonzero |= rnd[i];
	say("AT_RANDOM's 16 bytes are readable and not all zero: %s\n", yes(nonzero));
	const char *fn = (const char *)getauxval(AT_EXECFN);
	size_t fl = strlen(fn);
	say("AT_EXECFN ends in /auxv_check: %s\n", yes(fl >= 11 && strcmp(fn + fl - 11, "/auxv_check") == 0));
	say("AT_EXECFN lies above argv's strings: %s\n", yes((unsigned long)fn > (unsigned long)argv[0]));
	say("AT_SECURE %lu\n", getauxval(AT_SECURE));
	int local;
	char line[256];
	CHECK(maps_find(&local, line, sizeof line));
	size_t ll = strlen(line);
	say("the stack's /proc/self/maps line is [stack]: %s\n", yes(ll > 7 && strcmp(line + ll - 7, "[stack]") == 0));
	say("the stack is 16-byte aligned at main: %s\n", yes(((unsigned long)__builtin_frame_address(0) & 15) == 0));
	return 0;
}
