using NhiGuard.Benchmarks;

// Each mode lives in its own file; this only dispatches.
return args.FirstOrDefault() switch
{
    "corpus" => CorpusBenchmark.Run(Console.Out),
    "throughput" => ThroughputBenchmark.Run(args[1..]),
    "history" => HistoryBenchmark.Run(args[1..]),
    "analyzers" => AnalyzerBenchmark.Run(args[1..]),
    "staged" => StagedBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NhiGuard.Benchmarks <mode>");
    Console.Error.WriteLine("  corpus   precision, recall and F1 of the rules over tests/corpus/*.corpus, and the misses");
    Console.Error.WriteLine("  throughput [--megabytes N] [--dir D] [--runs N]   MB/s, files/s and peak memory of `nhiguard scan` on a generated tree");
    Console.Error.WriteLine("  history [--commits N] [--dir D] [--repo R | --npm [pkg,...]] [--runs N] [--tool PATH]   `nhiguard history` against `git log -p`: a generated repository, R, or every stable release of real npm packages replayed as commits");
    Console.Error.WriteLine("  staged [--runs N] [--tool PATH]   wall time of `nhiguard staged` (the pre-commit hook) on a small commit, built from source and an installed tool");
    Console.Error.WriteLine("  analyzers [--decompiled [DIR]] [--files N] [--dir D] [--runs N] [--sonar P] [--only a,b]   compile time added by the NhiGuard analyzers, Sonar's S2068+S6418 and no-op floors; ExecutionTime per analyzer");
    return 2;
}
