//! `Home`: one isolated HOME with AWS config and credentials files that
//! several runs share, for tests that run rcr again and again against the
//! same profile files (changing the environment or the files between runs).
//! A single run needs none of this: `Run::rcr()` brings its own HOME.

use std::path::PathBuf;

use super::run::Run;
use super::tempdir::TempDir;

/// A temporary HOME holding `.aws/config` and `.aws/credentials`; removed
/// on Drop.
pub struct Home {
    pub dir: PathBuf,
    // Owns `dir`.
    temp: TempDir,
}

impl Home {
    pub fn new(config: &str, credentials: &str) -> Home {
        let temp = TempDir::new("home");
        temp.write(".aws/config", config);
        temp.write(".aws/credentials", credentials);
        Home {
            dir: temp.path().to_owned(),
            temp,
        }
    }

    /// A path inside the home, e.g. `.aws/config`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.temp.join(name)
    }

    /// Writes a file inside the home and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        self.temp.write(name, text)
    }

    /// Replaces `.aws/config`.
    pub fn write_config(&self, text: &str) {
        self.write(".aws/config", text);
    }

    /// A run of rcr with `args` in the isolated environment of `Run::rcr`,
    /// but with this HOME and its config and credentials files.
    pub fn rcr(&self, args: &[&str]) -> Run {
        let mut run = Run::rcr();
        run.env("HOME", &self.dir)
            .env("AWS_CONFIG_FILE", self.path(".aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.path(".aws/credentials"))
            .args(args);
        run
    }

    /// `rcr ecr list-images --repository-name shop/cart --endpoint-url
    /// <endpoint>` with this HOME: the plain call the settings tests vary
    /// the environment and the profile around.
    pub fn list_images(&self, endpoint: &str) -> Run {
        self.rcr(&[
            "ecr",
            "list-images",
            "--repository-name",
            "shop/cart",
            "--endpoint-url",
            endpoint,
        ])
    }
}
