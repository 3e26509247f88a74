//! Runs a program (normally `rcr`) in an isolated, reproducible environment
//! and captures what it did: stdout, stderr, exit code.
//!
//! The child never sees the developer's or CI's environment: it starts from
//! `env_clear()` plus the base environment the AWS CLI v2 reference cases were
//! recorded with (see tests/fixtures/aws-v2-reference/README.md), a fresh
//! HOME and empty AWS config/credentials files, so no real profile, SSO cache
//! or credential can leak in or be touched. `AWS_EC2_METADATA_DISABLED=true`
//! is forced last and cannot be overridden or removed: no test may ever reach
//! the instance-metadata address.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::proc;
use super::tempdir::TempDir;

pub const SIGINT: i32 = 2;
pub const SIGKILL: i32 = 9;
pub const SIGTERM: i32 = 15;

/// How long a child may run before it is killed and the test fails.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

const METADATA_VAR: &str = "AWS_EC2_METADATA_DISABLED";

/// Variables passed through from the test process when set, because they
/// configure tooling around the child rather than the child's behaviour
/// (coverage builds write their profile where these say).
const PASS_THROUGH: &[&str] = &[
    "LLVM_PROFILE_FILE",
    "CARGO_LLVM_COV",
    "CARGO_LLVM_COV_TARGET_DIR",
];

/// A command line plus its isolated environment. Configure with the
/// `&mut self` builder methods, then `run()` (or `spawn()` to signal it
/// while it runs). A `Run` can be run several times; the runs share the
/// same HOME and config files, which live as long as the `Run`.
#[derive(Debug)]
pub struct Run {
    program: PathBuf,
    args: Vec<OsString>,
    env_set: BTreeMap<String, OsString>,
    env_remove: BTreeSet<String>,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    cwd: Option<PathBuf>,
    dir: TempDir,
}

impl Run {
    /// A run of `program` with the isolated base environment.
    pub fn new(program: impl AsRef<OsStr>) -> Run {
        let dir = TempDir::new("run");
        // Created up front so the paths in the environment always exist: an
        // empty config file is what the reference cases were recorded with.
        std::fs::create_dir_all(dir.join("home"))
            .unwrap_or_else(|e| panic!("Run: cannot create HOME: {e}"));
        dir.write("aws/config", "");
        dir.write("aws/credentials", "");
        Run {
            program: PathBuf::from(program.as_ref()),
            args: Vec::new(),
            env_set: BTreeMap::new(),
            env_remove: BTreeSet::new(),
            stdin: None,
            timeout: DEFAULT_TIMEOUT,
            cwd: None,
            dir,
        }
    }

