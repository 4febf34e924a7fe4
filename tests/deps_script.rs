//! scripts/deps.sh, which `make demo`, `make test` and .ci/run use to install what a machine
//! lacks, against fake folder trees: it must look for libclang the way bindgen does, so that
//! Debian's libclang-cpp (not libclang) does not fool it, and it must install nothing when the
//! machine has everything.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fake machine: a root folder for the lib trees and a bin folder that is the whole PATH.
struct Machine {
    _dir: tempfile::TempDir,
    root: PathBuf,
    bin: PathBuf,
}

impl Machine {
    /// A machine with cmake, a C++ compiler, make, cargo and chromium, and no libclang.
    fn new() -> Machine {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        let machine = Machine {
            _dir: dir,
            root,
            bin,
        };
        for tool in ["cmake", "c++", "make", "cargo", "chromium"] {
            machine.command(tool);
        }
        machine
    }

    fn command(&self, name: &str) {
        let path = self.bin.join(name);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn remove_command(&self, name: &str) {
        std::fs::remove_file(self.bin.join(name)).unwrap();
    }

    /// Creates an empty file at `path` inside the fake root.
    fn file(&self, path: &str) -> PathBuf {
        let full = self.root.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, b"").unwrap();
        full
    }

    /// Runs the script in dry-run mode; returns (exit code, stdout + stderr).
    fn deps(&self, what: &str, env: &[(&str, &Path)]) -> (i32, String) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/deps.sh");
        let mut cmd = Command::new("/bin/bash");
        cmd.arg(&script)
            .arg(what)
            .env_clear()
            .env("PATH", &self.bin)
            .env("ROADMAP_DEPS_ROOT", &self.root)
            .env("ROADMAP_DEPS_DRY_RUN", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }
}

/// The packages the script would install, from its "would run" line.
fn installs(output: &str) -> Vec<String> {
    output
        .lines()
        .find_map(|l| l.split("--no-install-recommends ").nth(1))
        .map(|list| list.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

#[test]
fn libclang_cpp_alone_is_not_libclang() {
    // Debian 12 with LLVM 14 installed for another reason: libclang-cpp, no libclang.
    let m = Machine::new();
    m.file("/usr/lib/x86_64-linux-gnu/libclang-cpp.so.14");
    m.file("/usr/lib/llvm-14/lib/libclang-cpp.so.14");
    m.file("/usr/lib/llvm-14/lib/libLLVM-14.so");
    let (code, out) = m.deps("build", &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(installs(&out), ["libclang-dev"], "{out}");
}

#[test]
fn every_name_bindgen_loads_counts() {
    for path in [
        "/usr/lib/llvm-14/lib/libclang.so",
        "/usr/lib/llvm-16/lib/libclang.so.1",
        "/usr/lib/x86_64-linux-gnu/libclang-14.so.1",
        "/usr/lib/aarch64-linux-gnu/libclang-15.so",
        "/usr/lib64/libclang.so.17",
        "/usr/local/llvm-18/lib/libclang.so",
        "/usr/local/lib/libclang.so.18.1.0",
    ] {
        let m = Machine::new();
        m.file("/usr/lib/x86_64-linux-gnu/libclang-cpp.so.14");
        m.file(path);
        let (code, out) = m.deps("build", &[]);
        assert_eq!(code, 0, "{path}: {out}");
        assert!(out.contains("nothing to install"), "{path}: {out}");
    }
}

#[test]
fn libclang_path_is_trusted_and_installs_nothing() {
    let m = Machine::new();
    m.file("/usr/lib/x86_64-linux-gnu/libclang-cpp.so.14");
    let lib = m.file("/opt/llvm/lib/libclang.so.1");
    let folder = lib.parent().unwrap().to_path_buf();
    let (code, out) = m.deps("build", &[("LIBCLANG_PATH", &folder)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to install"), "{out}");
    // The file itself works too, as bindgen accepts it.
    let (code, out) = m.deps("build", &[("LIBCLANG_PATH", &lib)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to install"), "{out}");
}

#[test]
fn a_libclang_path_without_libclang_is_an_error_not_an_install() {
    let m = Machine::new();
    let cpp = m.file("/opt/llvm/lib/libclang-cpp.so.14");
    let (code, out) = m.deps("build", &[("LIBCLANG_PATH", cpp.parent().unwrap())]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("holds no libclang"), "{out}");
    assert!(installs(&out).is_empty(), "{out}");
}

#[test]
fn missing_tools_are_installed_together() {
    let m = Machine::new();
    m.remove_command("cmake");
    m.remove_command("c++");
    m.remove_command("chromium");
    m.file("/usr/lib/llvm-14/lib/libclang.so.1");
    let (_, out) = m.deps("build", &[]);
    assert_eq!(installs(&out), ["cmake", "g++"], "{out}");
    // The test suite also needs the browser the report test drives.
    let (_, out) = m.deps("test", &[]);
    assert_eq!(installs(&out), ["cmake", "g++", "chromium"], "{out}");
}

#[test]
fn a_complete_machine_installs_nothing() {
    let m = Machine::new();
    m.file("/usr/lib/x86_64-linux-gnu/libclang-14.so.1");
    let (code, out) = m.deps("test", &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "deps: nothing to install");
}

#[test]
fn without_root_it_prints_the_install_line() {
    // Run as nobody, the way a developer without sudo would; needs util-linux's setpriv.
    let setpriv = Path::new("/usr/bin/setpriv");
    if !setpriv.exists() {
        eprintln!("setpriv is not installed; skipped");
        return;
    }
    // A copy of the script nobody can read: the clone may sit in a folder only root can enter
    // (a `mktemp -d`), which made this test fail there.
    let readable = tempfile::tempdir().unwrap();
    std::fs::set_permissions(readable.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = readable.path().join("deps.sh");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/deps.sh"),
        &script,
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
    let empty = tempfile::tempdir().unwrap();
    std::fs::set_permissions(empty.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(setpriv)
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/bin/bash",
        ])
        .arg(&script)
        .arg("build")
        .env_clear()
        .env("PATH", empty.path())
        .env("ROADMAP_DEPS_ROOT", empty.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("apt-get install -y --no-install-recommends cmake g++ make libclang-dev"),
        "{text}"
    );
}
