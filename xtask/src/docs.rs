//! `cargo xtask completions [--check]` and `cargo xtask man [--check]`.
//!
//! The completion scripts are small shell glue around `rcr_completer` (rcr's
//! own completer, which reads the command tree at run time), kept in
//! `src/shell/` and written to `completions/` with their README. The man
//! pages are rcr's own help pages, `custom::help::all_pages()` from the rcr
//! library, the very pages `rcr ... help` prints, written to `man/`.
//! `--check` writes nothing and fails when any committed file is stale or
//! when a file is there that is no longer produced.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rcr::custom::help::{self, Node, Page};

/// The completion scripts, one per shell, by file name. Each hands the line
/// to `rcr_completer` (rcr under that name, aws_completer's protocol) and
/// passes its candidates to the shell; the scripts live in `src/shell/`.
const SCRIPTS: &[(&str, &str)] = &[
    ("rcr.bash", include_str!("shell/rcr.bash")),
    ("_rcr", include_str!("shell/_rcr")),
    ("rcr.fish", include_str!("shell/rcr.fish")),
    ("_rcr.ps1", include_str!("shell/_rcr.ps1")),
    ("rcr.elv", include_str!("shell/rcr.elv")),
];

/// The completion scripts by file name, with the README.
pub fn completions() -> Result<BTreeMap<String, String>, String> {
    let mut files: BTreeMap<String, String> = SCRIPTS
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    files.insert("README.md".to_string(), COMPLETIONS_README.to_string());
    Ok(files)
}

/// How to install each script; written with them so that it lists exactly
/// the files that are there.
const COMPLETIONS_README: &str = "\
# Shell completions for rcr

Every script here asks `rcr_completer` for the candidates: rcr started
under that name speaks aws_completer's protocol (the line in `COMP_LINE`,
the cursor in `COMP_POINT`, one candidate per line on stdout). It offers
what aws_completer offers for `aws` (commands, options, regions, profiles,
`file://` paths, repository names, registry ids, ARNs and prefixes from the
service) and more: the choices of `--output`, `--cli-error-format`,
`--cli-binary-format` and `--color`, enum values of every option, tags and
digests of the repository on the line (`--image-tag`, `imageTag=` and
`imageDigest=` in `--image-ids` / `--image-id`), and the arguments of
`rcr image`. Answers from the service use the profile, region and endpoint
of the line and the environment (`AWS_ENDPOINT_URL*` included), are cached
for 60 seconds under `$XDG_CACHE_HOME/rcr/completions/` (or
`~/.cache/rcr/completions/`; `RCR_COMPLETER_CACHE_SECONDS` sets the lifetime,
0 turns the cache off), and give up after about a second: no credentials, no
network or a throttle only means no candidates.

First make the completer: a link named `rcr_completer` to the rcr binary,
somewhere on your `PATH`:

```sh
ln -s \"$(command -v rcr)\" ~/.local/bin/rcr_completer
```

| shell | file | install |
| --- | --- | --- |
| bash | `rcr.bash` | `cp completions/rcr.bash ~/.local/share/bash-completion/completions/rcr` (or `source` it from `~/.bashrc`); `complete -C rcr_completer rcr` alone works too, as `complete -C aws_completer aws` does |
| zsh | `_rcr` | copy into a directory of `$fpath`, e.g. `cp completions/_rcr ~/.zfunc/` with `fpath=(~/.zfunc $fpath)` before `compinit` in `~/.zshrc` |
| fish | `rcr.fish` | `cp completions/rcr.fish ~/.config/fish/completions/` |
| PowerShell | `_rcr.ps1` | add `. /path/to/completions/_rcr.ps1` to your `$PROFILE` |
| elvish | `rcr.elv` | `cp completions/rcr.elv ~/.config/elvish/lib/rcr.elv` and add `use rcr` to `~/.config/elvish/rc.elv` |

Written by `cargo xtask completions` from `xtask/src/shell/`; do not edit
here (CI runs `cargo xtask completions --check`). Man pages are in `man/`
(`man -l man/rcr-ecr-create-repository.1`, or copy them into a `man1`
directory of your `MANPATH`).
";

/// The man pages by file name.
pub fn man_pages() -> BTreeMap<String, String> {
    help::all_pages()
        .iter()
        .map(|p| (format!("{}.1", p.name), roff(p)))
        .collect()
}

/// Writes `files` into `dir`, or with `check` compares them with what is
/// there; files in `dir` that are not in `files` count as stale too.
pub fn sync(
    root: &Path,
    dir: &str,
    files: &BTreeMap<String, String>,
    check: bool,
) -> Result<(), String> {
    let path = root.join(dir);
    let mut stale = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&path) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !files.contains_key(&name) {
                stale.push(format!("{dir}/{name} (not produced any more)"));
                if !check {
                    std::fs::remove_file(entry.path()).map_err(|e| format!("{dir}/{name}: {e}"))?;
                }
            }
        }
    }
    if !check {
        std::fs::create_dir_all(&path).map_err(|e| format!("{dir}: {e}"))?;
    }
    for (name, text) in files {
        let file = path.join(name);
        let current = std::fs::read_to_string(&file).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(format!("{dir}/{name}"));
        } else {
            std::fs::write(&file, text).map_err(|e| format!("{dir}/{name}: {e}"))?;
        }
    }
    if check && !stale.is_empty() {
        return Err(format!(
            "stale generated files (run `cargo xtask {}`):\n  {}",
            if dir == "man" { "man" } else { "completions" },
            stale.join("\n  ")
        ));
    }
    Ok(())
}