    /// A run of the `rcr` binary under test.
    pub fn rcr() -> Run {
        Run::new(super::rcr_bin())
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets (adds or overrides) one variable.
    ///
    /// Panics for `AWS_EC2_METADATA_DISABLED`, which is always `true`.
    pub fn env(&mut self, key: impl AsRef<str>, value: impl AsRef<OsStr>) -> &mut Self {
        let key = key.as_ref();
        assert_ne!(
            key, METADATA_VAR,
            "Run::env: {METADATA_VAR} is forced to true and must not be changed"
        );
        self.env_remove.remove(key);
        self.env_set
            .insert(key.to_owned(), value.as_ref().to_owned());
        self
    }

    /// Removes a variable, including one of the base environment (e.g.
    /// `AWS_DEFAULT_REGION` to test the no-region error).
    ///
    /// Panics for `AWS_EC2_METADATA_DISABLED`, which is always `true`.
    pub fn env_remove(&mut self, key: impl AsRef<str>) -> &mut Self {
        let key = key.as_ref();
        assert_ne!(
            key, METADATA_VAR,
            "Run::env_remove: {METADATA_VAR} is forced to true and must not be removed"
        );
        self.env_set.remove(key);
        self.env_remove.insert(key.to_owned());
        self
    }

    /// Applies an env map in the reference-case format: `Some(v)` sets,
    /// `None` (JSON null) removes.
    pub fn env_changes<'a, I>(&mut self, changes: I) -> &mut Self
    where
        I: IntoIterator<Item = (&'a String, &'a Option<String>)>,
    {
        for (k, v) in changes {
            match v {
                Some(v) => self.env(k, v),
                None => self.env_remove(k),
            };
        }
        self
    }

    /// Bytes fed to the child's stdin (which is otherwise /dev/null).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Overrides the 60 s kill-and-fail timeout.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// Working directory of the child (default: the test's).
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    /// Scratch directory owned by this run (parent of HOME and the config
    /// files); put `file://` inputs and such here.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The child's `$HOME`.
    pub fn home_dir(&self) -> PathBuf {
        self.dir.join("home")
    }

    /// Where `AWS_CONFIG_FILE` points (empty unless written).
    pub fn config_path(&self) -> PathBuf {
        self.dir.join("aws/config")
    }

    /// Where `AWS_SHARED_CREDENTIALS_FILE` points (empty unless written).
    pub fn credentials_path(&self) -> PathBuf {
        self.dir.join("aws/credentials")
    }

    /// Replaces the contents of the `AWS_CONFIG_FILE`.
    pub fn write_config(&mut self, contents: &str) -> &mut Self {
        self.dir.write("aws/config", contents);
        self
    }

    /// Replaces the contents of the `AWS_SHARED_CREDENTIALS_FILE`.
    pub fn write_credentials(&mut self, contents: &str) -> &mut Self {
        self.dir.write("aws/credentials", contents);
        self
    }

    /// Writes a file into `dir()` and returns its path.
    pub fn write_file(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        self.dir.write(rel, contents)
    }

    /// The final environment the child gets, in order of application.
    pub fn effective_env(&self) -> BTreeMap<String, OsString> {
        let mut env: BTreeMap<String, OsString> = BTreeMap::new();
        let path = std::env::var_os("PATH")
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| OsString::from("/usr/local/bin:/usr/bin:/bin"));
        env.insert("PATH".into(), path);
        env.insert("HOME".into(), self.home_dir().into());
        env.insert("AWS_ACCESS_KEY_ID".into(), "AKIDEXAMPLE".into());
        env.insert("AWS_SECRET_ACCESS_KEY".into(), "secretexample".into());
        env.insert("AWS_DEFAULT_REGION".into(), "us-east-1".into());
        env.insert("AWS_CONFIG_FILE".into(), self.config_path().into());
        env.insert(
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            self.credentials_path().into(),
        );
        env.insert("AWS_PAGER".into(), "".into());
        env.insert("TZ".into(), "UTC".into());
        env.insert("NO_COLOR".into(), "1".into());
        for key in PASS_THROUGH {
            if let Some(v) = std::env::var_os(key) {
                env.insert((*key).into(), v);
            }
        }
        for key in &self.env_remove {
            env.remove(key);
        }
        for (k, v) in &self.env_set {
            env.insert(k.clone(), v.clone());
        }
        // Last, so nothing above can undo it.
        env.insert(METADATA_VAR.into(), "true".into());
        env
    }

