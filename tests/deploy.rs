//! The command lines of deploy/ run here as the schedulers would run them: the Kubernetes
//! Indexed Job's pods (JOB_COMPLETION_INDEX from 0) and the Slurm job array's tasks
//! (SLURM_ARRAY_TASK_ID) as N processes at once, then the merge step; the merged output must
//! be the single run's, byte for byte.

mod common;

use common::cli::{file_names, root};
use std::path::Path;
use std::process::{Command, Output};

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("roadmap")
}

/// A deploy/ script run from the package root with `env`, as a scheduler would start it.
fn script(path: &str, args: &[String], env: &[(&str, String)]) -> Command {
    // Each script under the shell its first line names: sh for the entrypoints, bash for Slurm.
    let shell = if path.ends_with(".sbatch") {
        "bash"
    } else {
        "sh"
    };
    let mut cmd = Command::new(shell);
    cmd.arg(path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .args(args)
        .current_dir(root())
        .env("ROADMAP", binary())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    cmd
}

fn succeeded(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The strings of a YAML list that follows `key:` (one `- item` a line), and the value of
/// `name`'s env entry.
fn yaml_list(text: &str, key: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| l.trim() != format!("{key}:"));
    lines.next();
    lines
        .map_while(|l| l.trim().strip_prefix("- ").map(str::to_string))
        .map(|v| v.trim_matches('"').to_string())
        .collect()
}

fn yaml_env(text: &str, name: &str) -> String {
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim() != format!("- name: {name}"));
    lines.next();
    let value = lines.next().unwrap().trim();
    value
        .strip_prefix("value: ")
        .unwrap()
        .trim_matches('"')
        .to_string()
}

/// Every file of two `--out` folders is the same.
fn same_folders(a: &Path, b: &Path) {
    assert_eq!(file_names(a), file_names(b));
    for name in file_names(a) {
        assert_eq!(
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn the_kubernetes_indexed_job_merges_into_the_single_run() {
    let manifest =
        std::fs::read_to_string(root().join("deploy/kubernetes/roadmap-shards.yaml")).unwrap();
    let merge_manifest =
        std::fs::read_to_string(root().join("deploy/kubernetes/roadmap-merge.yaml")).unwrap();
    let args = yaml_list(&manifest, "args");
    assert_eq!(args[0], "simulate", "{args:?}");
    let shards: u64 = yaml_env(&manifest, "SHARDS").parse().unwrap();
    assert!(manifest.contains(&format!("completions: {shards}")));
    let parts_in_pod = yaml_env(&manifest, "PARTS_DIR");
    assert_eq!(yaml_env(&merge_manifest, "PARTS_DIR"), parts_in_pod);

    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    let env = |index: u64| {
        vec![
            ("JOB_COMPLETION_INDEX", index.to_string()),
            ("SHARDS", shards.to_string()),
            ("PARTS_DIR", parts.display().to_string()),
        ]
    };
    // A pod that stops before the end leaves no part: the merge step names what is missing.
    let pods: Vec<_> = (0..shards - 1)
        .map(|i| {
            script("deploy/run-shard.sh", &args, &env(i))
                .output()
                .unwrap()
        })
        .collect();
    pods.into_iter().for_each(|o| {
        succeeded(o);
    });
    let merge_env = vec![("PARTS_DIR", parts.display().to_string())];
    let incomplete = script("deploy/merge.sh", &[], &merge_env).output().unwrap();
    assert_eq!(incomplete.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&incomplete.stderr)
        .contains(&format!("shards still to run: {shards}/{shards}")));
    // Retried, every index runs again: the finished ones keep their parts, the last completes
    // the set. All pods at once, as the Job's parallelism has them.
    let pods: Vec<_> = (0..shards)
        .map(|i| {
            script("deploy/run-shard.sh", &args, &env(i))
                .spawn()
                .unwrap()
        })
        .collect();
    for pod in pods {
        succeeded(pod.wait_with_output().unwrap());
    }
    assert_eq!(file_names(&parts).len(), shards as usize);

    let merge_args: Vec<String> = yaml_list(&merge_manifest, "args")
        .into_iter()
        .chain(
            merge_manifest
                .lines()
                .find_map(|l| l.trim().strip_prefix("args: "))
                .map(|list| {
                    list.trim_matches(['[', ']'])
                        .split(", ")
                        .map(|s| s.trim_matches('"').to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
        .map(|a| a.replace(&parts_in_pod, &parts.display().to_string()))
        .collect();
    assert_eq!(merge_args[0], "--out", "{merge_args:?}");
    let merged_out = Path::new(&merge_args[1]).to_path_buf();
    let merged = succeeded(
        script("deploy/merge.sh", &merge_args, &merge_env)
            .output()
            .unwrap(),
    );

    let single_out = dir.path().join("single");
    let mut single_args = args.clone();
    single_args.extend(["--out".into(), single_out.display().to_string()]);
    let single = succeeded(
        Command::new(binary())
            .args(&single_args)
            .current_dir(root())
            .output()
            .unwrap(),
    );
    assert_eq!(
        merged.replace(&merged_out.display().to_string(), "OUT"),
        single.replace(&single_out.display().to_string(), "OUT")
    );
    same_folders(&single_out, &merged_out);
}

#[test]
fn the_slurm_job_array_merges_into_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    let command: Vec<String> = [
        "strategies",
        "--generate",
        "5",
        "--features",
        "10",
        "--trials",
        "200",
        "--strategies",
        "optimal,rice,wsjf",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // `sbatch --array=3-6`: four tasks numbered from 3, two cores each.
    let tasks: Vec<_> = (3..=6)
        .map(|id| {
            script(
                "deploy/slurm/roadmap-shards.sbatch",
                &command,
                &[
                    ("SLURM_ARRAY_TASK_ID", id.to_string()),
                    ("SLURM_ARRAY_TASK_MIN", "3".into()),
                    ("SLURM_ARRAY_TASK_COUNT", "4".into()),
                    ("SLURM_ARRAY_JOB_ID", "4242".into()),
                    ("SLURM_CPUS_PER_TASK", "1".into()),
                    ("SLURM_SUBMIT_DIR", root().display().to_string()),
                    ("PARTS_DIR", parts.display().to_string()),
                ],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    for task in tasks {
        succeeded(task.wait_with_output().unwrap());
    }
    assert_eq!(
        file_names(&parts),
        [
            "shard-1-of-4.json",
            "shard-2-of-4.json",
            "shard-3-of-4.json",
            "shard-4-of-4.json"
        ]
    );
    // The merge job submit.sh queues after the array.
    let merged = succeeded(
        script(
            "deploy/merge.sh",
            &["--format".into(), "json".into()],
            &[("PARTS_DIR", parts.display().to_string())],
        )
        .output()
        .unwrap(),
    );
    let mut single_args = command.clone();
    single_args.extend(["--format".into(), "json".into()]);
    let single = succeeded(
        Command::new(binary())
            .args(&single_args)
            .current_dir(root())
            .output()
            .unwrap(),
    );
    assert_eq!(merged, single);
}

#[test]
fn the_shard_script_says_what_it_lacks() {
    let out = script("deploy/run-shard.sh", &["simulate".into()], &[])
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SHARD_INDEX")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no shard number"));
    let out = script(
        "deploy/run-shard.sh",
        &["simulate".into()],
        &[("SHARD_INDEX", "1".into())],
    )
    .env_remove("SHARDS")
    .env_remove("SLURM_ARRAY_TASK_COUNT")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no shard count"));
}
