/* dotnet-bridge.c - minimal libFuzzer <-> SharpFuzz (Fuzzer.LibFuzzer.Run) bridge.
 * Written for MmFuzz from the protocol of SharpFuzz 2.3.0's Fuzzer.LibFuzzer.Run (shared/toolchain/RECIPE.md
 * section 3.2), Linux only. The .NET child is started once and serves every input; its coverage map
 * (SharpFuzz branch edges of MmFuzz.Core plus the harness's interleaving features) is copied into
 * libFuzzer's extra counters after each input.
 * Build: clang -O2 -fsanitize=fuzzer dotnet-bridge.c -o dotnet-bridge
 * Use:   ./dotnet-bridge [libFuzzer flags] --target_path=dotnet --target_arg=Fuzz.dll [corpus dirs]
 *        (libFuzzer ignores flags that start with "--"; extra child args: --target_args=a,b,c)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { COV_BYTES = 1 << 16, MAX_INPUT = 1 << 20, FD_CTL = 198, FD_STATUS = 199 };

/* libFuzzer scans this ELF section as extra 8-bit coverage counters. */
__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t managed_cov[COV_BYTES];

static uint8_t *shm;      /* [0,64K): AFL-style edge counters; [64K, 64K+1M): input bytes */
static int shm_id = -1;
static int ctl_w = -1;    /* we write int32 input length here */
static int st_r = -1;     /* we read int32 status here */
static pid_t child = -1;

static void fatal(const char *what) { fprintf(stderr, "dotnet-bridge: %s: %s\n", what, strerror(errno)); exit(1); }

static void cleanup(void) {
  if (shm_id >= 0) shmctl(shm_id, IPC_RMID, NULL);
  if (child > 0) kill(child, SIGKILL);
}

static int io_all(int fd, void *buf, size_t n, int writing) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = writing ? write(fd, (char *)buf + done, n - done) : read(fd, (char *)buf + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;        /* error or EOF (child gone) */
    done += (size_t)r;
  }
  return 0;
}

static const char *flag(int argc, char **argv, const char *name) {
  size_t n = strlen(name);
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *path = flag(*argc, *argv, "--target_path");
  const char *arg = flag(*argc, *argv, "--target_arg");
  const char *args = flag(*argc, *argv, "--target_args");
  if (!path) { fprintf(stderr, "dotnet-bridge: need --target_path=EXE (e.g. dotnet) and --target_arg=Fuzz.dll\n"); exit(1); }

  /* build the child's argv */
  char *childv[64]; int c = 0;
  childv[c++] = (char *)path;
  if (arg) childv[c++] = (char *)arg;
  if (args) {
    char *copy = strdup(args), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && c < 63; t = strtok_r(NULL, ",", &save)) childv[c++] = t;
  }
  childv[c] = NULL;

  shm_id = shmget(IPC_PRIVATE, COV_BYTES + MAX_INPUT, IPC_CREAT | IPC_EXCL | 0600);
  if (shm_id < 0) fatal("shmget");
  atexit(cleanup);
  shm = shmat(shm_id, NULL, 0);
  if (shm == (void *)-1) fatal("shmat");

  int ctl[2], st[2];
  if (pipe(ctl) || pipe(st)) fatal("pipe");

  child = fork();
  if (child < 0) fatal("fork");
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (dup2(ctl[0], FD_CTL) < 0 || dup2(st[1], FD_STATUS) < 0) fatal("dup2");
    close(ctl[0]); close(ctl[1]); close(st[0]); close(st[1]);
    char buf[32];
    snprintf(buf, sizeof buf, "%d", shm_id);
    setenv("__LIBFUZZER_SHM_ID", buf, 1);
    snprintf(buf, sizeof buf, "%d", FD_CTL);
    setenv("__LIBFUZZER_CONTROL_PIPE_ID", buf, 1);
    snprintf(buf, sizeof buf, "%d", FD_STATUS);
    setenv("__LIBFUZZER_STATUS_PIPE_ID", buf, 1);
    execvp(path, childv);
    fatal("execvp");
  }
  close(ctl[0]); close(st[1]);
  ctl_w = ctl[1]; st_r = st[0];
  signal(SIGPIPE, SIG_IGN);

  int32_t hello;
  if (io_all(st_r, &hello, 4, 0)) { fprintf(stderr, "dotnet-bridge: .NET target did not start (no handshake)\n"); exit(1); }
  /* Both sides are attached now (the child attaches before its handshake): mark the segment for
   * deletion so it disappears even when libFuzzer leaves via abort()/_Exit and atexit never runs. */
  shmctl(shm_id, IPC_RMID, NULL);
  shm_id = -1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MAX_INPUT) size = MAX_INPUT;           /* keep -max_len <= 1 MiB */
  memset(shm, 0, COV_BYTES);
  memcpy(shm + COV_BYTES, data, size);
  int32_t len = (int32_t)size, status = 0;
  if (io_all(ctl_w, &len, 4, 1) || io_all(st_r, &status, 4, 0)) {
    int ws = 0;
    if (child > 0 && waitpid(child, &ws, WNOHANG) == child) child = -1;
    fprintf(stderr, "dotnet-bridge: .NET process died while running this input (wait status 0x%x)\n", ws);
    abort();                                         /* libFuzzer saves crash-<sha1> */
  }
  memcpy(managed_cov, shm, COV_BYTES);
  if (status != 0) {
    fprintf(stderr, "dotnet-bridge: managed exception reported (status %d)\n", status);
    abort();
  }
  return 0;
}
