import NablaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's interrupt flag: the Ctrl-C handler sets it (a signal handler can reach only
/// global state), and the session is given it, so the evaluation running stops.
let interrupt = CancellationFlag()

/// Sets ``interrupt`` on SIGINT; `SA_RESTART` keeps interrupted reads from
/// failing; without it Swift's `readLine()` spins forever after one. Readline installs its own handler while it reads and passes the
/// signal on to this one.
func installInterruptHandler() {
  var action = sigaction()
  action.__sigaction_handler.sa_handler = { _ in interrupt.cancel() }
  sigemptyset(&action.sa_mask)
  action.sa_flags = Int32(SA_RESTART)
  sigaction(SIGINT, &action, nil)
  // A parent may have blocked SIGINT (a thread-pool thread that spawned us does): the mask
  // is inherited across exec, and readline unblocks it only while reading a line.
  var unblock = sigset_t()
  sigemptyset(&unblock)
  sigaddset(&unblock, SIGINT)
  sigprocmask(SIG_UNBLOCK, &unblock, nil)
}
