//! Low-level process control for test children: own process group, death
//! with the parent, and signalling a whole group. These need `kill(2)` and
//! `prctl(2)`, declared here directly against libc (which std links anyway)
//! so the test support stays free of extra crates.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
    fn prctl(option: i32, ...) -> i32;
}

const PR_SET_PDEATHSIG: i32 = 1;
const SIGKILL_NUM: i32 = 9;

/// Puts the child in its own process group (so we can kill it together with
/// anything it spawns, e.g. werkzeug workers or a pager) and asks the kernel
/// to SIGKILL it if the spawning thread dies (so a test binary killed by a
/// harness timeout leaves no moto_server behind).
pub fn isolate(cmd: &mut Command) {
    cmd.process_group(0);
    // SAFETY: prctl is async-signal-safe and touches no memory of ours; the
    // closure allocates nothing, as required between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            prctl(PR_SET_PDEATHSIG, SIGKILL_NUM as std::ffi::c_ulong);
            Ok(())
        });
    }
}

/// Sends `sig` to one process. Returns false if it no longer exists.
pub fn signal_pid(pid: u32, sig: i32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        // Never let a bogus pid turn into "signal my whole group / everyone".
        return false;
    }
    // SAFETY: plain syscall wrapper with integer arguments.
    unsafe { kill(pid, sig) == 0 }
}

/// Sends `sig` to every process in the group led by `pgid` (a child started
/// with `isolate`). Returns false if the group no longer exists.
pub fn signal_group(pgid: u32, sig: i32) -> bool {
    let Ok(pgid) = i32::try_from(pgid) else {
        return false;
    };
    if pgid <= 1 {
        return false;
    }
    // SAFETY: as above; the negative pid addresses the process group.
    unsafe { kill(-pgid, sig) == 0 }
}

/// Kills a child started by [`isolate`] together with its process group
/// (moto's werkzeug server, for one, may have helper processes) and reaps
/// it; for the Drop of whatever owns the child.
pub fn kill_and_reap(child: &mut Option<Child>) {
    if let Some(mut child) = child.take() {
        signal_group(child.id(), SIGKILL_NUM);
        let _ = child.kill();
        let _ = child.wait();
    }
}
