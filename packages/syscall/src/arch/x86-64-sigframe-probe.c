/* Host probe for x86-64-signal-frame.test.ts: gcc -O0 x86-64-sigframe-probe.c && ./a.out */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <string.h>
static char *g_info, *g_uc; static uint64_t g_sp_at_entry, g_rip, g_ret, g_fp, g_flags;
static void __attribute__((noinline)) h(int s, siginfo_t *i, void *u) {
  g_info = (char*)i; g_uc = (char*)u;
  ucontext_t *uc = u;
  g_rip = uc->uc_mcontext.gregs[REG_RIP];
  g_fp = (uint64_t)uc->uc_mcontext.fpregs;
  g_flags = uc->uc_flags;
  g_ret = *(uint64_t*)((char*)u - 8);
}
int main(void){
  struct sigaction sa; memset(&sa,0,sizeof sa); sa.sa_sigaction=h; sa.sa_flags=SA_SIGINFO; sigaction(SIGUSR1,&sa,0);
  raise(SIGUSR1);
  struct sigaction cur; sigaction(SIGUSR1,0,&cur);
  printf("info-uc=%ld\n", (long)(g_info-g_uc));
  printf("pretcode==restorer %d\n", g_ret == (uint64_t)cur.sa_restorer);
  printf("uc%%16=%ld\n", (long)((uintptr_t)(g_uc-8) % 16));
  printf("mcontext_off=%zu rip_off=%zu rbx_off=%zu rsp_off=%zu sigmask_off=%zu\n", offsetof(ucontext_t, uc_mcontext), offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]), offsetof(ucontext_t, uc_mcontext.gregs[REG_RBX]), offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP]), offsetof(ucontext_t, uc_sigmask));
  printf("fpregs_off=%zu uc_flags=%lu sizeof_siginfo=%zu\n", offsetof(ucontext_t, uc_mcontext.fpregs), g_flags, sizeof(siginfo_t));
  return 0;
}