    /// The command line, shell-quoted, for messages.
    pub fn command_line(&self) -> String {
        std::iter::once(self.program.as_os_str())
            .chain(self.args.iter().map(|a| a.as_os_str()))
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A `std::process::Command` with this run's program, arguments,
    /// isolated environment and working directory, not started: for tests
    /// that need the child's pipes themselves (read a little of stdout, then
    /// close it). The `Run` must outlive the child (it owns HOME). stdin is
    /// /dev/null unless the caller sets it; `stdin()` bytes are not fed.
    pub fn std_command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).env_clear().envs(self.effective_env());
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Runs the command under `script(1)` so that its stdout is a terminal
    /// (pager tests), with the same environment; `script` missing fails the
    /// test. Everything the child printed, stderr included, is in the
    /// output's stdout; the exit code is the child's.
    pub fn run_on_terminal(&self) -> Output {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &self.command_line(), "/dev/null"])
            .env_clear()
            .envs(self.effective_env())
            .stdin(Stdio::null());
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        self.spawn_command(cmd).wait()
    }

    /// Starts the child without waiting for it.
    pub fn spawn(&self) -> Running {
        let mut cmd = self.std_command();
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        self.spawn_command(cmd)
    }

    /// Spawns `cmd` (built by `std_command`) with piped output, isolated in
    /// its own process group, feeding `stdin()` bytes if there are any.
    fn spawn_command(&self, mut cmd: Command) -> Running {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        proc::isolate(&mut cmd);
        let command = self.command_line();
        let started = Instant::now();
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {:?} (for `{command}`): {e}",
                cmd.get_program()
            )
        });

        // Pipes are drained on their own threads so a chatty child can never
        // block on a full pipe while we wait for it.
        let (tx, rx) = mpsc::channel();
        for (which, pipe) in [
            (
                0u8,
                child
                    .stdout
                    .take()
                    .map(|p| Box::new(p) as Box<dyn Read + Send>),
            ),
            (
                1u8,
                child
                    .stderr
                    .take()
                    .map(|p| Box::new(p) as Box<dyn Read + Send>),
            ),
        ] {
            let tx = tx.clone();
            if let Some(mut pipe) = pipe {
                std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    let _ = pipe.read_to_end(&mut buf);
                    let _ = tx.send((which, buf));
                });
            }
        }
        if let (Some(mut sin), Some(bytes)) = (child.stdin.take(), self.stdin.clone()) {
            std::thread::spawn(move || {
                // EPIPE here just means the child did not read all of it.
                let _ = sin.write_all(&bytes);
            });
        }
        Running {
            child: Some(child),
            command,
            timeout: self.timeout,
            started,
            rx,
        }
    }

    /// Runs to completion (or fails the test after the timeout).
    pub fn run(&self) -> Output {
        self.spawn().wait()
    }
}

/// A started child; `wait()` collects its `Output`. Dropping it without
/// waiting kills its whole process group.
pub struct Running {
    child: Option<Child>,
    command: String,
    timeout: Duration,
    started: Instant,
    rx: Receiver<(u8, Vec<u8>)>,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Sends a signal (e.g. `SIGINT`) to the child process itself.
    pub fn signal(&self, sig: i32) -> bool {
        proc::signal_pid(self.pid(), sig)
    }

    /// Waits for exit; past the timeout kills the process group and panics
    /// with the partial output.
    pub fn wait(mut self) -> Output {
        let Some(mut child) = self.child.take() else {
            panic!("Running::wait: no child for `{}`", self.command);
        };
        let deadline = self.started + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => break None,
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("waiting for `{}`: {e}", self.command),
            }
        };
        let duration = self.started.elapsed();
        let Some(status) = status else {
            proc::signal_group(child.id(), SIGKILL);
            let _ = child.kill();
            let _ = child.wait();
            let (stdout, stderr) = collect(&self.rx, Duration::from_secs(2));
            panic!(
                "TIMEOUT: `{}` still running after {:?}; killed it.\n--- stdout so far ---\n{}\n--- stderr so far ---\n{}",
                self.command,
                self.timeout,
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            );
        };
        // The child has exited, so at most one pipe buffer (64 KiB) per
        // stream is left to drain, which takes far less than the grace
        // period. Pipes stay open only if something it spawned still holds
        // them; then kill the group so we never hang here.
        let (stdout, stderr) = collect_or_kill(&self.rx, Duration::from_secs(2), child.id());
        Output {
            command: self.command.clone(),
            stdout,
            stderr,
            code: status.code(),
            signal: status.signal(),
            duration,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        proc::kill_and_reap(&mut self.child);
    }
}