pub fn run_completions(root: &Path, check: bool) -> Result<(), String> {
    sync(root, "completions", &completions()?, check)
}

pub fn run_man(root: &Path, check: bool) -> Result<(), String> {
    sync(root, "man", &man_pages(), check)
}

/// A help page as a man page (the `man(7)` macros).
pub fn roff(page: &Page) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        ".TH \"{}\" \"1\" \"\" \"rcr {}\" \"rcr manual\"",
        escape(&page.name.to_uppercase()),
        env!("CARGO_PKG_VERSION")
    );
    // Left-adjusted and unhyphenated: option names and URLs must not be
    // split or stretched (and justification warns on unbreakable URLs).
    out.push_str(".ad l\n.nh\n.SH NAME\n");
    let summary = page.summary.trim_end_matches('.');
    let _ = writeln!(out, "{} \\- {}", escape(&page.name), escape(summary));
    // The page's own NAME section names the command the aws way; the man
    // page's NAME is the line above, as whatis/apropos expect.
    let mut skipping = false;
    for node in &page.nodes {
        match node {
            Node::Heading(h) => {
                skipping = h == "NAME";
                if !skipping {
                    let _ = writeln!(out, ".SH \"{}\"", escape(h));
                }
            }
            _ if skipping => {}
            Node::Para { indent, text } => {
                indented(&mut out, *indent, |o| {
                    let _ = writeln!(o, ".PP\n{}", fill_line(text));
                });
            }
            Node::Bullet { indent, text } => {
                indented(&mut out, *indent, |o| {
                    let _ = writeln!(o, ".IP \\(bu 2\n{}", fill_line(text));
                });
            }
            Node::Verbatim { indent, text } => {
                indented(&mut out, *indent, |o| {
                    o.push_str(".PP\n.nf\n");
                    for l in text.lines() {
                        let _ = writeln!(o, "{}", line(l));
                    }
                    o.push_str(".fi\n");
                });
            }
        }
    }
    out
}

fn indented(out: &mut String, indent: usize, body: impl FnOnce(&mut String)) {
    if indent > 0 {
        let _ = writeln!(out, ".RS {indent}");
    }
    body(out);
    if indent > 0 {
        out.push_str(".RE\n");
    }
}

/// One input line of text: escaped, and never read as a request or empty.
fn line(text: &str) -> String {
    line_of(escape(text))
}

fn line_of(e: String) -> String {
    if e.is_empty() || e.starts_with('.') || e.starts_with('\'') || e.starts_with(' ') {
        format!("\\&{e}")
    } else {
        e
    }
}

/// A line of filled text: long words (URLs, ARNs) get break points after
/// `/`, `.`, `:`, `_` and `,` so that troff can fit them in the line length.
fn fill_line(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if w.chars().count() <= 30 {
                return escape(w);
            }
            let mut out = String::new();
            for c in w.chars() {
                out.push_str(&escape(&c.to_string()));
                if matches!(c, '/' | '.' | ':' | '_' | ',' | '&' | '?' | '=') {
                    out.push_str("\\:");
                }
            }
            out
        })
        .collect();
    line_of(words.join(" "))
}

/// roff escapes: backslashes, minus signs (so options copy and paste as
/// ASCII), and non-ASCII characters as `\[uXXXX]` so that no input encoding
/// is assumed.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            '\t' => out.push_str("        "),
            c if c.is_ascii_control() => {}
            c => {
                let _ = write!(out, "\\[u{:04X}]", u32::from(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("--a\\b é"), "\\-\\-a\\eb \\[u00E9]");
        assert_eq!(line(".x"), "\\&.x");
        assert_eq!(line(""), "\\&");
    }

    /// The committed completions and man pages match the command tree, so a
    /// model or CLI change whose docs were not regenerated fails the tests.
    #[test]
    fn committed_files_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives inside the workspace"); // CARGO_MANIFEST_DIR is xtask/
        run_completions(root, true).unwrap(); // fails with the list of stale files
        run_man(root, true).unwrap(); // fails with the list of stale files
    }

    #[test]
    fn every_operation_has_a_page_and_completion() {
        let pages = man_pages();
        // The scripts ask rcr_completer, which knows every command
        // (tests/completer.rs checks what it offers).
        let scripts = completions().unwrap();
        for (name, script) in &scripts {
            if name != "README.md" {
                assert!(script.contains("rcr_completer"), "{name}");
            }
        }
        for service in rcr::sdk::SERVICES {
            for op in service.operations {
                assert!(pages.contains_key(&format!("rcr-{}-{}.1", service.cli_name, op.cli_name)));
            }
            assert!(pages.contains_key(&format!("rcr-{}-get-login-password.1", service.cli_name)));
        }
        assert!(pages.contains_key("rcr.1"));
        assert!(pages.contains_key("rcr-ecr-wait-image-scan-complete.1"));
        for page in [
            "rcr-credential-helper.1",
            "rcr-credential-helper-configure.1",
            "rcr-credential-helper-doctor.1",
        ] {
            assert!(pages.contains_key(page), "{page}");
        }
    }
}
