using NUnit.Framework;

// The tests are CPU-bound searches that each run on one thread: fixtures run side by side, one per
// core (NUnit's default level of parallelism), and the fixtures with many long cases (the verdicts,
// the corpus, the proofs) run their cases side by side too. A fixture that redirects the process's
// console outside CliRun's lock is NonParallelizable.
[assembly: Parallelizable(ParallelScope.Fixtures)]
