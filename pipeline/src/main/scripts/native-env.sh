# Sourced by the earshot launchers (./earshot, the container image's earshot): process-wide
# settings of the native libraries under the recogniser (Vosk: Kaldi with a bundled OpenBLAS)
# that cut its CPU time without changing what it recognises. `earshot bench ingest` measures
# them against none, in the same run. Each is applied only when not set already;
# EARSHOT_NATIVE_TUNING=off applies neither. POSIX sh. Arguments, for tests: the CPU description
# to read (default /proc/cpuinfo), then the jemalloc libraries to look for (default the usual
# places).
#
# - LD_PRELOAD of jemalloc, when installed (Debian/Ubuntu: libjemalloc2): the decoder allocates
#   and frees small objects at every frame, and glibc's malloc spent about a tenth of the
#   recogniser's time merging free chunks.
# - OPENBLAS_CORETYPE=SkylakeX on a CPU with AVX-512: the OpenBLAS inside Vosk 0.3.45 predates
#   AMD's AVX-512 CPUs (Zen 4) and picks its AVX2 kernels there; it has AVX-512 kernels, and
#   they are selected only on a CPU that has every instruction set they use.
earshot_native_env() {
  [ "${EARSHOT_NATIVE_TUNING:-on}" = off ] && return 0
  cpuinfo="${1:-/proc/cpuinfo}"
  [ $# -gt 0 ] && shift
  [ $# -gt 0 ] || set -- /usr/lib/*-linux-gnu/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2
  if [ -z "${LD_PRELOAD:-}" ]; then
    for lib in "$@"; do
      if [ -r "$lib" ]; then
        LD_PRELOAD="$lib"
        export LD_PRELOAD
        break
      fi
    done
  fi
  if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r "$cpuinfo" ]; then
    flags=" $(grep -m 1 '^flags' "$cpuinfo" 2>/dev/null | cut -d: -f2 || true) "
    for f in avx512f avx512cd avx512bw avx512dq avx512vl; do
      case "$flags" in *" $f "*) ;; *) return 0 ;; esac
    done
    OPENBLAS_CORETYPE=SkylakeX
    export OPENBLAS_CORETYPE
  fi
}
