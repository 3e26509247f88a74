//! Runs a command N times and prints, per run, its wall time, user and
//! system CPU and peak RSS from `wait4`'s rusage, for bench/run.sh.
//!
//! GNU time reports CPU in 10 ms steps, too coarse for a 5 ms command. This
//! runner is small and spawns with posix_spawn (vfork), so the child's peak
//! RSS is its own: the kernel carries the pre-exec memory's high-water mark
//! into ru_maxrss, which under a Python parent would be Python's.
//! Linux only; standard library only (run.sh builds it with `rustc -O`).
//! Usage: rusage N -- CMD ARGS... ; one line per run:
//! `wall_s user_s sys_s maxrss_kib exit_status`.

use std::process::{Command, Stdio};
use std::time::Instant;

#[repr(C)]
struct Timeval {
    sec: i64,
    usec: i64,
}

/// `struct rusage` on 64-bit Linux.
#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    maxrss: i64,
    rest: [i64; 13],
}

unsafe extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    if runs == 0 || args.get(2).map(String::as_str) != Some("--") || args.len() < 4 {
        eprintln!("usage: rusage N -- CMD ARGS...");
        std::process::exit(2);
    }
    for _ in 0..runs {
        let start = Instant::now();
        let child = Command::new(&args[3])
            .args(&args[4..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                eprintln!("rusage: cannot run {}: {e}", args[3]);
                std::process::exit(1);
            }
        };
        let mut status = 0;
        let mut usage = Rusage {
            utime: Timeval { sec: 0, usec: 0 },
            stime: Timeval { sec: 0, usec: 0 },
            maxrss: 0,
            rest: [0; 13],
        };
        // SAFETY: wait4 writes only into the two out-pointers, which point
        // at live, correctly laid out values.
        let pid = unsafe { wait4(child.id() as i32, &mut status, 0, &mut usage) };
        let wall = start.elapsed().as_secs_f64();
        if pid < 0 {
            eprintln!("rusage: wait4 failed");
            std::process::exit(1);
        }
        let secs = |t: &Timeval| t.sec as f64 + t.usec as f64 / 1e6;
        println!(
            "{wall:.6} {:.6} {:.6} {} {status}",
            secs(&usage.utime),
            secs(&usage.stime),
            usage.maxrss
        );
    }
}