fn collect(rx: &Receiver<(u8, Vec<u8>)>, within: Duration) -> (Vec<u8>, Vec<u8>) {
    let deadline = Instant::now() + within;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((0, b)) => out = b,
            Ok((_, b)) => err = b,
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    (out, err)
}

fn collect_or_kill(
    rx: &Receiver<(u8, Vec<u8>)>,
    within: Duration,
    pgid: u32,
) -> (Vec<u8>, Vec<u8>) {
    let deadline = Instant::now() + within;
    let (mut out, mut err) = (None, None);
    while out.is_none() || err.is_none() {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((0, b)) => out = Some(b),
            Ok((_, b)) => err = Some(b),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                // A leftover grandchild keeps a pipe open: end it, then take
                // what the readers got.
                proc::signal_group(pgid, SIGKILL);
                let (o, e) = collect(rx, Duration::from_secs(2));
                return (out.unwrap_or(o), err.unwrap_or(e));
            }
        }
    }
    (out.unwrap_or_default(), err.unwrap_or_default())
}

/// What a finished child did.
#[derive(Clone)]
pub struct Output {
    /// The command line, for messages.
    pub command: String,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exit status when the child exited normally.
    pub code: Option<i32>,
    /// The signal that ended the child, if one did.
    pub signal: Option<i32>,
    pub duration: Duration,
}

impl Output {
    /// The exit code as a shell reports it: the status, or 128 + signal
    /// number when a signal ended the process (check `signal` to tell the
    /// two apart).
    pub fn exit_code(&self) -> i32 {
        match (self.code, self.signal) {
            (Some(c), _) => c,
            (None, Some(s)) => 128 + s,
            (None, None) => -1,
        }
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// `(stdout, stderr, exit code)`, for tests that check all three at
    /// once; fails the test (showing the output) if stdout or stderr is not
    /// UTF-8.
    pub fn utf8(&self) -> (String, String, i32) {
        let text = |bytes: &[u8], which: &str| {
            String::from_utf8(bytes.to_vec())
                .unwrap_or_else(|e| panic!("{which} is not UTF-8 ({e}):\n{self}"))
        };
        (
            text(&self.stdout, "stdout"),
            text(&self.stderr, "stderr"),
            self.exit_code(),
        )
    }

    /// stdout parsed as JSON; fails the test (showing the output) if it is not.
    pub fn stdout_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }

    /// Fails the test, showing everything, unless the exit code is `code`.
    #[track_caller]
    pub fn assert_exit(&self, code: i32) -> &Self {
        assert!(
            self.exit_code() == code,
            "expected exit code {code}, got {}:\n{self}",
            self.exit_code()
        );
        self
    }

    /// Fails the test, showing everything, unless the run exited with `code`
    /// and wrote exactly `stderr`.
    #[track_caller]
    pub fn assert_error(&self, code: i32, stderr: &str) -> &Self {
        self.assert_exit(code);
        assert_eq!(self.stderr_str(), stderr, "{self}");
        self
    }

    /// Fails the test, showing everything, unless stdout contains `text`.
    #[track_caller]
    pub fn assert_stdout_contains(&self, text: &str) -> &Self {
        assert!(
            self.stdout_str().contains(text),
            "stdout lacks {text:?}:\n{self}"
        );
        self
    }

    /// `assert_exit(0)`.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        self.assert_exit(0)
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        match (self.code, self.signal) {
            (Some(c), _) => writeln!(f, "exit code: {c}")?,
            (None, Some(s)) => writeln!(f, "killed by signal {s}")?,
            (None, None) => writeln!(f, "exit status unknown")?,
        }
        writeln!(f, "duration: {:?}", self.duration)?;
        writeln!(
            f,
            "--- stdout ---\n{}",
            String::from_utf8_lossy(&self.stdout)
        )?;
        write!(
            f,
            "--- stderr ---\n{}",
            String::from_utf8_lossy(&self.stderr)
        )
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Quotes a word for display the way a POSIX shell would read it back.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
