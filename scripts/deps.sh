#!/usr/bin/env bash
# Installs the system packages roadmap needs and nothing else. Used by `make demo`, `make test`
# and .ci/run, so there is one place that decides what a machine lacks.
#
#   scripts/deps.sh build   cmake, a C++ compiler, make and libclang: highs-sys builds HiGHS from
#                           source and runs bindgen, which loads libclang at build time
#   scripts/deps.sh test    the same, plus chromium for the report test
#
# libclang is looked for the way bindgen (clang-sys) looks for it: LIBCLANG_PATH first, then
# `llvm-config --libdir`, then the usual lib folders, for a file named libclang.so,
# libclang-<version>.so, libclang.so.<version> or libclang-<version>.so.<version>. libclang-cpp
# (the C++ library Debian installs beside LLVM) is not libclang and does not count.
#
# Only bash builtins are used to look, so the test suite can run this script against fake folder
# trees: ROADMAP_DEPS_ROOT prefixes every searched folder, PATH decides which commands exist, and
# ROADMAP_DEPS_DRY_RUN=1 prints the install command instead of running it.
set -uo pipefail

what="${1:-build}"
root="${ROADMAP_DEPS_ROOT:-}"
dry_run="${ROADMAP_DEPS_DRY_RUN:-0}"

case "$what" in
  build | test) ;;
  *)
    echo "usage: scripts/deps.sh build|test" >&2
    exit 2
    ;;
esac

have() { command -v "$1" >/dev/null 2>&1; }

# Prints the first libclang found in folder $1, or nothing.
libclang_in() {
  local dir="$1" file name
  [ -d "$dir" ] || return 1
  for file in "$dir"/libclang.so "$dir"/libclang-[0-9]*.so "$dir"/libclang.so.[0-9]* "$dir"/libclang-[0-9]*.so.[0-9]*; do
    [ -e "$file" ] || continue
    name="${file##*/}"
    case "$name" in libclang-cpp*) continue ;; esac
    echo "$file"
    return 0
  done
  return 1
}

# Prints where libclang is, or nothing when bindgen would not find one.
find_libclang() {
  local dir found
  if [ -n "${LIBCLANG_PATH:-}" ]; then
    if [ -f "$LIBCLANG_PATH" ]; then
      echo "$LIBCLANG_PATH"
      return 0
    fi
    libclang_in "$LIBCLANG_PATH" && return 0
    return 1
  fi
  if have llvm-config; then
    dir="$(llvm-config --libdir 2>/dev/null)" && libclang_in "$root$dir" && return 0
  fi
  shopt -s nullglob
  for dir in "$root"/usr/local/llvm*/lib* "$root"/usr/local/lib* "$root"/usr/local/lib*/* \
    "$root"/usr/lib* "$root"/usr/lib*/* "$root"/usr/lib*/*/*; do
    found="$(libclang_in "$dir")" && {
      shopt -u nullglob
      echo "$found"
      return 0
    }
  done
  shopt -u nullglob
  return 1
}

missing=()
have cmake || missing+=(cmake)
have c++ || have g++ || missing+=(g++)
have make || missing+=(make)
if [ -n "${LIBCLANG_PATH:-}" ]; then
  if ! find_libclang >/dev/null; then
    echo "deps: LIBCLANG_PATH=$LIBCLANG_PATH holds no libclang (libclang.so, libclang-<version>.so or libclang.so.<version>)" >&2
    echo "  help: point LIBCLANG_PATH at the folder that has it, or unset it to let this script install libclang-dev" >&2
    exit 1
  fi
elif ! find_libclang >/dev/null; then
  missing+=(libclang-dev)
fi
if [ "$what" = test ] && [ -z "${ROADMAP_CHROMIUM:-}" ] && ! have chromium && ! have chromium-browser; then
  missing+=(chromium)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$dry_run" = 1 ]; then
    echo "deps: missing system packages: ${missing[*]}"
    echo "deps: would run: apt-get update && $line"
  elif [ "$EUID" != 0 ]; then
    echo "deps: missing system packages: ${missing[*]}; not root, so nothing was installed. As root, run:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
  else
    echo "deps: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || exit 1
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null || exit 1
    if [[ " ${missing[*]} " == *" libclang-dev "* ]] && ! find_libclang >/dev/null; then
      echo "deps: libclang-dev is installed but no libclang.so was found; set LIBCLANG_PATH to its folder" >&2
      exit 1
    fi
  fi
else
  echo "deps: nothing to install"
fi

if ! have cargo; then
  echo "deps: cargo is missing; install Rust with rustup (https://rustup.rs), then rerun" >&2
  exit 1
fi
exit 0
